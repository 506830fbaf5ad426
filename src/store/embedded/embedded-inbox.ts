import type { InboxRepository } from '../../core/ports/store.js';
import {
  emptyCounts,
  INBOX_STATUSES,
  type InboxDoc,
  inboxFromDoc,
  inboxRedactUpdate,
  NOT_REDACTED,
} from '../store-documents.js';
import {
  type Collection,
  find,
  findOne,
  isUniqueViolation,
  notExpired,
  pendingById,
} from './nedb-collection.js';

const inboxOrder = { 'event.occurredAt': 1, 'event.sequence': 1, receivedAt: 1 } as const;

export function embeddedInbox(inbox: Collection<InboxDoc>): InboxRepository {
  return {
    async add(event, key, receivedAt, expiresAt) {
      const doc: InboxDoc = {
        _id: event.id,
        event,
        key,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: receivedAt,
        receivedAt,
        expiresAt,
      };
      try {
        await inbox.insertAsync(doc);
        return 'added';
      } catch (error) {
        if (isUniqueViolation(error)) return 'duplicate';
        throw error;
      }
    },
    async get(id) {
      const doc = await findOne(inbox, { _id: id, ...NOT_REDACTED, ...notExpired() });
      return doc && inboxFromDoc(doc);
    },
    async dueKeys(now, limit) {
      // Only the fields that order the keys are copied out, and each key's oldest event is found in
      // one pass: sorting every pending event (what a sorted find does) grew with the backlog.
      const due = (await inbox.findAsync(
        { status: 'pending', nextAttemptAt: { $lte: now }, ...NOT_REDACTED, ...notExpired(now) },
        { key: 1, 'event.occurredAt': 1, 'event.sequence': 1, receivedAt: 1, _id: 0 },
      )) as unknown as Array<InboxOrderFields & Pick<InboxDoc, 'key'>>;
      const oldest = new Map<string, InboxOrderFields & Pick<InboxDoc, 'key'>>();
      for (const doc of due) {
        const seen = oldest.get(doc.key);
        if (!seen || compareInboxOrder(doc, seen) < 0) oldest.set(doc.key, doc);
      }
      return [...oldest.values()]
        .sort(compareInboxOrder)
        .slice(0, limit)
        .map((d) => d.key);
    },
    async oldestPending(key) {
      // nedb answers from one index: the last indexed field of the query, so `key` goes last.
      const [doc] = await find(
        inbox,
        { status: 'pending', ...NOT_REDACTED, ...notExpired(), key },
        inboxOrder,
        1,
      );
      return doc ? inboxFromDoc(doc) : null;
    },
    async markDone(id, at) {
      const { numAffected } = await inbox.updateAsync(pendingById(id), {
        $set: { status: 'done', processedAt: at },
      });
      return numAffected === 1;
    },
    async markFailed(id, error, retryAt) {
      const $set = retryAt
        ? { lastError: error, nextAttemptAt: retryAt }
        : { lastError: error, status: 'parked' };
      const { numAffected } = await inbox.updateAsync(pendingById(id), { $set, $inc: { attempts: 1 } });
      return numAffected === 1;
    },
    async redact(key, upTo, at) {
      const { numAffected } = await inbox.updateAsync(
        { 'event.occurredAt': { $lte: upTo }, key },
        inboxRedactUpdate(at),
        { multi: true },
      );
      return numAffected;
    },
    async removeExpired(now) {
      return inbox.removeAsync({ expiresAt: { $lte: now } }, { multi: true });
    },
    async countByStatus() {
      const counts = emptyCounts(INBOX_STATUSES);
      for (const status of INBOX_STATUSES)
        counts[status] = await inbox.countAsync({ status, ...notExpired() });
      return counts;
    },
  };
}

type InboxOrderFields = Pick<InboxDoc, 'receivedAt'> & {
  event: Pick<InboxDoc['event'], 'occurredAt' | 'sequence'>;
};

/** The inbox order (occurredAt, then sequence, then receivedAt), as `inboxOrder` sorts. */
function compareInboxOrder(a: InboxOrderFields, b: InboxOrderFields): number {
  return (
    a.event.occurredAt.getTime() - b.event.occurredAt.getTime() ||
    a.event.sequence - b.event.sequence ||
    a.receivedAt.getTime() - b.receivedAt.getTime()
  );
}
