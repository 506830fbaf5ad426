import type { Logger } from '../logger.js';
import type { LeaseRepository } from './ports/store.js';

/**
 * Work grouped by key (a user, a recipient) where one key's items must be handled one at a time and in
 * order, while different keys go in parallel. The inbox and the outbox are both such queues.
 */
export interface KeyedQueue {
  readonly name: string;
  /** Keys with work due now, oldest first. */
  dueKeys(now: Date, limit: number): Promise<string[]>;
  /**
   * Handles the key's due items in order, stopping at the first one that is not due or failed.
   * `renew` extends the lease and says whether it is still ours: call it before each item.
   */
  processKey(key: string, renew: () => Promise<boolean>): Promise<void>;
}

export interface KeyedQueueRunnerOptions {
  queue: KeyedQueue;
  leases: LeaseRepository;
  /** Identifies this process among instances sharing the store. */
  owner: string;
  logger: Logger;
  now?: () => Date;
  /** How long a key stays ours without renewal; longer than one item's worst-case handling. */
  leaseMs?: number;
  /** How often to look for due work without being kicked (retries, other instances' events). */
  pollIntervalMs?: number;
  /** Keys handled at once. Slow keys occupy a slot each, so this is generous. */
  concurrency?: number;
}

/**
 * Runs a KeyedQueue: claims keys through leases in the store (so several instances can share it),
 * keeps a key on one worker at a time, and polls for work that becomes due later.
 */
export class KeyedQueueRunner {
  private readonly queue: KeyedQueue;
  private readonly leases: LeaseRepository;
  private readonly owner: string;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly concurrency: number;
  private readonly active = new Map<string, Promise<void>>();
  /** Keys this process just stored work for: handled without asking the store what is due. */
  private readonly hinted = new Set<string>();
  /** Whether the next pass asks the store for due keys (retries, other instances' work). */
  private pollDue = true;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(options: KeyedQueueRunnerOptions) {
    this.queue = options.queue;
    this.leases = options.leases;
    this.owner = options.owner;
    this.logger = options.logger.child({ queue: options.queue.name });
    this.now = options.now ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.concurrency = options.concurrency ?? 32;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Asks for a pass as soon as possible: new work was just stored for `keys` (or, without keys, for
   * anyone). Naming the keys spares a scan of everything due, which matters under load.
   */
  kick(keys?: Iterable<string>): void {
    if (keys) for (const key of keys) this.hinted.add(key);
    else this.pollDue = true;
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /**
   * Runs passes until nothing is due now and no key is in hand. For tests and for draining at
   * shutdown. It waits for every key in hand, so a key that hangs makes it hang too: callers that
   * prove other keys are not held up use `settled()` and bounded waits instead.
   */
  async drain(maxPasses = 100): Promise<void> {
    for (let i = 0; i < maxPasses; i++) {
      await this.pass;
      await this.settled();
      const keys = await this.queue.dueKeys(this.now(), 1);
      if (keys.length === 0 && this.active.size === 0 && this.hinted.size === 0) return;
      this.pollDue = true;
      await this.runPass();
    }
  }

  /** Resolves once every key in hand when it was called (and any started meanwhile) has finished. */
  async settled(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled(this.active.values());
  }

  /** The keys being worked on right now (for tests and diagnostics). */
  inFlight(): string[] {
    return [...this.active.keys()];
  }

  /** Stops polling and waits for the keys in hand to finish their current items. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
    await Promise.allSettled(this.active.values());
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (delayMs > 0) this.pollDue = true;
      void this.loop();
    }, delayMs);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.runPass();
    } while (this.again && !this.stopped);
    if (!this.stopped) this.schedule(this.pollIntervalMs);
  }

  private runPass(): Promise<void> {
    this.pass ??= this.claimAndStart().finally(() => {
      this.pass = undefined;
    });
    return this.pass;
  }

  /**
   * Starts work on the due keys and returns without waiting for it: a pass only decides what to start.
   * A key that is slow (a hung API call, a long retry) therefore never holds back another key, and
   * new work starts while slow work is still in flight. When a key finishes, a new pass looks at the
   * keys that had to wait for it.
   */
  private async claimAndStart(): Promise<void> {
    if (this.pollDue) {
      this.pollDue = false;
      try {
        for (const key of await this.queue.dueKeys(this.now(), this.concurrency * 4)) this.hinted.add(key);
      } catch (error) {
        this.logger.error({ err: error }, 'could not list due work; will retry');
      }
    }
    // Keys wait in the order their work arrived, so under a backlog the oldest events (whose reply
    // tokens expire first) go first. A pass stops once every slot is taken and leaves the rest
    // waiting untouched: it costs the number of slots, not the length of the backlog.
    for (const key of this.hinted) {
      if (this.active.size >= this.concurrency) break;
      // A key in hand stays waiting: it is looked at again when it finishes.
      if (this.active.has(key)) continue;
      this.hinted.delete(key);
      const work = this.processWithLease(key).finally(() => {
        this.active.delete(key);
        if (this.hinted.size > 0) this.kick([]);
      });
      this.active.set(key, work);
    }
  }

  private async processWithLease(key: string): Promise<void> {
    const leaseKey = `${this.queue.name}:${key}`;
    const renew = () =>
      this.leases.acquire(leaseKey, this.owner, new Date(this.now().getTime() + this.leaseMs), this.now());
    try {
      if (!(await renew())) return;
      // The lease was taken just now: the first item needs no renewal (one store write less per key).
      let justAcquired = true;
      const renewBeforeItem = () => {
        if (!justAcquired) return renew();
        justAcquired = false;
        return Promise.resolve(true);
      };
      try {
        await this.queue.processKey(key, renewBeforeItem);
      } finally {
        await this.leases.release(leaseKey, this.owner);
      }
    } catch (error) {
      this.logger.error({ err: error }, 'key processing failed; it stays queued');
    }
  }
}
