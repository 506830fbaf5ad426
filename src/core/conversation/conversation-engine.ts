import type { Logger } from '../../logger.js';
import type { CaseDesk } from '../cases/case-desk.js';
import type { HandoverDesk } from '../cases/handover-desk.js';
import { CodedError } from '../coded-error.js';
import type { EventHandler } from '../inbox-queue.js';
import { conversationKey } from '../ingest-events.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { Outbox } from '../outbox.js';
import type { HandoffListener } from '../ports/handoff-listener.js';
import type { ChannelName, IncomingEvent } from '../ports/incoming-event.js';
import type { CaseRecord, ContactRepository, OutboxRepository, SessionRepository } from '../ports/store.js';
import type { Translator } from '../ports/translator.js';
import type { RiskAssessor } from '../understanding/assess-risk.js';
import type { TextClassifier } from '../understanding/classify-text.js';
import { unmistakableLanguage } from '../understanding/detect-language.js';
import type { RiskAssessment } from '../understanding/risk-assessment.js';
import type { CrisisCategory } from '../vocabulary.js';
import type { WatchConversation } from '../watch/watch-conversation.js';
import { type ChoiceData, type Command, decodeChoice, type SafetyAnswer } from './choice-data.js';
import type { CommandWords } from './command-words.js';
import { CrisisCases } from './crisis-cases.js';
import { writeSafetyMessage } from './crisis-response.js';
import { DataRequests } from './data-requests.js';
import { FlowActions } from './flow-actions.js';
import { FlowRunner } from './flow-runner.js';
import { FreeTextProposals } from './free-text-proposals.js';
import { rememberAttachment, rememberWords } from './heard-so-far.js';
import { IntakeHandoff } from './intake-handoff.js';
import { ENTRY_POINTS, type FlowSet } from './load-flows.js';
import { OpenCaseRelay } from './open-case-relay.js';
import { answerProposal } from './proposal-answer.js';
import { askResume } from './resume-question.js';
import { askSafetyQuestion } from './safety-check.js';
import { forgetIntake, newSessionState, parseSessionState, type SessionState } from './session-state.js';
import { TalkMode } from './talk-mode.js';
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
  risk: RiskAssessor;
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
  /**
   * Told when a resident's language is set to other than the source language, or changes, so the channel can follow suit
   * (LINE: the rich menu of that language). Must keep its own deadline and never throw.
   */
  onLanguage?: (event: IncomingEvent, language: string) => Promise<void>;
  /** 見守り's buttons, and words written while a check-in waits (core/watch). */
  watch?: WatchConversation | undefined;
  /** つなぐシート: the resident's answer when staff asked whether a case may go to another window. */
  handover?: Pick<HandoverDesk, 'answerConsent'> | undefined;
}

/** A tap on one of the welcome menu's options (the chat's own buttons, or the LINE rich menu). */
function isMenuChoice(choice: ChoiceData | null): choice is ChoiceData & { kind: 'option' } {
  return (
    choice?.kind === 'option' &&
    choice.flow === ENTRY_POINTS.menu.flow &&
    choice.step === ENTRY_POINTS.menu.step
  );
}

/** Another instance moved the conversation on meanwhile: handling the event again will succeed. */
export class SessionConflictError extends CodedError {
  constructor(message: string) {
    super('SESSION_CONFLICT', 'temporary', message);
  }
}

/**
 * The conversation engine: one incoming event in, replies out through the outbox. It knows flows,
 * crisis safety and cases, and nothing of LINE or Slack.
 *
 * Order of concerns for every text: risk first (always, in every state: a crisis gets the safety
 * message, a concern the safety question), then the answer to a pending safety question, then
 * commands that work anywhere, then an open case (the resident talks to staff), then the flow, then
 * free text.
 */
