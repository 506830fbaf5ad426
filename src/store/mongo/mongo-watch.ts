import type { Collection } from 'mongodb';
import type { WatchRepository } from '../../core/ports/store.js';
import {
  CHECK_IN_ORDER,
  type CheckInDoc,
  checkInFromDoc,
  checkInSettleUpdate,
  checkInToDoc,
  newWatchDoc,
  WATCH_STATUSES,
  type WatchDoc,
  watchChangeUpdate,
  watcherUpdate,
  watchFromDoc,
} from '../watch-documents.js';
import { isDuplicateKey } from './mongo-queries.js';

/** Watches and check-ins in MongoDB: every decision is one conditional single-document update. */
export function mongoWatch(watches: Collection<WatchDoc>, checkIns: Collection<CheckInDoc>): WatchRepository {
  return {
    async put(record, at) {
      const doc = newWatchDoc(record, at);
      await watches.replaceOne({ _id: record.id }, doc, { upsert: true });
      return watchFromDoc(doc);
    },
    async get(id) {
      const doc = await watches.findOne({ _id: id });
      return doc && watchFromDoc(doc);
    },
    async listByResident(residentKey) {
      const docs = await watches.find({ residentKey }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map(watchFromDoc);
    },
    async change(id, round, changes, at) {
      const r = await watches.updateOne({ _id: id, round }, watchChangeUpdate(changes, at));
      if (r.modifiedCount !== 1) return null;
      const doc = await watches.findOne({ _id: id });
      return doc && watchFromDoc(doc);
    },
    async setWatcher(id, changes, at) {
      const r = await watches.updateOne({ _id: id }, watcherUpdate(changes, at));
      if (r.matchedCount !== 1) return null;
      const doc = await watches.findOne({ _id: id });
      return doc && watchFromDoc(doc);
    },
    async findByWatcherCode(code, now) {
      const doc = await watches.findOne({ watcherCode: code, watcherCodeExpiresAt: { $gt: now } });
      return doc && watchFromDoc(doc);
    },
    async forgetWatcher(watcherKey, at) {
      const r = await watches.updateMany({ watcherKey }, watcherUpdate({ watcherKey: undefined }, at));
      return r.modifiedCount;
    },
    async delete(id) {
      return (await watches.deleteOne({ _id: id })).deletedCount === 1;
    },
    async countByStatus() {
      const counts = Object.fromEntries(WATCH_STATUSES.map((s) => [s, 0])) as Record<
        (typeof WATCH_STATUSES)[number],
        number
      >;
      for (const status of WATCH_STATUSES) counts[status] = await watches.countDocuments({ status });
      return counts;
    },
    async addCheckIn(record) {
      try {
        await checkIns.insertOne(checkInToDoc(record));
        return 'added';
      } catch (error) {
        if (isDuplicateKey(error)) return 'exists';
        throw error;
      }
    },
    async getCheckIn(id) {
      const doc = await checkIns.findOne({ _id: id });
      return doc && checkInFromDoc(doc);
    },
    async settleCheckIn(id, from, changes) {
      const r = await checkIns.updateOne({ _id: id, status: { $in: from } }, checkInSettleUpdate(changes));
      if (r.modifiedCount !== 1) return null;
      const doc = await checkIns.findOne({ _id: id });
      return doc && checkInFromDoc(doc);
    },
    async listCheckIns(watchId) {
      return (await checkIns.find({ watchId }).sort(CHECK_IN_ORDER).toArray()).map(checkInFromDoc);
    },
    async listCheckInsDue(from, to) {
      const docs = await checkIns
        .find({ dueAt: { $gte: from, $lt: to } })
        .sort(CHECK_IN_ORDER)
        .toArray();
      return docs.map(checkInFromDoc);
    },
    async eraseResident(residentKey) {
      const found = await watches.find({ residentKey }).toArray();
      for (const doc of found) {
        await checkIns.deleteMany({ watchId: doc._id });
        await watches.deleteOne({ _id: doc._id });
      }
      return found.length;
    },
    async removeExpired(now) {
      return (await checkIns.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
  };
}
