import type { ChannelName } from '../../core/ports/incoming-event.js';
import type { OutboxRepository } from '../../core/ports/store.js';
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
import { type Collection, find, findOne, isUniqueViolation, pendingById } from './nedb-collection.js';

export function embeddedOutbox(outbox: Collection<OutboxDoc>): OutboxRepository {
  return {
    async enqueue(items) {
      // The id is the item's idempotency key: work redone after a crash enqueues the same ids again
      // and must not send twice, so an id already stored is skipped. One insert per item, in order,
      // because a batch insert stops at (or, on some servers, discards the batch on) a duplicate.
      for (const item of items) {
        try {
          await outbox.insertAsync(newOutboxDoc(item, nextOutboxSequence()));
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
      }
    },
    async get(id) {
      const doc = await findOne(outbox, { _id: id });
      return doc && outboxFromDoc(doc);
    },
    async dueAddresses(now, limit) {
      const due = await find(outbox, { status: 'pending', nextAttemptAt: { $lte: now } }, { sequence: 1 });
      const seen = new Map<string, { channel: ChannelName; address: string }>();
      for (const d of due) {
        const id = contactId(d.channel, d.address);
        if (!seen.has(id)) seen.set(id, { channel: d.channel, address: d.address });
        if (seen.size >= limit) break;
      }
      return [...seen.values()];
    },
    async oldestPending(channel, address) {
      // nedb answers from one index: the last indexed field of the query, so `address` goes last.
      const [doc] = await find(outbox, { status: 'pending', channel, address }, { sequence: 1 }, 1);
      return doc ? outboxFromDoc(doc) : null;
    },
    async markSent(id, at, expiresAt) {
      const { numAffected } = await outbox.updateAsync(pendingById(id), {
        $set: { status: 'sent', sentAt: at, ...(expiresAt ? { expiresAt } : {}) },
      });
      return numAffected === 1;
    },
    async markRetry(id, error, retryAt, replyTokenSpent) {
      const { numAffected } = await outbox.updateAsync(pendingById(id), {
        $set: { lastError: error, nextAttemptAt: retryAt, ...(replyTokenSpent ? { replyTokenSpent } : {}) },
        $inc: { attempts: 1 },
      });
      return numAffected === 1;
    },
    async markReplyAttempted(id, at) {
      const current = await findOne(outbox, pendingById(id));
      if (!current) return false;
      if (current.replyAttemptedAt) return true;
      const { numAffected } = await outbox.updateAsync(pendingById(id), { $set: { replyAttemptedAt: at } });
      return numAffected === 1;
    },
    async markReplyTokenSpent(id) {
      const { numAffected } = await outbox.updateAsync(pendingById(id), { $set: { replyTokenSpent: true } });
      return numAffected === 1;
    },
    async markDead(id, error, expiresAt) {
      // A dead letter is the outcome of one more failed attempt, so it is counted like a retry.
      const { numAffected } = await outbox.updateAsync(pendingById(id), {
        $set: { status: 'dead', lastError: error, ...(expiresAt ? { expiresAt } : {}) },
        $inc: { attempts: 1 },
      });
      return numAffected === 1;
    },
    async cancelPending(channel, address, reason, expiresAt) {
      const { numAffected } = await outbox.updateAsync(
        { status: 'pending', channel, address },
        { $set: { status: 'cancelled', lastError: reason, ...(expiresAt ? { expiresAt } : {}) } },
        { multi: true },
      );
      return numAffected;
    },
    async redact(target, at, expiresAt) {
      const query = outboxRedactionQuery(target);
      await outbox.updateAsync(
        { status: 'pending', ...query },
        { $set: { status: 'cancelled', lastError: 'erased' } },
        { multi: true },
      );
      const { numAffected } = await outbox.updateAsync(query, outboxRedactUpdate(at, expiresAt), {
        multi: true,
      });
      return numAffected;
    },
    async removeExpired(now) {
      return outbox.removeAsync({ expiresAt: { $lte: now } }, { multi: true });
    },
    async countByStatus() {
      const counts = emptyCounts(OUTBOX_STATUSES);
      for (const status of OUTBOX_STATUSES) counts[status] = await outbox.countAsync({ status });
      return counts;
    },
  };
}
