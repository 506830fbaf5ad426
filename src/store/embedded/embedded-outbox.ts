import type { ChannelName } from '../../core/ports/incoming-event.js';
import type { OutboxRedaction, OutboxRepository } from '../../core/ports/store.js';
import { firstDistinct } from '../first-distinct.js';
import { nextOutboxSequence } from '../outbox-sequence.js';
import {
  contactId,
  emptyCounts,
  newOutboxDoc,
  OUTBOX_STATUSES,
  type OutboxDoc,
  outboxFromDoc,
  outboxRedactUpdate,
} from '../store-documents.js';
import {
  applyUpdate,
  type DatabaseSync,
  DocTable,
  dateJson,
  ms,
  type SqlValue,
  transaction,
} from './sqlite-database.js';

/** The outbox table; the partial indexes hold only pending items (by recipient, and by due time). */
export function outboxTable(db: DatabaseSync): DocTable<OutboxDoc> {
  return new DocTable<OutboxDoc>(db, 'outbox', {
    channel: (d) => d.channel,
    address: (d) => d.address,
    status: (d) => d.status,
    sequence: (d) => d.sequence,
    next_attempt_at: (d) => d.nextAttemptAt.getTime(),
    expires_at: (d) => ms(d.expiresAt),
  });
}

/** The items an OutboxRedaction selects: SQL for the indexed part, and a check of the rest. */
function redactionTarget(target: OutboxRedaction): {
  where: string;
  params: SqlValue[];
  matches: (d: OutboxDoc) => boolean;
} {
  switch (target.kind) {
    case 'recipient':
      return {
        where: 'channel = ? AND address = ?',
        params: [target.channel, target.address],
        matches: () => true,
      };
    case 'case-relays':
      return {
        where: 'address = ?',
        params: [`case:${target.caseId}`],
        matches: (d) => d.notice?.kind === 'thread' && d.notice.note.type === 'resident-message',
      };
    case 'item':
      return { where: 'id = ?', params: [target.id], matches: () => true };
  }
}

export function embeddedOutbox(outbox: DocTable<OutboxDoc>): OutboxRepository {
  const pendingById = (id: string, change: (d: OutboxDoc) => OutboxDoc | null) =>
    outbox.updateById(id, change, "status = 'pending'") !== null;
  return {
    async enqueue(items) {
      // The id is the item's idempotency key: work redone after a crash enqueues the same ids again
      // and must not send twice, so an id already stored is skipped. All of them or none.
      const insertAll = () => {
        for (const item of items) outbox.insert(newOutboxDoc(item, nextOutboxSequence()));
      };
      if (items.length > 1) transaction(outbox.db, insertAll);
      else insertAll();
    },
    async get(id) {
      const doc = outbox.byId(id);
      return doc && outboxFromDoc(doc);
    },
    async dueAddresses(now, limit) {
      // The due pending items in sequence order, from the partial index that keeps pending items in
      // that order (no sort of the whole backlog); the first `limit` recipients met are the ones
      // whose first due item is oldest, and reading stops there.
      const due = outbox
        .statement(
          `SELECT channel, address, sequence FROM outbox INDEXED BY outbox_pending_order
           WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY sequence`,
        )
        .iterate(now.getTime()) as Iterable<{ channel: ChannelName; address: string }>;
      const first = await firstDistinct(due, (row) => contactId(row.channel, row.address), limit);
      return first.map((row) => ({ channel: row.channel, address: row.address }));
    },
    async oldestPending(channel, address) {
      const doc = outbox.one(
        "status = 'pending' AND channel = ? AND address = ? ORDER BY sequence LIMIT 1",
        channel,
        address,
      );
      return doc ? outboxFromDoc(doc) : null;
    },
    async markSent(id, at, expiresAt) {
      // One statement each (hot): json_set changes the document without it being parsed here.
      const { changes } = expiresAt
        ? outbox
            .statement(
              `UPDATE outbox SET status = 'sent', expires_at = ?,
                 doc = json_set(doc, '$.status', 'sent', '$.sentAt', json(?), '$.expiresAt', json(?))
               WHERE id = ? AND status = 'pending'`,
            )
            .run(expiresAt.getTime(), dateJson(at), dateJson(expiresAt), id)
        : outbox
            .statement(
              `UPDATE outbox SET status = 'sent', doc = json_set(doc, '$.status', 'sent', '$.sentAt', json(?))
               WHERE id = ? AND status = 'pending'`,
            )
            .run(dateJson(at), id);
      return changes === 1;
    },
    async markRetry(id, error, retryAt, replyTokenSpent) {
      return pendingById(id, (d) => ({
        ...d,
        lastError: error,
        nextAttemptAt: retryAt,
        attempts: d.attempts + 1,
        ...(replyTokenSpent ? { replyTokenSpent } : {}),
      }));
    },
    async markReplyAttempted(id, at) {
      // The first attempt's time is kept: a later call changes nothing but still reports true.
      return transaction(outbox.db, () => {
        const found = outbox
          .statement(
            `SELECT json_type(doc, '$.replyAttemptedAt') AS attempted FROM outbox WHERE id = ? AND status = 'pending'`,
          )
          .get(id) as { attempted: string | null } | undefined;
        if (!found) return false;
        if (found.attempted === null)
          outbox
            .statement(`UPDATE outbox SET doc = json_set(doc, '$.replyAttemptedAt', json(?)) WHERE id = ?`)
            .run(dateJson(at), id);
        return true;
      });
    },
    async markReplyTokenSpent(id) {
      return pendingById(id, (d) => ({ ...d, replyTokenSpent: true }));
    },
    async markDead(id, error, expiresAt) {
      // A dead letter is the outcome of one more failed attempt, so it is counted like a retry.
      return pendingById(id, (d) => ({
        ...d,
        status: 'dead',
        lastError: error,
        attempts: d.attempts + 1,
        ...(expiresAt ? { expiresAt } : {}),
      }));
    },
    async cancelPending(channel, address, reason, expiresAt) {
      return outbox.update("status = 'pending' AND channel = ? AND address = ?", [channel, address], (d) => ({
        ...d,
        status: 'cancelled',
        lastError: reason,
        ...(expiresAt ? { expiresAt } : {}),
      })).length;
    },
    async redact(target, at, expiresAt) {
      const { where, params, matches } = redactionTarget(target);
      const redaction = outboxRedactUpdate(at, expiresAt);
      return transaction(outbox.db, () => {
        let redacted = 0;
        for (const doc of outbox.many(where, ...params)) {
          if (!matches(doc)) continue;
          // Pending ones are cancelled first.
          const cancelled: OutboxDoc =
            doc.status === 'pending' ? { ...doc, status: 'cancelled', lastError: 'erased' } : doc;
          outbox.replace(applyUpdate(cancelled, redaction), doc);
          redacted++;
        }
        return redacted;
      });
    },
    async removeExpired(now) {
      return outbox.removeInBatches('expires_at <= ?', now.getTime());
    },
    async countByStatus() {
      const counts = emptyCounts(OUTBOX_STATUSES);
      const rows = outbox
        .statement('SELECT status, count(*) AS n FROM outbox GROUP BY status')
        .all() as Array<{
        status: keyof typeof counts;
        n: number;
      }>;
      for (const r of rows) if (r.status in counts) counts[r.status] = r.n;
      return counts;
    },
  };
}
