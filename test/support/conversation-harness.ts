import { pino } from 'pino';
import { loadConfig, projectRoot } from '../../src/config.js';
import { CaseActions } from '../../src/core/cases/case-actions.js';
import { CaseAudit } from '../../src/core/cases/case-audit.js';
import { CaseDesk } from '../../src/core/cases/case-desk.js';
import { EscalationTimers } from '../../src/core/cases/escalation-timers.js';
import { HandoverDesk } from '../../src/core/cases/handover-desk.js';
import { StaffHandoff } from '../../src/core/cases/staff-handoff.js';
import type { ChoiceData } from '../../src/core/conversation/choice-data.js';
import { createConversationHandler } from '../../src/core/conversation/conversation-engine.js';
import type { EventHandler } from '../../src/core/inbox-queue.js';
import { Outbox } from '../../src/core/outbox.js';
import type { HandoffListener } from '../../src/core/ports/handoff-listener.js';
import type { IncomingContent } from '../../src/core/ports/incoming-event.js';
import type { OutgoingMessage, QuickReply } from '../../src/core/ports/outgoing-message.js';
import type { StaffNotice } from '../../src/core/ports/staff-notice.js';
import type { CaseRecord, Store } from '../../src/core/ports/store.js';
import { createRiskAssessor, type RiskAssessor } from '../../src/core/understanding/assess-risk.js';
import {
  type ConversationContent,
  loadConversationContent,
  loadUnderstandingContent,
  type UnderstandingContent,
} from '../../src/load-conversation-content.js';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { choiceButtonData, flowOptionChoice } from './choice-buttons.js';
import { FakeClock } from './fake-clock.js';

const conversationContent: ConversationContent = loadConversationContent(
  projectRoot,
  loadConfig({}).municipalityConfigPath,
);
const content: ConversationContent & UnderstandingContent = {
  ...conversationContent,
  ...loadUnderstandingContent(projectRoot),
};

/** One listener that tells each of several, in turn. */
function fanOut(...listeners: HandoffListener[]): HandoffListener {
  const each =
    <K extends keyof HandoffListener>(method: K) =>
    async (...args: Parameters<HandoffListener[K]>): Promise<void> => {
      for (const l of listeners) await (l[method] as (...a: typeof args) => Promise<void>)(...args);
    };
  return {
    caseOpened: each('caseOpened'),
    caseUpdated: each('caseUpdated'),
    residentMessage: each('residentMessage'),
    caseReopened: each('caseReopened'),
    caseErased: each('caseErased'),
  };
}

/**
 * The shipped text of an i18n key: tests assert by key, so a city editing locales/ breaks none of
 * them (a few end-to-end tests keep the real Japanese copy on purpose).
 */
export function t(key: string, values?: Record<string, string | number>, language = 'ja'): string {
  return content.translator.forLanguage(language)(key, values);
}

/** Records what the engine hands to staff, in order. */
export class RecordingHandoff implements HandoffListener {
  readonly events: Array<{ kind: string; caseNumber: string; detail?: string }> = [];
  async caseOpened(record: CaseRecord, context: { afterHours: boolean }) {
    this.events.push({
      kind: 'opened',
      caseNumber: record.number,
      detail: context.afterHours ? 'after-hours' : 'open',
    });
  }
  async caseUpdated(record: CaseRecord, change: string) {
    this.events.push({ kind: change, caseNumber: record.number });
  }
  async residentMessage(record: CaseRecord, incoming: IncomingContent) {
    this.events.push({ kind: 'resident-message', caseNumber: record.number, detail: incoming.type });
  }
  async caseReopened(record: CaseRecord) {
    this.events.push({ kind: 'reopened', caseNumber: record.number });
  }
  async caseErased(record: CaseRecord) {
    this.events.push({ kind: 'erased', caseNumber: record.number });
  }
}

/**
 * The conversation engine with the shipped flows, locales and example city, an in-memory store and
 * a fake clock: the core tested without HTTP, through a fake channel.
 */
export class ConversationHarness {
  readonly handoff = new RecordingHandoff();
  readonly content = content;
  private counter = 0;
  private constructor(
    readonly store: Store,
    readonly clock: FakeClock,
    private readonly handle: EventHandler,
    readonly profileLanguages: Map<string, string>,
    /** What the engine told the channel of residents' languages (LINE links the rich menu then). */
    readonly languageChanges: Array<{ address: string; language: string }> = [],
    /** Whose profile the engine asked the channel for, in order. */
    readonly profileLookups: string[] = [],
  ) {}

  actions: CaseActions | undefined;
  escalation: EscalationTimers | undefined;
  handover: HandoverDesk | undefined;

