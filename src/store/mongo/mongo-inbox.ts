import type { Collection } from 'mongodb';
import type { InboxRepository, InboxStatus } from '../../core/ports/store.js';
import { firstDistinct } from '../first-distinct.js';
import {
  emptyCounts,
  INBOX_STATUSES,
  type InboxDoc,
  inboxFromDoc,
  inboxRedactUpdate,
  NOT_REDACTED,
  newInboxDoc,
} from '../store-documents.js';
import { isDuplicateKey, notExpired } from './mongo-queries.js';

const inboxOrder = { 'event.occurredAt': 1, 'event.sequence': 1, receivedAt: 1 } as const;

export function mongoInbox(inbox: Collection<InboxDoc>): InboxRepository {
  return {
    async add(event, key, receivedAt, expiresAt) {
      try {
        await inbox.insertOne(newInboxDoc(event, key, receivedAt, expiresAt));
        return 'added';
      } catch (error) {
        if (isDuplicateKey(error)) return 'duplicate';
        throw error;
      }
    },
    async get(id) {
      const doc = await inbox.findOne({ _id: id, ...NOT_REDACTED, ...notExpired() });
      return doc && inboxFromDoc(doc);
    },
    async dueKeys(now, limit) {
      // The due pending events in inbox order, read from the index that keeps pending events in that
      // order; a conversation's first event is its oldest due one. Reading stops at `limit`
      // conversations, so a poll costs what it returns, not the backlog behind it.
      const due = inbox.find(
        { status: 'pending', nextAttemptAt: { $lte: now }, ...NOT_REDACTED, ...notExpired(now) },
        { sort: { ...inboxOrder, key: 1 }, projection: { key: 1 }, batchSize: Math.max(limit * 4, 16) },
      );
      try {
        return (await firstDistinct(due, (doc) => doc.key, limit)).map((doc) => doc.key);
      } finally {
        await due.close();
      }
    },
    async oldestPending(key) {
      const doc = await inbox.findOne(
        { key, status: 'pending', ...NOT_REDACTED, ...notExpired() },
        { sort: inboxOrder },
      );
      return doc && inboxFromDoc(doc);
    },
    async markDone(id, at) {
      const r = await inbox.updateOne(
        { _id: id, status: 'pending' },
        { $set: { status: 'done', processedAt: at } },
      );
      return r.modifiedCount === 1;
    },
    async markFailed(id, error, retryAt) {
      const $set = retryAt
        ? { lastError: error, nextAttemptAt: retryAt }
        : { lastError: error, status: 'parked' as const };
      const r = await inbox.updateOne({ _id: id, status: 'pending' }, { $set, $inc: { attempts: 1 } });
      return r.modifiedCount === 1;
    },
    async redact(key, upTo, at) {
      const r = await inbox.updateMany({ key, 'event.occurredAt': { $lte: upTo } }, inboxRedactUpdate(at));
      return r.modifiedCount;
    },
    async removeExpired(now) {
      const r = await inbox.deleteMany({ expiresAt: { $lte: now } });
      return r.deletedCount;
    },
    async countByStatus() {
      const rows = await inbox
        .aggregate<{ _id: InboxStatus; n: number }>([
          { $match: notExpired() },
          { $group: { _id: '$status', n: { $sum: 1 } } },
        ])
        .toArray();
      const counts = emptyCounts(INBOX_STATUSES);
      for (const row of rows) counts[row._id] = row.n;
      return counts;
    },
  };
}