export function createConversationHandler(deps: ConversationDeps): EventHandler {
  const now = deps.now ?? (() => new Date());
  // One-way: the runner uses the handoff, the actions and the proposals; the rest use the runner.
  const proposals = new FreeTextProposals(deps.classifier);
  const intakeHandoff = new IntakeHandoff(deps.desk, deps.classifier, deps.config, now);
  const actions = new FlowActions(deps.translator, new DataRequests(deps), deps.watch);
  const runner = new FlowRunner(deps.flows, {
    config: deps.config,
    handoff: (turn, step) => intakeHandoff.handoff(turn, step),
    action: (turn, action, value) => actions.run(turn, action, value),
    propose: (turn, kind, text) => proposals.propose(turn, kind, text),
  });
  const crisisCases = new CrisisCases(deps.desk, deps.config, runner);
  const openCase = new OpenCaseRelay(deps.desk, deps.handoff, deps.config, now);
  const talk = new TalkMode(deps.desk, deps.config, now);
  const toMenu = (turn: Turn) => runner.start(turn, ENTRY_POINTS.menu.flow, ENTRY_POINTS.menu.step);

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
    const languageBefore = stored ? turn.language : undefined;

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
    // A new resident starts on the account's default (source language) menu: only another language,
    // or a change, needs telling.
    const changed = turn.language !== (languageBefore ?? deps.translator.languages[0]);
    if (!turn.erased && changed) await deps.onLanguage?.(event, turn.language);
  };

  /**
   * A new resident's state. A first message whose words leave no doubt about its language is
   * answered in that language whatever the phone is set to (adoptLanguage), so the profile is not
   * asked for: one call to the channel less for most new residents (a sixth of the processing
   * thread's work in a burst of first messages, measured), and nothing read from their profile.
   */
  async function freshState(event: IncomingEvent): Promise<SessionState> {
    const written = writtenLanguage(event);
    if (written) return newSessionState(written, 'detected', now());
    const tag = await deps.lookupLanguage?.(event.channel, event.address).catch(() => undefined);
    const language = deps.translator.negotiate(tag);
    return newSessionState(language, tag ? 'profile' : 'default', now());
  }

  async function converse(turn: Turn, known: boolean): Promise<void> {
    const { content } = turn.event;
    if (content.type === 'follow') {
      await deps.contacts.setFollowing(turn.event.channel, turn.event.address, true, now());
      forgetIntake(turn.state);
      turn.state.proposal = undefined;
      await runner.start(turn, ENTRY_POINTS.welcome.flow);
      return;
    }
    const choice = content.type === 'choice' ? decodeChoice(content.data) : null;

    if (content.type === 'text') {
      // A live watcher code, and nothing else, is the person a resident gave it to joining (見守り).
      // It is taken before the words are read for danger: six random letters can look like slang
      // to the risk model ("kms…"), and the person joining must not be asked whether they want to die.
      if (deps.watch && (await deps.watch.joinByCode(turn))) return;
      const risk = await deps.risk.assess(content.text, turn.language);
      if (risk.tier === 'crisis') return alarm(turn, risk, content.text);
      // A whole-message command ("最初から", "menu") is never read as a worry.
      const command = deps.commands.match(content.text);
      if (turn.state.safetyCheck && !command) {
        // Asked whether they are in danger, they wrote rather than tapped: anything but a clear no
        // is taken as "not sure", which is handled as danger.
        return answerSafetyQuestion(turn, deps.commands.answer(content.text) ?? 'unsure', content.text);
      }
      if (risk.tier === 'concern' && !command) {
        adoptLanguage(turn, risk.language);
        askSafetyQuestion(turn, deps.config, risk, content.text, !known);
        return;
      }
      // A worry written in a language of its own is answered in it (a Korean resident whose phone
      // is set to Japanese), from the first message or from the menu; a form's answers never switch.
      if (!command && (!known || atMenu(turn.state))) adoptLanguage(turn, unmistakableLanguage(content.text));
    }
    if (choice?.kind === 'safety') return answerSafetyQuestion(turn, choice.answer);
    await respond(turn, known, choice);
  }

  /** Everything after risk: commands, an open case, proposals, the flow, free text. */
  async function respond(turn: Turn, known: boolean, choice: ChoiceData | null): Promise<void> {
    const { content } = turn.event;
    const command =
      choice?.kind === 'command'
        ? choice.command
        : content.type === 'text'
          ? deps.commands.match(content.text)
          : undefined;
    if (command) return runCommand(turn, command);
    if (known && isMenuChoice(choice) && (await chooseFromMenu(turn, choice))) return;

    if (choice?.kind === 'watch') {
      if (deps.watch) return deps.watch.choose(turn, choice.verb, choice.ref);
      turn.say('common.stale-choice');
      return toMenu(turn);
    }
    if (choice?.kind === 'consent') return answerConsent(turn, choice);
    // Words written while a check-in waits answer it, and reach the case like any message.
    if (deps.watch && (await deps.watch.wrote(turn, (record) => relayWords(record, turn)))) return;

    if (await openCase.relay(turn)) {
      if (talk.isOn(turn)) talk.acknowledge(turn);
      return;
    }

    if (choice?.kind === 'rating') return openCase.rate(turn, choice.caseId, choice.score);
    if (choice?.kind === 'resume') return resume(turn, choice.answer);
    if (choice?.kind === 'proposal') return answerProposal(turn, choice.answer, runner);

    if (!known) {
      // A first message: the notice comes first, then whatever the message was about.
      await runner.start(turn, ENTRY_POINTS.welcome.flow);
      if (content.type === 'text') proposals.proposeStart(turn, content.text);
      return;
    }
    if (turn.state.position && !runner.currentStep(turn)) {
      // The flow changed since this conversation began: start again politely.
      turn.state.position = undefined;
      turn.say('common.flow-updated');
      await toMenu(turn);
      return;
    }
    if (turn.state.position && isAway(turn.state) && !turn.state.resumePending) {
      turn.state.resumePending = true;
      askResume(turn);
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
        // Not an answer to the question on screen. Whatever the bot says of the words must happen:
        // with a case open they go to it now; in an intake they go with it; otherwise no promise.
        if (await openCase.passOn(turn)) {
          turn.say('handoff.passed-on');
          await runner.repeat(turn);
          return;
        }
        if (proposals.proposeStart(turn, content.text, true)) return;
        if (flowLeadsToCase(turn)) {
          rememberWords(turn.state, content.text);
          turn.say('common.please-choose');
        } else turn.say('common.please-choose-only');
        await runner.repeat(turn);
        return;
      }
      if (!proposals.proposeStart(turn, content.text)) await toMenu(turn);
      return;
    }
    if (content.type === 'sticker') turn.say('reply.sticker');
    else if (content.type === 'media') {
      rememberAttachment(turn.state, content.contentId, content.media);
      turn.say('reply.media');
    } else if (content.type === 'location') turn.say('reply.location');
    else if (choice && 'flow' in choice) turn.say('common.stale-choice');
    if (turn.state.position) await runner.repeat(turn);
    else await toMenu(turn);
  }

  /** Danger now: the safety message at once, an urgent case, staff alerted; then the words go on as usual. */
  async function alarm(turn: Turn, risk: RiskAssessment, text: string): Promise<void> {
    adoptLanguage(turn, risk.language);
    const pending = turn.state.safetyCheck;
    turn.state.safetyCheck = undefined;
    const categories = [...new Set([...risk.categories, ...(pending?.categories ?? [])])];
    const words = [pending?.words, text].filter(Boolean).join('\n');
    deps.onCrisis?.(categories);
    writeSafetyMessage(turn, deps.config, categories, risk.aboutSomeoneElse || pending?.aboutSomeoneElse);
    await crisisCases.raise(
      turn,
      categories,
      words,
      undefined,
      risk.aboutSomeoneElse || pending?.aboutSomeoneElse,
    );
    // The words are on the urgent case; no form question follows an alarm.
    talk.enter(turn);
  }

  async function answerSafetyQuestion(turn: Turn, answer: SafetyAnswer, typed?: string): Promise<void> {
    const check = turn.state.safetyCheck;
    if (!check) {
      turn.say('common.stale-choice');
      if (turn.state.position) return runner.repeat(turn);
      return toMenu(turn);
    }
    turn.state.safetyCheck = undefined;
    if (answer !== 'no') {
      const words = [check.words, typed].filter(Boolean).join('\n');
      deps.onCrisis?.(check.categories);
      writeSafetyMessage(turn, deps.config, check.categories, check.aboutSomeoneElse);
      await crisisCases.raise(turn, check.categories, words, answer, check.aboutSomeoneElse);
      talk.enter(turn);
      return;
    }
    // Staff who later receive a case from this conversation see that the question was asked.
    turn.state.heard.concern = 'no';
    turn.say(check.aboutSomeoneElse ? 'safety-check.after-no.someone-else' : 'safety-check.after-no.self');
    // The words were held back for the question; now they are read as the message they were.
    turn.rereadAs({ type: 'text', text: check.words });
    await respond(turn, !check.firstMessage, null);
  }

  /** The language a first text is unmistakably written in, when it is one the city's locales have (not for commands). */
  function writtenLanguage(event: IncomingEvent): string | undefined {
    const { content } = event;
    if (content.type !== 'text' || deps.commands.match(content.text)) return undefined;
    const language = unmistakableLanguage(content.text);
    return language && deps.translator.languages.includes(language) ? language : undefined;
  }

  /** Nowhere in a form: no step on screen, or the welcome menu. */
  function atMenu(state: SessionState): boolean {
    const { flowId, stepId } = state.position ?? {};
    return !flowId || (flowId === ENTRY_POINTS.menu.flow && stepId === ENTRY_POINTS.menu.step);
  }

  /**
   * A message in another language than the conversation's (a foreign resident whose phone is set
   * to Japanese) is answered in the language it was written in, and the conversation follows it
   * unless the resident chose a language themselves. The safety replies take the risk assessment's
   * reading of the language; ordinary words switch it only when they leave no doubt
   * (`unmistakableLanguage`).
   */
  function adoptLanguage(turn: Turn, detected: string | undefined): void {
    if (!detected || turn.state.languageSource === 'chosen') return;
    const sameFamily = detected.startsWith('ja') && turn.language.startsWith('ja');
    if (sameFamily || detected === turn.language) return;
    if (deps.translator.languages.includes(detected)) turn.useLanguage(detected, 'detected');
  }

  /**
   * The LINE rich menu's areas carry the welcome menu's options (相談する, 近所・知人の心配, 緊急のとき,
   * 記録について, Language): like a command, they work from any step, leaving whatever was under way.
   */
  async function chooseFromMenu(turn: Turn, choice: ChoiceData): Promise<boolean> {
    // "Are you in danger now?" waits for its answer: it is not dropped for a menu tap.
    if (turn.state.safetyCheck) return false;
    const { flowId, stepId } = turn.state.position ?? {};
    if (flowId !== ENTRY_POINTS.menu.flow || stepId !== ENTRY_POINTS.menu.step) {
      turn.state.proposal = undefined;
      turn.state.resumePending = undefined;
      talk.leave(turn);
      forgetIntake(turn.state);
      runner.place(turn, ENTRY_POINTS.menu.flow, ENTRY_POINTS.menu.step);
    }
    return runner.answer(turn, turn.event.content, choice);
  }

  /** Yes or no to sharing the case with another window: thanked once; a stale or repeated tap changes nothing. */
  async function answerConsent(turn: Turn, choice: ChoiceData & { kind: 'consent' }): Promise<void> {
    const answered = await deps.handover?.answerConsent(
      choice.caseId,
      choice.window,
      turn.key,
      choice.answer,
    );
    const names: Record<string, string | undefined> | undefined = deps.config.windows.find(
      (w) => w.id === choice.window,
    )?.names;
    const window = names?.[turn.language] ?? names?.ja ?? '';
    turn.say(answered ? `handover.ask.thanks-${choice.answer}` : 'handover.ask.already', { window });
    if (turn.state.position) await runner.repeat(turn);
  }

  async function runCommand(turn: Turn, command: Command): Promise<void> {
    turn.state.proposal = undefined;
    turn.state.safetyCheck = undefined;
    turn.state.resumePending = undefined;
    talk.leave(turn);
    if (command === 'stop') {
      turn.state.position = undefined;
      turn.say('common.stopped');
      return;
    }
    if (command === 'language') return runner.start(turn, ENTRY_POINTS.language.flow);
    forgetIntake(turn.state);
    await toMenu(turn);
  }

  async function resume(turn: Turn, answer: 'continue' | 'restart'): Promise<void> {
    turn.state.resumePending = undefined;
    if (answer === 'continue' && talk.isOn(turn)) return talk.explain(turn);
    if (answer === 'continue' && runner.currentStep(turn)) return runner.repeat(turn);
    if (answer === 'continue' && turn.state.caseId) {
      turn.say('handoff.still-open');
      return;
    }
    forgetIntake(turn.state);
    await toMenu(turn);
  }

  async function relayWords(record: CaseRecord, turn: Turn): Promise<void> {
    await deps.handoff.residentMessage(record, turn.event.content, turn.event.id);
  }

  /** The flow on screen ends in a handoff, so words kept now reach a case with it. */
  function flowLeadsToCase(turn: Turn): boolean {
    const flow = turn.state.position ? deps.flows.get(turn.state.position.flowId) : undefined;
    return flow !== undefined && Object.values(flow.steps).some((step) => step.type === 'handoff');
  }

  function isAway(state: SessionState): boolean {
    return now().getTime() - Date.parse(state.lastActiveAt) > deps.settings.resumeAfterMs;
  }
}