  static async create(
    options: {
      clock?: FakeClock;
      resumeAfterMs?: number;
      store?: Store;
      withStaff?: boolean;
      /** Replaces the shipped dictionaries and model, to test the engine's handling of each tier alone. */
      risk?: RiskAssessor;
    } = {},
  ): Promise<ConversationHarness> {
    const store = options.store ?? (await openEmbeddedStore({ inMemory: true }));
    const clock = options.clock ?? new FakeClock();
    const languages = new Map<string, string>();
    const profileLookups: string[] = [];
    let harness: ConversationHarness | undefined;
    const outbox = new Outbox(store.outbox, clock.now);
    const audit = new CaseAudit(store.audit, content.municipality.retention.auditYears, clock.now);
    const logger = pino({ level: 'silent' });
    // With staff: the real staff side on a 'slack' channel whose notices stay in the outbox to be read.
    const escalation = options.withStaff
      ? new EscalationTimers(
          store.timers,
          store.cases,
          content.municipality,
          outbox,
          'slack',
          audit,
          logger,
          clock.now,
        )
      : undefined;
    const staff = escalation ? new StaffHandoff(outbox, 'slack', escalation) : undefined;
    const recording: HandoffListener = {
      caseOpened: (r, c) => (harness as ConversationHarness).handoff.caseOpened(r, c),
      caseUpdated: (r, c) => (harness as ConversationHarness).handoff.caseUpdated(r, c),
      residentMessage: (r, c) => (harness as ConversationHarness).handoff.residentMessage(r, c),
      caseReopened: (r) => (harness as ConversationHarness).handoff.caseReopened(r),
      caseErased: (r) => (harness as ConversationHarness).handoff.caseErased(r),
    };
    // Both hear everything: the recording for assertions, the staff side for real notices and timers.
    const handoff: HandoffListener = staff ? fanOut(recording, staff) : recording;
    const languageChanges: Array<{ address: string; language: string }> = [];
    // With staff: つなぐシート, whose consent question the resident answers in the chat.
    const handover = options.withStaff
      ? new HandoverDesk({
          cases: store.cases,
          auditLog: store.audit,
          audit,
          outbox,
          staffChannel: 'slack',
          config: content.municipality,
          t: content.translator.forLanguage('ja'),
          translator: content.translator,
          now: clock.now,
        })
      : undefined;
    const handle = createConversationHandler({
      ...content,
      risk: options.risk ?? createRiskAssessor({ classifier: content.classifier, model: content.riskModel }),
      config: content.municipality,
      sessions: store.sessions,
      contacts: store.contacts,
      outboxRepository: store.outbox,
      outbox,
      desk: new CaseDesk(store.cases, audit, content.municipality, handoff, clock.now),
      handoff,
      lookupLanguage: async (_channel, address) => {
        profileLookups.push(address);
        return languages.get(address);
      },
      onLanguage: async (event, language) => {
        languageChanges.push({ address: event.address, language });
      },
      settings: { resumeAfterMs: options.resumeAfterMs ?? 30 * 60_000, sessionTtlMs: 30 * 86_400_000 },
      logger,
      now: clock.now,
      handover,
    });
    harness = new ConversationHarness(store, clock, handle, languages, languageChanges, profileLookups);
    harness.escalation = escalation;
    harness.handover = handover;
    harness.actions = escalation
      ? new CaseActions(
          store.cases,
          outbox,
          'slack',
          escalation,
          audit,
          content.municipality,
          content.translator,
          clock.now,
        )
      : undefined;
    return harness;
  }

  resident(address = `U${String(++this.counter).padStart(32, '0')}`): Resident {
    return new Resident(this, address);
  }

  /** What was pushed to a resident outside any event of theirs (staff's messages), marked as sent. */
  async pushed(address: string): Promise<OutgoingMessage[]> {
    const messages: OutgoingMessage[] = [];
    for (;;) {
      const item = await this.store.outbox.oldestPending('line', address);
      if (!item) return messages;
      messages.push(...item.messages);
      await this.store.outbox.markSent(item.id, this.clock.now());
    }
  }

  async deliver(address: string, incoming: IncomingContent): Promise<OutgoingMessage[]> {
    const id = `evt-${++this.counter}`;
    await this.handle({
      id,
      channel: 'line',
      address,
      occurredAt: this.clock.now(),
      sequence: 0,
      replyToken: `r-${id}`,
      content: incoming,
    });
    // The engine answers through the outbox: read back what it queued for this event.
    const messages: OutgoingMessage[] = [];
    for (;;) {
      const item = await this.store.outbox.oldestPending('line', address);
      if (!item) break;
      messages.push(...item.messages);
      await this.store.outbox.markSent(item.id, this.clock.now());
    }
    return messages;
  }

