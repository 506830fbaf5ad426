import type { Logger } from '../../logger.js';
import type { CaseDesk } from '../cases/case-desk.js';
import type { HandoffListener } from '../cases/handoff-listener.js';
import type { EventHandler } from '../inbox-queue.js';
import type { ChannelName, IncomingEvent } from '../incoming-event.js';
import { conversationKey } from '../ingest-events.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { Outbox } from '../outbox.js';
import type { ContactRepository, OutboxRepository, SessionRepository } from '../store.js';
import type { Translator } from '../translator.js';
import type { TextClassifier } from '../understanding/classify-text.js';
import type { CrisisCategory } from '../vocabulary.js';
import { type ChoiceData, type Command, decodeChoice } from './choice-data.js';
import type { CommandWords } from './command-words.js';
import { writeSafetyMessage } from './crisis-response.js';
import { FlowRunner } from './flow-runner.js';
import { IntakeEffects } from './intake-effects.js';
import type { FlowSet } from './load-flows.js';
import { newSessionState, parseSessionState, type SessionState } from './session-state.js';
import { Turn } from './turn.js';

/** Looks up what the platform knows of a user's language (LINE profile), when it is allowed to. */
export type LanguageLookup = (channel: ChannelName, address: string) => Promise<string | undefined>;

export interface ConversationSettings {
  /** After this long away, an unfinished flow asks whether to resume. */
  resumeAfterMs: number;
  /** A session untouched this long is forgotten (its data has a retention limit). */
  sessionTtlMs: number;
}

export interface ConversationDeps {
  flows: FlowSet;
  translator: Translator;
  classifier: TextClassifier;
  commands: CommandWords;
  config: MunicipalityConfig;
  sessions: SessionRepository;
  contacts: ContactRepository;
  outboxRepository: OutboxRepository;
  outbox: Outbox;
  desk: CaseDesk;
  handoff: HandoffListener;
  lookupLanguage?: LanguageLookup;
  /** Erases the resident's copies in the durable queues (see ResidentTraces). */
  eraseTraces?: (event: IncomingEvent, residentKey: string) => Promise<void>;
  settings: ConversationSettings;
  logger: Logger;
  now?: () => Date;
  /** Told of every crisis detected, for the metrics. */
  onCrisis?: (categories: CrisisCategory[]) => void;
}

export class SessionConflictError extends Error {
  readonly code = 'SESSION_CONFLICT';
}

/**
 * The conversation engine: one incoming event in, replies out through the outbox. It knows flows,
 * crisis safety and cases, and nothing of LINE or Slack.
 *
 * Order of concerns for every text: crisis first (always, in every state), then commands that work
 * anywhere, then an open case (the resident talks to staff), then the flow, then free text.
 */
