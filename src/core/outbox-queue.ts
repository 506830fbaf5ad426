import type { Logger } from '../logger.js';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import type { KeyedQueue } from './keyed-queue-runner.js';
import type { ChannelSender, SendJournal, SendResult } from './ports/channel-sender.js';
import type { ChannelName } from './ports/incoming-event.js';
import type { ContactRepository, OutboxRecord, OutboxRepository } from './ports/store.js';

export type DeliveryOutcome =
  | { kind: 'sent' }
  | { kind: 'dead'; error: string }
  | { kind: 'retry'; error: string };

export interface OutboxQueueOptions {
  outbox: OutboxRepository;
  contacts: ContactRepository;
  /**
   * Resolves once what has been written is committed (Store.flush): awaited before each send, and
   * after a reply's attempt is journaled, so that nothing is delivered that a crash could make the
   * service forget.
   */
  flush?: () => Promise<void>;
  senders: ReadonlyMap<ChannelName, ChannelSender>;
  logger: Logger;
  hashId: (id: string) => string;
  now?: () => Date;
  /** Attempts before an item becomes a dead letter. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /**
   * A send that has not answered by then counts as a network failure to retry. Shorter than the
   * runner's lease, so a hung connection cannot let another instance take the recipient meanwhile;
   * a push retried this way carries the same retry key, so the platform drops the duplicate, and a
   * reply retried this way meets its own used token (see SendJournal).
   */
  sendTimeoutMs?: number;
  /** How long a done item (sent, dead, cancelled) is kept before the store deletes it. Forever without. */
  keepDoneMs?: number;
  /**
   * Called after an item marked `redactWhenDone` (the confirmation of an erasure) was redacted: the
   * last trace of an erasure is gone, so the store can make it physically gone too.
   */
  onRedacted?: () => Promise<void>;
  /** Told of every attempt's outcome (delivery marks, metrics). Must not throw. */
  onOutcome?: (item: OutboxRecord, outcome: DeliveryOutcome) => void;
}

const keyOf = (channel: ChannelName, address: string) => `${channel}:${address}`;

function parseKey(key: string): { channel: ChannelName; address: string } {
  const at = key.indexOf(':');
  return { channel: key.slice(0, at) as ChannelName, address: key.slice(at + 1) };
}

/** Delivers outbox items through the channel senders, in order per recipient, with retries. */
export class OutboxQueue implements KeyedQueue {
  readonly name = 'outbox';
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly sendTimeoutMs: number;

  constructor(private readonly options: OutboxQueueOptions) {
    this.now = options.now ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 10;
    this.backoff = options.backoff ?? { baseMs: 1_000, maxMs: 5 * 60_000 };
    this.sendTimeoutMs = options.sendTimeoutMs ?? 20_000;
  }

  async dueKeys(now: Date, limit: number): Promise<string[]> {
    const due = await this.options.outbox.dueAddresses(now, limit);
    return due.map((d) => keyOf(d.channel, d.address));
  }

  async processKey(key: string, renew: () => Promise<boolean>): Promise<void> {
    const { channel, address } = parseKey(key);
    const { outbox, contacts, senders } = this.options;
    const log = this.options.logger.child({ channel, user: this.options.hashId(address) });
    const sender = senders.get(channel);
    const contact = await contacts.get(channel, address);
    if (contact && !contact.following) {
      const cancelled = await outbox.cancelPending(
        channel,
        address,
        'recipient unfollowed',
        this.doneExpiry(),
      );
      log.info({ cancelled }, 'recipient has blocked the account; pending messages cancelled');
      return;
    }
    for (;;) {
      const item = await outbox.oldestPending(channel, address);
      if (!item || item.nextAttemptAt > this.now()) return;
      if (!(await renew())) return;
      if (!sender) {
        await this.kill(item, `channel ${channel} is not configured`, log);
        continue;
      }
      const result = await this.sendWithTimeout(sender, item);
      if (result.kind === 'sent') {
        await outbox.markSent(item.id, this.now(), this.doneExpiry());
        this.options.onOutcome?.(item, { kind: 'sent' });
        await this.redactIfAsked(item);
        continue;
      }
      if (result.kind === 'failed') {
        await this.kill(item, result.error, log);
        continue;
      }
      const attempts = item.attempts + 1;
      if (attempts >= this.maxAttempts) {
        await this.kill(item, `gave up after ${attempts} attempts: ${result.error}`, log);
        continue;
      }
      const retryAt = new Date(
        this.now().getTime() + backoffDelay(attempts, this.backoff, result.retryAfterMs),
      );
      await outbox.markRetry(item.id, result.error, retryAt, result.replyTokenSpent);
      log.warn({ itemId: item.id, attempts, retryAt, error: result.error }, 'delivery failed; will retry');
      this.options.onOutcome?.(item, { kind: 'retry', error: result.error });
      // Later items wait for this one, so the recipient reads messages in the order they were written.
      return;
    }
  }

  private async sendWithTimeout(sender: ChannelSender, item: OutboxRecord): Promise<SendResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SendResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            kind: 'retry',
            error: `${sender.channel} send timed out after ${this.sendTimeoutMs} ms`,
            // Whether the token is spent is the sender's to journal: an unanswered reply did not spend it.
            replyTokenSpent: false,
          }),
        this.sendTimeoutMs,
      );
    });
    try {
      await this.options.flush?.();
      return await Promise.race([sender.send(item, this.now(), this.journal(item)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private doneExpiry(): Date | undefined {
    const keep = this.options.keepDoneMs;
    return keep === undefined ? undefined : new Date(this.now().getTime() + keep);
  }

  private async redactIfAsked(item: OutboxRecord): Promise<void> {
    if (!item.redactWhenDone) return;
    const at = this.now();
    await this.options.outbox.redact({ kind: 'item', id: item.id }, at, this.doneExpiry() ?? at);
    await this.options.onRedacted?.();
  }

  private journal(item: OutboxRecord): SendJournal {
    const { outbox } = this.options;
    return {
      replyAttempted: async () => {
        await outbox.markReplyAttempted(item.id, this.now());
        await this.options.flush?.();
      },
      replyTokenSpent: async () => {
        await outbox.markReplyTokenSpent(item.id);
      },
    };
  }

  private async kill(item: OutboxRecord, error: string, log: Logger): Promise<void> {
    await this.options.outbox.markDead(item.id, error, this.doneExpiry());
    log.error({ itemId: item.id, error }, 'message parked as a dead letter');
    this.options.onOutcome?.(item, { kind: 'dead', error });
    await this.redactIfAsked(item);
  }
}
