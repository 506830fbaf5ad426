import type { Collection } from 'mongodb';
import type { OutboxRepository, OutboxStatus } from '../../core/ports/store.js';
import { firstDistinct } from '../first-distinct.js';
import { nextOutboxSequence } from '../outbox-sequence.js';
import {
  contactId,
  emptyCounts,
  newOutboxDoc,
  OUTBOX_STATUSES,
  type OutboxDoc,
  outboxFromDoc,
  outboxRedactionQuery,
  outboxRedactUpdate,
} from '../store-documents.js';
import { isDuplicateKey } from './mongo-queries.js';

export function mongoOutbox(outbox: Collection<OutboxDoc>): OutboxRepository {
  return {
    async enqueue(items) {
      // The id is the item's idempotency key: work redone after a crash enqueues the same ids again
      // and must not send twice, so an id already stored is skipped. One insert per item, in order,
      // because a batch insert stops at (or, on some servers, discards the batch on) a duplicate.
      for (const item of items) {
        try {
          await outbox.insertOne(newOutboxDoc(item, nextOutboxSequence()));
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
    },
    async get(id) {
      const doc = await outbox.findOne({ _id: id });
      return doc && outboxFromDoc(doc);
    },
    async dueAddresses(now, limit) {
      // The due pending items in sequence order, from the index that keeps pending items in that
      // order; the first `limit` recipients met are the ones whose first due item is oldest, and
      // reading stops there.
      const due = outbox.find(
        { status: 'pending', nextAttemptAt: { $lte: now } },
        { sort: { sequence: 1 }, projection: { channel: 1, address: 1 }, batchSize: Math.max(limit * 4, 16) },
      );
      try {
        const first = await firstDistinct(due, (doc) => contactId(doc.channel, doc.address), limit);
        return first.map((doc) => ({ channel: doc.channel, address: doc.address }));
      } finally {
        await due.close();
      }
    },
    async oldestPending(channel, address) {
      const doc = await outbox.findOne({ channel, address, status: 'pending' }, { sort: { sequence: 1 } });
      return doc && outboxFromDoc(doc);
    },
    async markSent(id, at, expiresAt) {
      const r = await outbox.updateOne(
        { _id: id, status: 'pending' },
        { $set: { status: 'sent', sentAt: at, ...(expiresAt ? { expiresAt } : {}) } },
      );
      return r.modifiedCount === 1;
    },
    async markRetry(id, error, retryAt, replyTokenSpent) {
      const r = await outbox.updateOne(
        { _id: id, status: 'pending' },
        {
          $set: { lastError: error, nextAttemptAt: retryAt, ...(replyTokenSpent ? { replyTokenSpent } : {}) },
          $inc: { attempts: 1 },
        },
      );
      return r.modifiedCount === 1;
    },
    async markReplyAttempted(id, at) {
      const current = await outbox.findOne({ _id: id, status: 'pending' });
      if (!current) return false;
      if (current.replyAttemptedAt) return true;
      const r = await outbox.updateOne({ _id: id, status: 'pending' }, { $set: { replyAttemptedAt: at } });
      return r.matchedCount === 1;
    },
    async markReplyTokenSpent(id) {
      const r = await outbox.updateOne({ _id: id, status: 'pending' }, { $set: { replyTokenSpent: true } });
      return r.matchedCount === 1;
    },
    async markDead(id, error, expiresAt) {
      // A dead letter is the outcome of one more failed attempt, so it is counted like a retry.
      const r = await outbox.updateOne(
        { _id: id, status: 'pending' },
        {
          $set: { status: 'dead', lastError: error, ...(expiresAt ? { expiresAt } : {}) },
          $inc: { attempts: 1 },
        },
      );
      return r.modifiedCount === 1;
    },
    async cancelPending(channel, address, reason, expiresAt) {
      const r = await outbox.updateMany(
        { channel, address, status: 'pending' },
        { $set: { status: 'cancelled', lastError: reason, ...(expiresAt ? { expiresAt } : {}) } },
      );
      return r.modifiedCount;
    },
    async redact(target, at, expiresAt) {
      const query = outboxRedactionQuery(target);
      await outbox.updateMany(
        { ...query, status: 'pending' },
        { $set: { status: 'cancelled', lastError: 'erased' } },
      );
      const r = await outbox.updateMany(query, outboxRedactUpdate(at, expiresAt));
      return r.matchedCount;
    },
    async removeExpired(now) {
      const r = await outbox.deleteMany({ expiresAt: { $lte: now } });
      return r.deletedCount;
    },
    async countByStatus() {
      const rows = await outbox
        .aggregate<{ _id: OutboxStatus; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }])
        .toArray();
      const counts = emptyCounts(OUTBOX_STATUSES);
      for (const row of rows) counts[row._id] = row.n;
      return counts;
    },
  };
}