export function createConversationHandler(deps: ConversationDeps): EventHandler {
  const now = deps.now ?? (() => new Date());
  const effects = new IntakeEffects(deps, now);
  const runner = new FlowRunner(deps.flows, effects);
  effects.attach(runner);

  return async (event) => {
    const key = conversationKey(event);
    if (event.content.type === 'unfollow') {
      await deps.contacts.setFollowing(event.channel, event.address, false, now());
      await deps.outboxRepository.cancelPending(event.channel, event.address, 'recipient unfollowed');
      return;
    }
    const stored = await deps.sessions.get(key, now());
    const state = (stored && parseSessionState(stored.state)) ?? (await freshState(event));
    const turn = new Turn(event, key, state, deps.translator);

    await converse(turn, stored !== null);

    if (!turn.erased) {
      turn.state.lastActiveAt = now().toISOString();
      const saved = await deps.sessions.save(
        key,
        turn.state,
        stored?.version ?? null,
        now(),
        new Date(now().getTime() + deps.settings.sessionTtlMs),
      );
      // Another instance moved this conversation on meanwhile: nothing was sent yet, so the inbox
      // can safely hand the event over again, to be read against the newer state.
      if (saved === 'conflict')
        throw new SessionConflictError(`session ${key} changed while handling ${event.id}`);
    }
    if (turn.replies.length > 0)
      await deps.outbox.reply(event, turn.compacted(), { redactWhenDone: turn.erased });
  };

  async function freshState(event: IncomingEvent): Promise<SessionState> {
    const tag = await deps.lookupLanguage?.(event.channel, event.address).catch(() => undefined);
    const language = deps.translator.negotiate(tag);
    return newSessionState(language, tag ? 'profile' : 'default', now());
  }

  async function converse(turn: Turn, known: boolean): Promise<void> {
    const { content } = turn.event;
    if (content.type === 'follow') {
      await deps.contacts.setFollowing(turn.event.channel, turn.event.address, true, now());
      turn.state.answers = {};
      turn.state.proposal = undefined;
      await runner.start(turn, 'welcome');
      return;
    }
    const choice = content.type === 'choice' ? decodeChoice(content.data) : null;

    if (content.type === 'text') {
      const crisis = deps.classifier.detectCrisis(content.text);
      if (crisis.crisis) {
        deps.onCrisis?.(crisis.categories);
        writeSafetyMessage(turn, deps.config, crisis.categories);
        await effects.raiseCrisis(turn, crisis.categories, content.text);
        if (!runner.recordTextAnswer(turn, content.text)) effects.rememberWords(turn, content.text);
        return;
      }
    }

    const command =
      choice?.kind === 'command'
        ? choice.command
        : content.type === 'text'
          ? deps.commands.match(content.text)
          : undefined;
    if (command) return runCommand(turn, command);

    if (await effects.relayToOpenCase(turn)) return;

    if (choice?.kind === 'rating') return effects.rate(turn, choice.caseId, choice.score);
    if (choice?.kind === 'resume') return resume(turn, choice.answer);
    if (choice?.kind === 'proposal') return effects.answerProposal(turn, choice.answer);

    if (!known) {
      // A first message: the notice comes first, then whatever the message was about.
      await runner.start(turn, 'welcome');
      if (content.type === 'text') effects.proposeStart(turn, content.text);
      return;
    }
    if (turn.state.position && !runner.currentStep(turn)) {
      // The flow changed since this conversation began: start again politely.
      turn.state.position = undefined;
      turn.say('common.flow-updated');
      await runner.start(turn, 'welcome', 'menu');
      return;
    }
    if (turn.state.position && isAway(turn.state) && !turn.state.resumePending) {
      turn.state.resumePending = true;
      effects.askResume(turn);
      return;
    }
    if (await runner.answer(turn, content, choice)) {
      turn.state.resumePending = undefined;
      return;
    }
    await otherwise(turn, choice);
  }

  async function otherwise(turn: Turn, choice: ChoiceData | null): Promise<void> {
    const { content } = turn.event;
    if (content.type === 'text') {
      if (turn.state.position) {
        // Not an answer to the question on screen: keep the words for staff, and ask again.
        effects.rememberWords(turn, content.text);
        if (!effects.proposeStart(turn, content.text, true)) {
          turn.say('common.please-choose');
          await runner.repeat(turn);
        }
        return;
      }
      if (!effects.proposeStart(turn, content.text)) await runner.start(turn, 'welcome', 'menu');
      return;
    }
    if (content.type === 'sticker') turn.say('reply.sticker');
    else if (content.type === 'media') {
      effects.rememberAttachment(turn, content.contentId, content.media);
      turn.say('reply.media');
    } else if (content.type === 'location') turn.say('reply.location');
    else if (choice && 'flow' in choice) turn.say('common.stale-choice');
    if (turn.state.position) await runner.repeat(turn);
    else await runner.start(turn, 'welcome', 'menu');
  }

  async function runCommand(turn: Turn, command: Command): Promise<void> {
    turn.state.proposal = undefined;
    turn.state.resumePending = undefined;
    if (command === 'stop') {
      turn.state.position = undefined;
      turn.say('common.stopped');
      return;
    }
    if (command === 'language') return runner.start(turn, 'language');
    turn.state.answers = {};
    await runner.start(turn, 'welcome', 'menu');
  }

  async function resume(turn: Turn, answer: 'continue' | 'restart'): Promise<void> {
    turn.state.resumePending = undefined;
    if (answer === 'continue' && runner.currentStep(turn)) return runner.repeat(turn);
    if (answer === 'continue' && turn.state.caseId) {
      turn.say('handoff.still-open');
      return;
    }
    turn.state.answers = {};
    await runner.start(turn, 'welcome', 'menu');
  }

  function isAway(state: SessionState): boolean {
    return now().getTime() - Date.parse(state.lastActiveAt) > deps.settings.resumeAfterMs;
  }
}
