import { randomUUID } from 'node:crypto';
import type { ChannelSender, SendResult } from '../../core/ports/channel-sender.js';
import type { QuickReply } from '../../core/ports/outgoing-message.js';
import type { StaffNotice } from '../../core/ports/staff-notice.js';
import type { OutboxRecord } from '../../core/ports/store.js';

/** What the resident pane draws as the resident's own bubble (never sent to the core from here). */
export type ResidentBubble =
  | { type: 'follow' }
  | { type: 'text'; text: string }
  /** A tapped quick reply, shown as LINE shows it: its display text. */
  | { type: 'choice'; label: string }
  | { type: 'sticker' }
  | { type: 'location'; latitude: number; longitude: number; address?: string | undefined };

export type MailboxEntry =
  | { sequence: number; at: string; from: 'bot'; text: string; quickReplies: QuickReply[] }
  | { sequence: number; at: string; from: 'resident'; bubble: ResidentBubble };

export type StaffFeedEntry =
  | { sequence: number; at: string; caseId: string; kind: 'notice'; notice: StaffNotice }
  /** What staff sent through 住民に返信, so the thread shows it next to its delivery mark. */
  | {
      sequence: number;
      at: string;
      caseId: string;
      kind: 'reply';
      staffId: string;
      text: string;
      replyId: string;
    };

/** Entries after a cursor. `epoch` changes when the process restarts: the page then starts over. */
export interface Page<T> {
  epoch: string;
  latest: number;
  entries: T[];
}

export interface LocalSenderOptions {
  /** Entries kept per resident mailbox; older ones are dropped (the store's outbox is the record). */
  maxPerMailbox?: number;
  maxFeed?: number;
  /** Residents kept; the one quiet the longest is forgotten first. */
  maxMailboxes?: number;
}

interface Mailbox {
  entries: MailboxEntry[];
  typingUntil: number;
}

const CASE_ADDRESS = 'case:';
/** Enough to recognise an outbox item delivered twice (after a crash between send and markSent). */
const REMEMBERED_IDS = 5_000;

/**
 * The playground's outgoing half, for both sides of the 'local' channel: items carrying a staff
 * notice (addressed `case:<id>`) go to the staff feed; everything else goes to the mailbox of the
 * simulated resident it is addressed to. Kept in memory with one increasing sequence, so each pane
 * polls "what came after N"; the durable copy is the store's outbox.
 */
export class LocalSender implements ChannelSender {
  readonly channel = 'local' as const;
  /** Changes with every process, so a page polling with an old cursor knows to start over. */
  readonly epoch = randomUUID();
  private sequence = 0;
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly feed: StaffFeedEntry[] = [];
  private readonly delivered = new Set<string>();
  private readonly maxPerMailbox: number;
  private readonly maxFeed: number;
  private readonly maxMailboxes: number;

  constructor(options: LocalSenderOptions = {}) {
    this.maxPerMailbox = options.maxPerMailbox ?? 500;
    this.maxFeed = options.maxFeed ?? 2_000;
    this.maxMailboxes = options.maxMailboxes ?? 200;
  }

  async send(item: OutboxRecord, now: Date): Promise<SendResult> {
    if (this.delivered.has(item.id)) return { kind: 'sent' };
    this.remember(item.id);
    const at = now.toISOString();
    if (item.notice) {
      this.pushFeed({
        sequence: ++this.sequence,
        at,
        caseId: item.notice.caseId,
        kind: 'notice',
        notice: item.notice,
      });
      return { kind: 'sent' };
    }
    if (item.address.startsWith(CASE_ADDRESS))
      return { kind: 'failed', error: 'local: a case address needs a notice' };
    const mailbox = this.mailbox(item.address);
    mailbox.typingUntil = 0;
    for (const message of item.messages) {
      this.pushMailbox(mailbox, {
        sequence: ++this.sequence,
        at,
        from: 'bot',
        text: message.text,
        quickReplies: message.quickReplies ?? [],
      });
    }
    return { kind: 'sent' };
  }

  async showTyping(address: string, seconds: number): Promise<void> {
    this.mailbox(address).typingUntil = Date.now() + seconds * 1000;
  }

  /** Shows what the resident sent in their own chat, as LINE would. */
  recordResident(address: string, bubble: ResidentBubble, at: Date): void {
    this.pushMailbox(this.mailbox(address), {
      sequence: ++this.sequence,
      at: at.toISOString(),
      from: 'resident',
      bubble,
    });
  }

  /** Shows a staff reply in its case thread; its delivery mark arrives later as a notice. */
  recordStaffReply(
    caseId: string,
    reply: { staffId: string; text: string; replyId: string },
    at: Date,
  ): void {
    this.pushFeed({ sequence: ++this.sequence, at: at.toISOString(), caseId, kind: 'reply', ...reply });
  }

  /** The label a resident saw on a quick reply carrying `data`, from the newest bot message that had it. */
  choiceLabel(address: string, data: string): string | undefined {
    const entries = this.mailboxes.get(address)?.entries ?? [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      if (entry?.from !== 'bot') continue;
      const reply = entry.quickReplies.find((r) => r.kind === 'choice' && r.data === data);
      if (reply?.kind === 'choice') return reply.displayText ?? reply.label;
    }
    return undefined;
  }

  messagesAfter(address: string, after: number): Page<MailboxEntry> & { typing: boolean } {
    const mailbox = this.mailboxes.get(address);
    return {
      ...this.page(mailbox?.entries ?? [], after),
      typing: mailbox !== undefined && mailbox.typingUntil > Date.now(),
    };
  }

  feedAfter(after: number, caseId?: string): Page<StaffFeedEntry> {
    const page = this.page(this.feed, after);
    return caseId ? { ...page, entries: page.entries.filter((e) => e.caseId === caseId) } : page;
  }

  /** Residents with a mailbox, most recently active first. */
  residents(): string[] {
    return [...this.mailboxes.keys()].reverse();
  }

  private page<T extends { sequence: number }>(entries: T[], after: number): Page<T> {
    return { epoch: this.epoch, latest: this.sequence, entries: entries.filter((e) => e.sequence > after) };
  }

  private mailbox(address: string): Mailbox {
    const existing = this.mailboxes.get(address);
    // Re-inserted on every use, so the Map's order is "least recently active first".
    this.mailboxes.delete(address);
    const mailbox = existing ?? { entries: [], typingUntil: 0 };
    this.mailboxes.set(address, mailbox);
    while (this.mailboxes.size > this.maxMailboxes) {
      const oldest = this.mailboxes.keys().next().value as string;
      this.mailboxes.delete(oldest);
    }
    return mailbox;
  }

  private pushMailbox(mailbox: Mailbox, entry: MailboxEntry): void {
    mailbox.entries.push(entry);
    if (mailbox.entries.length > this.maxPerMailbox)
      mailbox.entries.splice(0, mailbox.entries.length - this.maxPerMailbox);
  }

  private pushFeed(entry: StaffFeedEntry): void {
    this.feed.push(entry);
    if (this.feed.length > this.maxFeed) this.feed.splice(0, this.feed.length - this.maxFeed);
  }

  private remember(id: string): void {
    this.delivered.add(id);
    if (this.delivered.size > REMEMBERED_IDS) {
      const oldest = this.delivered.values().next().value as string;
      this.delivered.delete(oldest);
    }
  }
}
