import { createHash, randomUUID } from 'node:crypto';
import type { ChannelName, IncomingEvent } from './ports/incoming-event.js';
import type { OutgoingMessage } from './ports/outgoing-message.js';
import type { StaffNotice } from './ports/staff-notice.js';
import type { NewOutboxItem, OutboxRepository } from './ports/store.js';

/** LINE accepts at most five messages per reply or push; other channels are no stricter. */
export const MESSAGES_PER_ITEM = 5;

/**
 * A UUID derived from a name. Items caused by one inbox event get the same ids when the event is
 * handled again after a crash, so the outbox ignores them instead of sending twice.
 */
export function nameBasedUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The core's way to send: everything goes to the durable outbox; the outbox worker delivers it. */
export class Outbox {
  constructor(
    private readonly repository: OutboxRepository,
    private readonly now: () => Date = () => new Date(),
    /** How long after an event its reply token is still worth spending. */
    private readonly replyWindowMs = 20_000,
    /** Told the queue key (`channel:address`) that just got messages. */
    private readonly onEnqueued: (key: string) => void = () => {},
  ) {}

  /**
   * Answers an incoming event: the reply token (if any) goes with the first batch. `redactWhenDone`
   * (the answer to an erasure) has the items redacted as soon as they are delivered or given up.
   */
  async reply(
    event: IncomingEvent,
    messages: OutgoingMessage[],
    options: { redactWhenDone?: boolean } = {},
  ): Promise<void> {
    await this.enqueue(event.channel, event.address, messages, `reply:${event.id}`, {
      replyToken: event.replyToken,
      replyTokenExpiresAt: new Date(event.occurredAt.getTime() + this.replyWindowMs),
      redactWhenDone: options.redactWhenDone === true,
    });
  }

  /**
   * Sends to an address without a reply token. `cause` makes the call idempotent: the same cause
   * never enqueues twice. Without it, each call is a new send.
   */
  async push(
    channel: ChannelName,
    address: string,
    messages: OutgoingMessage[],
    cause?: string,
  ): Promise<void> {
    await this.enqueue(channel, address, messages, cause ?? `push:${randomUUID()}`);
  }

  /**
   * Tells staff something about a case, through the staff channel. Addressed to the case, so the
   * notices of one case arrive in order. `cause` makes it idempotent, as for push.
   */
  async notify(channel: ChannelName, notice: StaffNotice, cause: string): Promise<void> {
    const address = `case:${notice.caseId}`;
    await this.repository.enqueue([
      {
        id: nameBasedUuid(`notice:${cause}`),
        channel,
        address,
        messages: [],
        notice,
        causedBy: cause,
        createdAt: this.now(),
      },
    ]);
    this.onEnqueued(`${channel}:${address}`);
  }

  private async enqueue(
    channel: ChannelName,
    address: string,
    messages: OutgoingMessage[],
    cause: string,
    reply?: { replyToken: string | undefined; replyTokenExpiresAt: Date; redactWhenDone: boolean },
  ): Promise<void> {
    if (messages.length === 0) return;
    const createdAt = this.now();
    const items: NewOutboxItem[] = [];
    for (let start = 0; start < messages.length; start += MESSAGES_PER_ITEM) {
      const first = start === 0;
      items.push({
        id: nameBasedUuid(`${cause}#${start / MESSAGES_PER_ITEM}`),
        channel,
        address,
        messages: messages.slice(start, start + MESSAGES_PER_ITEM),
        replyToken: first ? reply?.replyToken : undefined,
        replyTokenExpiresAt: first && reply?.replyToken ? reply.replyTokenExpiresAt : undefined,
        redactWhenDone: reply?.redactWhenDone ? true : undefined,
        causedBy: cause,
        createdAt,
      });
    }
    await this.repository.enqueue(items);
    this.onEnqueued(`${channel}:${address}`);
  }
}
