import { pino } from 'pino';
import { loadConfig, projectRoot } from '../../src/config.js';
import { CaseDesk } from '../../src/core/cases/case-desk.js';
import type { HandoffListener } from '../../src/core/cases/handoff-listener.js';
import { createConversationHandler } from '../../src/core/conversation/conversation-engine.js';
import type { EventHandler } from '../../src/core/inbox-queue.js';
import type { IncomingContent } from '../../src/core/incoming-event.js';
import { Outbox } from '../../src/core/outbox.js';
import type { OutgoingMessage, QuickReply } from '../../src/core/outgoing-message.js';
import type { CaseRecord, Store } from '../../src/core/store.js';
import { type ConversationContent, loadConversationContent } from '../../src/load-conversation-content.js';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { FakeClock } from './fake-clock.js';

const content: ConversationContent = loadConversationContent(
  projectRoot,
  loadConfig({}).municipalityConfigPath,
);

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
  ) {}

  static async create(
    options: { clock?: FakeClock; resumeAfterMs?: number } = {},
  ): Promise<ConversationHarness> {
    const store = await openEmbeddedStore({ inMemory: true });
    const clock = options.clock ?? new FakeClock();
    const languages = new Map<string, string>();
    let harness: ConversationHarness | undefined;
    const handoff: HandoffListener = {
      caseOpened: (r, c) => (harness as ConversationHarness).handoff.caseOpened(r, c),
      caseUpdated: (r, c) => (harness as ConversationHarness).handoff.caseUpdated(r, c),
      residentMessage: (r, c) => (harness as ConversationHarness).handoff.residentMessage(r, c),
    };
    const handle = createConversationHandler({
      ...content,
      config: content.municipality,
      sessions: store.sessions,
      contacts: store.contacts,
      outboxRepository: store.outbox,
      outbox: new Outbox(store.outbox, clock.now),
      desk: new CaseDesk(store.cases, store.audit, content.municipality, handoff, clock.now),
      handoff,
      lookupLanguage: async (_channel, address) => languages.get(address),
      settings: { resumeAfterMs: options.resumeAfterMs ?? 30 * 60_000, sessionTtlMs: 30 * 86_400_000 },
      logger: pino({ level: 'silent' }),
      now: clock.now,
    });
    harness = new ConversationHarness(store, clock, handle, languages);
    return harness;
  }

  resident(address = `U${String(++this.counter).padStart(32, '0')}`): Resident {
    return new Resident(this, address);
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

  buttons(): QuickReply[] {
    return this.last.at(-1)?.quickReplies ?? [];
  }

  text(): string {
    return this.last.map((m) => m.text).join('\n');
  }

  private async receive(incoming: IncomingContent): Promise<OutgoingMessage[]> {
    this.last = await this.harness.deliver(this.address, incoming);
    return this.last;
  }
}
