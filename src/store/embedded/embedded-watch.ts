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
import { type Collection, find, findOne, isUniqueViolation, updateOne } from './nedb-collection.js';

/** Watches and check-ins in nedb: each conditional update is atomic in the datastore's executor queue. */
export function embeddedWatch(
  watches: Collection<WatchDoc>,
  checkIns: Collection<CheckInDoc>,
): WatchRepository {
  return {
    async put(record, at) {
      const doc = newWatchDoc(record, at);
      await watches.removeAsync({ _id: record.id }, {});
      await watches.insertAsync(doc);
      return watchFromDoc(doc);
    },
    async get(id) {
      const doc = await findOne(watches, { _id: id });
      return doc && watchFromDoc(doc);
    },
    async listByResident(residentKey) {
      return (await find(watches, { residentKey }, { createdAt: 1, _id: 1 })).map(watchFromDoc);
    },
    async change(id, round, changes, at) {
      const doc = await updateOne(watches, { round, _id: id }, watchChangeUpdate(changes, at));
      return doc && watchFromDoc(doc);
    },
    async setWatcher(id, changes, at) {
      const doc = await updateOne(watches, { _id: id }, watcherUpdate(changes, at));
      return doc && watchFromDoc(doc);
    },
    async findByWatcherCode(code, now) {
      const doc = await findOne(watches, { watcherCodeExpiresAt: { $gt: now }, watcherCode: code });
      return doc && watchFromDoc(doc);
    },
    async forgetWatcher(watcherKey, at) {
      const { numAffected } = await watches.updateAsync(
        { watcherKey },
        watcherUpdate({ watcherKey: undefined }, at),
        { multi: true },
      );
      return numAffected;
    },
    async delete(id) {
      return (await watches.removeAsync({ _id: id }, {})) === 1;
    },
    async countByStatus() {
      const counts = Object.fromEntries(WATCH_STATUSES.map((s) => [s, 0])) as Record<
        (typeof WATCH_STATUSES)[number],
        number
      >;
      for (const status of WATCH_STATUSES) counts[status] = await watches.countAsync({ status });
      return counts;
    },
    async addCheckIn(record) {
      try {
        await checkIns.insertAsync(checkInToDoc(record));
        return 'added';
      } catch (error) {
        if (isUniqueViolation(error)) return 'exists';
        throw error;
      }
    },
    async getCheckIn(id) {
      const doc = await findOne(checkIns, { _id: id });
      return doc && checkInFromDoc(doc);
    },
    async settleCheckIn(id, from, changes) {
      const doc = await updateOne(checkIns, { status: { $in: from }, _id: id }, checkInSettleUpdate(changes));
      return doc && checkInFromDoc(doc);
    },
    async listCheckIns(watchId) {
      return (await find(checkIns, { watchId }, CHECK_IN_ORDER)).map(checkInFromDoc);
    },
    async listCheckInsDue(from, to) {
      return (await find(checkIns, { dueAt: { $gte: from, $lt: to } }, CHECK_IN_ORDER)).map(checkInFromDoc);
    },
    async eraseResident(residentKey) {
      const found = await find(watches, { residentKey }, { _id: 1 });
      for (const doc of found) {
        await checkIns.removeAsync({ watchId: doc._id }, { multi: true });
        await watches.removeAsync({ _id: doc._id }, {});
      }
      return found.length;
    },
    async removeExpired(now) {
      return checkIns.removeAsync({ expiresAt: { $lte: now } }, { multi: true });
    },
  };
}
