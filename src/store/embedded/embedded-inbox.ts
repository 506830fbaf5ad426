import type { InboxRepository } from '../../core/ports/store.js';
import { firstDistinct } from '../first-distinct.js';
import {
  emptyCounts,
  INBOX_STATUSES,
  type InboxDoc,
  inboxFromDoc,
  inboxRedactUpdate,
  newInboxDoc,
} from '../store-documents.js';
import { applyUpdate, type DatabaseSync, DocTable, dateJson, ms } from './sqlite-database.js';

/**
 * The inbox table. `pending_key` repeats `key` while the event is pending and not redacted; the
 * partial index on it holds only those events, grouped by conversation and in order, so finding
 * a conversation's next event costs the size of that conversation, and the due keys the size of
 * what is waiting, never what was already processed.
 */
export function inboxTable(db: DatabaseSync): DocTable<InboxDoc> {
  return new DocTable<InboxDoc>(db, 'inbox', {
    key: (d) => d.key,
    status: (d) => d.status,
    pending_key: (d) => (d.status === 'pending' && !d.redactedAt ? d.key : null),
    next_attempt_at: (d) => d.nextAttemptAt.getTime(),
    // A redacted event has no event: it no longer matches the redaction's `occurredAt` condition.
    occurred_at: (d) => ms(d.event?.occurredAt),
    sequence: (d) => d.event?.sequence ?? null,
    received_at: (d) => d.receivedAt.getTime(),
    expires_at: (d) => d.expiresAt.getTime(),
    redacted: (d) => (d.redactedAt ? 1 : 0),
  });
}

/** The inbox order; events equal in all three keep the order they were stored in (rowid). */
const INBOX_ORDER = 'occurred_at, sequence, received_at';

export function embeddedInbox(inbox: DocTable<InboxDoc>): InboxRepository {
  // The pending event with this id (status 'pending', whether redacted or not, as before).
  const pending = 'status = ?';
  return {
    async add(event, key, receivedAt, expiresAt) {
      const added = inbox.insert(newInboxDoc(event, key, receivedAt, expiresAt));
      return added ? 'added' : 'duplicate';
    },
    async get(id) {
      const doc = inbox.one('id = ? AND redacted = 0 AND expires_at > ?', id, Date.now());
      return doc && inboxFromDoc(doc);
    },
    async dueKeys(now, limit) {
      // The due pending events in inbox order, straight from the partial index that keeps them in
      // that order (the planner is told: `IS NOT NULL` alone does not make it pick a partial index);
      // a conversation's first row is its oldest due event. Reading stops at `limit` conversations,
      // so a poll costs what it returns, not the backlog behind it.
      const due = inbox
        .statement(
          `SELECT pending_key AS key FROM inbox INDEXED BY inbox_pending_order
           WHERE pending_key IS NOT NULL AND next_attempt_at <= ? AND expires_at > ?
           ORDER BY ${INBOX_ORDER}`,
        )
        .iterate(now.getTime(), now.getTime()) as IterableIterator<{ key: string }>;
      return (await firstDistinct(due, (row) => row.key, limit)).map((row) => row.key);
    },
    async oldestPending(key) {
      const doc = inbox.one(
        `pending_key = ? AND expires_at > ? ORDER BY ${INBOX_ORDER} LIMIT 1`,
        key,
        Date.now(),
      );
      return doc ? inboxFromDoc(doc) : null;
    },
    async markDone(id, at) {
      // The hottest write: one statement, the document changed by SQLite's json_set without
      // being parsed here.
      const { changes } = inbox
        .statement(
          `UPDATE inbox SET status = 'done', pending_key = NULL,
             doc = json_set(doc, '$.status', 'done', '$.processedAt', json(?))
           WHERE id = ? AND status = 'pending'`,
        )
        .run(dateJson(at), id);
      return changes === 1;
    },
    async markFailed(id, error, retryAt) {
      const doc = inbox.updateById(
        id,
        (d) =>
          retryAt
            ? { ...d, lastError: error, nextAttemptAt: retryAt, attempts: d.attempts + 1 }
            : { ...d, lastError: error, status: 'parked', attempts: d.attempts + 1 },
        pending,
        'pending',
      );
      return doc !== null;
    },
    async redact(key, upTo, at) {
      const redaction = inboxRedactUpdate(at);
      return inbox.update('key = ? AND occurred_at <= ?', [key, upTo.getTime()], (d) =>
        applyUpdate(d, redaction),
      ).length;
    },
    async removeExpired(now) {
      return inbox.removeInBatches('expires_at <= ?', now.getTime());
    },
    async countByStatus() {
      const counts = emptyCounts(INBOX_STATUSES);
      const rows = inbox
        .statement('SELECT status, count(*) AS n FROM inbox WHERE expires_at > ? GROUP BY status')
        .all(Date.now()) as Array<{ status: keyof typeof counts; n: number }>;
      for (const r of rows) if (r.status in counts) counts[r.status] = r.n;
      return counts;
    },
  };
}
