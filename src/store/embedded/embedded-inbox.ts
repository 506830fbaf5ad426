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

/**
 * The embedded inbox document: `pendingKey` repeats `key` while the event is pending and is removed
 * once it is done, parked or redacted. Its index holds only pending events, grouped by conversation,
 * so finding a conversation's next event and marking one done cost the size of that conversation,
 * not of the backlog. (An index on `status` kept every pending event under one index entry: each
 * update scanned them all, and each expired event removed scanned every done one.)
 */
export type EmbeddedInboxDoc = InboxDoc & { pendingKey?: string };

/** Indexes of the embedded inbox, and the data files written before `pendingKey` brought up to date. */
export async function prepareInbox(inbox: Collection<EmbeddedInboxDoc>): Promise<void> {
  await Promise.all([
    inbox.ensureIndexAsync({ fieldName: 'key' }),
    inbox.ensureIndexAsync({ fieldName: 'pendingKey', sparse: true }),
    inbox.ensureIndexAsync({ fieldName: 'expiresAt', expireAfterSeconds: 0 }),
  ]);
  // Data from before: the status index goes, and pending events get their pendingKey (once).
  if ((inbox as unknown as { indexes: Record<string, unknown> }).indexes.status)
    await inbox.removeIndexAsync('status');
  const unmarked = await find(
    inbox,
    { status: 'pending', pendingKey: { $exists: false }, ...NOT_REDACTED },
    {},
  );
  for (const doc of unmarked) await inbox.updateAsync({ _id: doc._id }, { $set: { pendingKey: doc.key } });
}

export function embeddedInbox(inbox: Collection<EmbeddedInboxDoc>): InboxRepository {
  return {
    async add(event, key, receivedAt, expiresAt) {
      const doc: EmbeddedInboxDoc = {
        _id: event.id,
        event,
        key,
        pendingKey: key,
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
      // nedb picks the index of the last range condition: `pendingKey` goes last.
      const due = (await inbox.findAsync(
        {
          status: 'pending',
          nextAttemptAt: { $lte: now },
          ...NOT_REDACTED,
          ...notExpired(now),
          pendingKey: { $gt: '' },
        },
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
      // nedb answers from one index: the last indexed field of the query, so `pendingKey` goes last.
      const [doc] = await find(
        inbox,
        { status: 'pending', ...NOT_REDACTED, ...notExpired(), pendingKey: key },
        inboxOrder,
        1,
      );
      return doc ? inboxFromDoc(doc) : null;
    },
    async markDone(id, at) {
      const { numAffected } = await inbox.updateAsync(pendingById(id), {
        $set: { status: 'done', processedAt: at },
        $unset: { pendingKey: '' },
      });
      return numAffected === 1;
    },
    async markFailed(id, error, retryAt) {
      const update = retryAt
        ? { $set: { lastError: error, nextAttemptAt: retryAt }, $inc: { attempts: 1 } }
        : { $set: { lastError: error, status: 'parked' }, $unset: { pendingKey: '' }, $inc: { attempts: 1 } };
      const { numAffected } = await inbox.updateAsync(pendingById(id), update);
      return numAffected === 1;
    },
    async redact(key, upTo, at) {
      const redaction = inboxRedactUpdate(at);
      const { numAffected } = await inbox.updateAsync(
        { 'event.occurredAt': { $lte: upTo }, key },
        { ...redaction, $unset: { ...redaction.$unset, pendingKey: '' } },
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
