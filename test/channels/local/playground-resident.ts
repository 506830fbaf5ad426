import type { Express } from 'express';
import request from 'supertest';
import type { MailboxEntry } from '../../../src/channels/local/local-sender.js';
import type { ChoiceData } from '../../../src/core/conversation/choice-data.js';
import type { QuickReply } from '../../../src/core/ports/outgoing-message.js';
import { choiceButtonData, flowOptionChoice } from '../../support/choice-buttons.js';
import { t } from '../../support/conversation-harness.js';

type BotEntry = Extract<MailboxEntry, { from: 'bot' }>;

/** A simulated resident using the playground API as the page does: sending, then reading the mailbox. */
export class PlaygroundResident {
  private after = 0;
  /** What arrived since the resident last sent something. */
  last: MailboxEntry[] = [];

  constructor(
    private readonly app: Express,
    private readonly settle: () => Promise<void>,
    readonly id: string,
  ) {}

  async send(body: Record<string, unknown>): Promise<MailboxEntry[]> {
    const res = await request(this.app).post(`/playground/api/residents/${this.id}/events`).send(body);
    if (res.status !== 202) throw new Error(`event refused: ${res.status} ${JSON.stringify(res.body)}`);
    await this.settle();
    this.last = await this.read();
    return this.last;
  }

  follow() {
    return this.send({ type: 'follow' });
  }

  say(text: string) {
    return this.send({ type: 'text', text });
  }

  /** Taps the button that carries `choice` (by its ids, not its label). */
  choose(choice: ChoiceData) {
    return this.send({ type: 'choice', data: choiceButtonData(this.buttons(), choice) });
  }

  /** Taps a flow option by its ids (a choice's option, or a multi-choice's toggle). */
  tapOption(flow: string, step: string, option: string) {
    return this.choose(flowOptionChoice(this.buttons(), flow, step, option));
  }

  /** Whether what arrived last says the Japanese text of `key` (with `values`). */
  said(key: string, values?: Record<string, string | number>): boolean {
    return this.text().includes(t(key, values));
  }

  /** Taps by label: kept for the few tests that walk the real Japanese copy on purpose. */
  tap(label: string) {
    const button = this.buttons().find((b) => b.label.includes(label));
    if (button?.kind !== 'choice') throw new Error(`no "${label}" button in: ${this.labels().join(' | ')}`);
    return this.send({ type: 'choice', data: button.data });
  }

  /** Reads what arrived since the last read (staff replies, closing messages). */
  async read(): Promise<MailboxEntry[]> {
    const res = await request(this.app).get(
      `/playground/api/residents/${this.id}/messages?after=${this.after}`,
    );
    if (res.status !== 200) throw new Error(`messages: ${res.status}`);
    this.after = res.body.latest;
    return res.body.entries;
  }

  bot(): BotEntry[] {
    return this.last.filter((e): e is BotEntry => e.from === 'bot');
  }

  buttons(): QuickReply[] {
    return this.bot().at(-1)?.quickReplies ?? [];
  }

  labels(): string[] {
    return this.buttons().map((b) => b.label);
  }

  text(): string {
    return this.bot()
      .map((e) => e.text)
      .join('\n');
  }
}
