let last = 0;

/**
 * The `sequence` of a new outbox item: microseconds since the epoch, bumped so that it strictly
 * increases within this process even when several items are enqueued in one millisecond or the
 * clock steps back. (2^53 microseconds lasts until the year 2255.)
 *
 * No shared counter is needed because the items of one address are only enqueued by the instance
 * that holds that user's lease, i.e. by one process at a time, and this process's values never go
 * down. When the lease moves to another instance the lease's own handover time (a release or an
 * expiry) separates the two writers by far more than the clock skew of NTP-synchronised hosts, so
 * the new holder's time-based values still sort after the old holder's.
 */
export function nextOutboxSequence(nowMs: number = Date.now()): number {
  last = Math.max(nowMs * 1000, last + 1);
  return last;
}
