import type { Logger } from '../logger.js';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import { isTemporary } from './coded-error.js';
import type { KeyedQueue } from './keyed-queue-runner.js';
import type { IncomingEvent } from './ports/incoming-event.js';
import type { InboxRecord, InboxRepository } from './ports/store.js';

export type EventHandler = (event: IncomingEvent) => Promise<void>;

export interface InboxQueueOptions {
  inbox: InboxRepository;
  handle: EventHandler;
  logger: Logger;
  /** Pseudonymises addresses for logs. */
  hashId: (id: string) => string;
  now?: () => Date;
  /** Attempts before an event is parked with its error (a permanent error parks it at once). */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  onParked?: (record: InboxRecord, error: unknown) => void;
  onProcessed?: (record: InboxRecord, startedAt: Date) => void;
}

/** Stored incoming events, handled in order per conversation. */
export class InboxQueue implements KeyedQueue {
  readonly name = 'inbox';
  private readonly options: Required<Omit<InboxQueueOptions, 'onParked' | 'onProcessed'>> &
    Pick<InboxQueueOptions, 'onParked' | 'onProcessed'>;

  constructor(options: InboxQueueOptions) {
    this.options = {
      now: () => new Date(),
      maxAttempts: 5,
      backoff: { baseMs: 2_000, maxMs: 5 * 60_000 },
      ...options,
    };
  }

  dueKeys(now: Date, limit: number): Promise<string[]> {
    return this.options.inbox.dueKeys(now, limit);
  }

  async processKey(key: string, renew: () => Promise<boolean>): Promise<void> {
    const { inbox, handle, now } = this.options;
    for (;;) {
      const record = await inbox.oldestPending(key);
      // A not-yet-due retry blocks the events after it: order matters more than speed here.
      if (!record || record.nextAttemptAt > now()) return;
      if (!(await renew())) return;
      const startedAt = now();
      const log = this.options.logger.child({
        eventId: record.id,
        channel: record.event.channel,
        user: this.options.hashId(record.event.address),
      });
      try {
        await handle(record.event);
      } catch (error) {
        await this.recordFailure(record, error, log);
        return;
      }
      await inbox.markDone(record.id, now());
      log.debug({ type: record.event.content.type }, 'event processed');
      this.options.onProcessed?.(record, startedAt);
    }
  }

  private async recordFailure(record: InboxRecord, error: unknown, log: Logger): Promise<void> {
    const { inbox, now, maxAttempts, backoff } = this.options;
    const attempts = record.attempts + 1;
    const code = (error as { code?: unknown } | null)?.code;
    const message =
      error instanceof Error
        ? `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`
        : String(error);
    // A bug fails the same way every time: parked at once, so the resident's later messages go on.
    const permanent = !isTemporary(error);
    if (permanent || attempts >= maxAttempts) {
      await inbox.markFailed(record.id, message, null);
      log.error(
        { err: error, attempts },
        permanent ? 'event parked: the error is permanent' : 'event parked after repeated failures',
      );
      this.options.onParked?.(record, error);
      return;
    }
    const retryAt = new Date(now().getTime() + backoffDelay(attempts, backoff));
    await inbox.markFailed(record.id, message, retryAt);
    log.warn({ err: error, attempts, retryAt }, 'event processing failed; will retry');
  }
}