  /** Staff notices queued for a case, oldest first (marked as delivered as they are read). */
  async staffNotices(caseId: string): Promise<StaffNotice[]> {
    const notices: StaffNotice[] = [];
    for (;;) {
      const item = await this.store.outbox.oldestPending('slack', `case:${caseId}`);
      if (!item) return notices;
      if (item.notice) notices.push(item.notice);
      await this.store.outbox.markSent(item.id, this.clock.now());
    }
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

/** One LINE user talking to the engine, the way a person would: typing and tapping buttons. */
export class Resident {
  last: OutgoingMessage[] = [];
  constructor(
    private readonly harness: ConversationHarness,
    readonly address: string,
  ) {}

  get key(): string {
    return `line:${this.address}`;
  }

  async follow(): Promise<OutgoingMessage[]> {
    return this.receive({ type: 'follow' });
  }

  async say(text: string): Promise<OutgoingMessage[]> {
    return this.receive({ type: 'text', text });
  }

  async send(incoming: IncomingContent): Promise<OutgoingMessage[]> {
    return this.receive(incoming);
  }

  /** Taps the quick reply that carries `choice` on the last message received (by id, not by label). */
  async choose(choice: ChoiceData): Promise<OutgoingMessage[]> {
    return this.receive({ type: 'choice', data: choiceButtonData(this.buttons(), choice) });
  }

  /** Taps a flow option by its ids (a choice's option, or a multi-choice's toggle): copy can change freely. */
  async tapOption(flow: string, step: string, option: string): Promise<OutgoingMessage[]> {
    return this.choose(flowOptionChoice(this.buttons(), flow, step, option));
  }

  /** Taps "done" on a multi-choice step. */
  async tapDone(flow: string, step: string): Promise<OutgoingMessage[]> {
    return this.choose({ kind: 'done', flow, step });
  }

  /** Taps "skip" on a text step. */
  async tapSkip(flow: string, step: string): Promise<OutgoingMessage[]> {
    return this.choose({ kind: 'skip', flow, step });
  }

  /** Whether the last answer said the text of `key` (in the conversation's language, with `values`). */
  said(key: string, values?: Record<string, string | number>, language = 'ja'): boolean {
    return this.text().includes(t(key, values, language));
  }

  /** Taps the quick reply whose label contains `label` on the last message received. */
  async tap(label: string): Promise<OutgoingMessage[]> {
    const button = this.buttons().find((b) => b.label.includes(label));
    if (button?.kind !== 'choice') {
      throw new Error(
        `no "${label}" button; the buttons are: ${this.buttons()
          .map((b) => b.label)
          .join(' | ')}`,
      );
    }
    return this.receive({ type: 'choice', data: button.data });
  }

  /**
   * A consultation about oneself, named, asking for a phone call (`phone`), up to sending it:
   * the fields by id, the own words when given (skipped otherwise). Returns the case it opened.
   */
  async consultAboutSelf(fields: string[], phone: string, words?: string): Promise<CaseRecord> {
    await this.follow();
    await this.tapOption('welcome', 'menu', 'self');
    await this.tapOption('intake-self', 'who', 'self');
    for (const field of fields) await this.tapOption('intake-self', 'fields', field);
    await this.tapDone('intake-self', 'fields');
    if (words === undefined) await this.tapSkip('intake-self', 'words');
    else await this.say(words);
    await this.tapOption('intake-self', 'urgency', 'soon');
    await this.tapOption('intake-self', 'contact', 'phone');
    await this.say(phone);
    await this.tapSkip('intake-self', 'area');
    await this.tapOption('intake-self', 'confirm', 'send');
    const [record] = await this.harness.store.cases.listByResident(this.key);
    if (!record) throw new Error('no case was opened');
    return record;
  }

  /**
   * A neighbour's report of someone not seen for days, up to sending it; `contactable` is whether
   * the reporter may be contacted on this LINE (`line`) or not (`none`). Returns the case it opened.
   */
  async reportNeighbour(words: string, contactable: 'none' | 'line' = 'none'): Promise<CaseRecord> {
    await this.follow();
    await this.tapOption('welcome', 'menu', 'neighbour');
    await this.tapOption('intake-neighbour', 'observed', 'not_seen');
    await this.tapDone('intake-neighbour', 'observed');
    await this.say(words);
    await this.say('栄町の交番の近く');
    await this.tapOption('intake-neighbour', 'contactable', contactable);
    await this.tapOption('intake-neighbour', 'confirm', 'send');
    const [record] = await this.harness.store.cases.listByResident(this.key);
    if (!record) throw new Error('no case was opened');
    return record;
  }

  /** The shortest "about myself" intake for one field (its id), up to sending it. */
  async completeSelfIntake(field: string): Promise<void> {
    await this.follow();
    await this.tapOption('welcome', 'menu', 'self');
    await this.tapOption('intake-self', 'who', 'self');
    await this.tapOption('intake-self', 'fields', field);
    await this.tapDone('intake-self', 'fields');
    await this.tapSkip('intake-self', 'words');
    await this.tapOption('intake-self', 'urgency', 'anytime');
    await this.tapOption('intake-self', 'contact', 'line');
    await this.tapSkip('intake-self', 'area');
    await this.tapOption('intake-self', 'confirm', 'send');
  }

  buttons(): QuickReply[] {
    return this.last.at(-1)?.quickReplies ?? [];
  }

  text(): string {
    return this.last.map((m) => m.text).join('\n');
  }

  /** Reads what staff pushed to this resident since, as the last messages received (to tap their buttons). */
  async receivePushed(): Promise<OutgoingMessage[]> {
    this.last = await this.harness.pushed(this.address);
    return this.last;
  }

  /** Sends what the resident did (a tap carrying any postback, e.g. the LINE rich menu's). */
  async receive(incoming: IncomingContent): Promise<OutgoingMessage[]> {
    this.last = await this.harness.deliver(this.address, incoming);
    return this.last;
  }
}
