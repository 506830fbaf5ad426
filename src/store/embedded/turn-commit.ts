/**
 * Group commit for the processing thread's connection: the writes made in one turn of the event
 * loop share one transaction, committed when the turn ends (setImmediate), instead of a commit
 * (a write of the changed pages into the write-ahead log) for each of them. A burst of events is
 * handled by many units of work interleaved on the one thread; their writes now cost one commit a
 * turn, and a unit that must be all-or-nothing still is (`transaction` runs it in a savepoint).
 *
 * What leaves the process must not run ahead of what led to it: before every send the outbox queue
 * waits for the turn's commit (`Store.flush`), so a crash never forgets a message that was already
 * delivered; the sends of one turn wait for the same commit. A crash (or a kill) otherwise loses
 * at most the writes of the turn it interrupts, which is the same as crashing a moment earlier:
 * the inbox still holds the events, and their work is done again.
 *
 * A commit that fails (a full disk, an I/O error), or a transaction that SQLite rolled back by
 * itself, would leave the turn's writes undone while the work that made them goes on, as if they
 * were stored. That is not a state the queues can recover from in place, so the store stops: every
 * later call throws, and `onFailure` is told, which ends the processing thread as a crash would
 * (the process exits and is restarted, and the work is redone from what was committed).
 *
 * Only the processing thread's connection commits this way. The HTTP thread's writes (incoming
 * events, which it acknowledges) and a single-thread service's keep their own commits.
 */
import type { DatabaseSync } from './sqlite-database.js';

export class TurnCommit {
  private open = false;
  private finished = false;
  private failure: Error | undefined;
  /** Those waiting for this turn's commit (`committed`). */
  private waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(
    private readonly db: DatabaseSync,
    private readonly onFailure: (error: Error) => void,
  ) {}

  /** Before every store call: opens this turn's transaction unless it is open already. */
  join(): void {
    if (this.failure) throw this.failure;
    if (this.open) {
      if (!this.db.isTransaction) this.fail(new Error('SQLite rolled back the transaction of this turn'));
      return;
    }
    if (this.finished || !this.db.isOpen || this.db.isTransaction) return;
    this.db.exec('BEGIN IMMEDIATE');
    this.open = true;
    setImmediate(this.endOfTurn);
  }

  /**
   * Resolves once everything written so far is committed: at the end of this turn, together with
   * the rest of the turn's writes (the sends of one turn share one commit), or at once when nothing
   * waits to be committed. Rejects when the commit fails.
   */
  committed(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.open) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Commits what has been written so far, now; throws when it cannot (and the store has stopped). */
  commit(): void {
    if (this.failure) throw this.failure;
    if (!this.open) return;
    this.open = false;
    if (!this.db.isTransaction) this.fail(new Error('SQLite rolled back the transaction of this turn'));
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const { resolve } of waiting) resolve();
  }

  /** Commits, and from then on every write commits by itself (the store is closing). */
  finish(): void {
    this.finished = true;
    this.commit();
  }

  private readonly endOfTurn = (): void => {
    try {
      this.commit();
    } catch {
      // Told to onFailure already.
    }
  };

  private fail(cause: Error): never {
    this.open = false;
    const failure = new Error(`the store stopped: a commit failed (${cause.message})`, { cause });
    this.failure = failure;
    const waiting = this.waiting;
    this.waiting = [];
    for (const { reject } of waiting) reject(failure);
    this.onFailure(failure);
    throw failure;
  }
}

/**
 * `repository` with every method joining the turn's transaction first (each returns a promise:
 * a stopped store's rejects). Methods are found on the object itself (the repositories are object
 * literals).
 */
export function joiningTurns<R extends object>(repository: R, turn: TurnCommit): R {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(repository)) {
    wrapped[name] =
      typeof member === 'function'
        ? (...args: unknown[]) => {
            try {
              turn.join();
            } catch (error) {
              return Promise.reject(error);
            }
            return (member as (...a: unknown[]) => unknown).apply(repository, args);
          }
        : member;
  }
  return wrapped as R;
}
