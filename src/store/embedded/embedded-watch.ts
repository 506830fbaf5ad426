import type { WatchRepository } from '../../core/ports/store.js';
import {
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
import { applyUpdate, type DatabaseSync, DocTable, ms, transaction } from './sqlite-database.js';

export function watchesTable(db: DatabaseSync): DocTable<WatchDoc> {
  return new DocTable<WatchDoc>(db, 'watches', {
    resident_key: (d) => d.residentKey,
    status: (d) => d.status,
    round: (d) => d.round,
    created_at: (d) => d.createdAt.getTime(),
    watcher_key: (d) => d.watcherKey ?? null,
    watcher_code: (d) => d.watcherCode ?? null,
    watcher_code_expires_at: (d) => ms(d.watcherCodeExpiresAt),
  });
}

export function checkInsTable(db: DatabaseSync): DocTable<CheckInDoc> {
  return new DocTable<CheckInDoc>(db, 'check_ins', {
    watch_id: (d) => d.watchId,
    status: (d) => d.status,
    due_at: (d) => d.dueAt.getTime(),
    expires_at: (d) => d.expiresAt.getTime(),
  });
}

/** Watches and check-ins: each conditional change is a read and a write with nothing in between. */
export function embeddedWatch(watches: DocTable<WatchDoc>, checkIns: DocTable<CheckInDoc>): WatchRepository {
  return {
    async put(record, at) {
      const doc = newWatchDoc(record, at);
      watches.put(doc);
      return watchFromDoc(doc);
    },
    async get(id) {
      const doc = watches.byId(id);
      return doc && watchFromDoc(doc);
    },
    async listByResident(residentKey) {
      return watches.many('resident_key = ? ORDER BY created_at, id', residentKey).map(watchFromDoc);
    },
    async change(id, round, changes, at) {
      const doc = watches.updateById(
        id,
        (d) => applyUpdate(d, watchChangeUpdate(changes, at)),
        'round = ?',
        round,
      );
      return doc && watchFromDoc(doc);
    },
    async setWatcher(id, changes, at) {
      const doc = watches.updateById(id, (d) => applyUpdate(d, watcherUpdate(changes, at)));
      return doc && watchFromDoc(doc);
    },
    async findByWatcherCode(code, now) {
      const doc = watches.one('watcher_code = ? AND watcher_code_expires_at > ?', code, now.getTime());
      return doc && watchFromDoc(doc);
    },
    async forgetWatcher(watcherKey, at) {
      return watches.update('watcher_key = ?', [watcherKey], (d) =>
        applyUpdate(d, watcherUpdate({ watcherKey: undefined }, at)),
      ).length;
    },
    async delete(id) {
      return watches.remove('id = ?', id) === 1;
    },
    async countByStatus() {
      const counts = Object.fromEntries(WATCH_STATUSES.map((s) => [s, 0])) as Record<
        (typeof WATCH_STATUSES)[number],
        number
      >;
      for (const status of WATCH_STATUSES) counts[status] = watches.count('status = ?', status);
      return counts;
    },
    async addCheckIn(record) {
      return checkIns.insert(checkInToDoc(record)) ? 'added' : 'exists';
    },
    async getCheckIn(id) {
      const doc = checkIns.byId(id);
      return doc && checkInFromDoc(doc);
    },
    async settleCheckIn(id, from, changes) {
      const doc = checkIns.updateById(id, (d) =>
        from.includes(d.status) ? applyUpdate(d, checkInSettleUpdate(changes)) : null,
      );
      return doc && checkInFromDoc(doc);
    },
    async listCheckIns(watchId) {
      return checkIns.many('watch_id = ? ORDER BY due_at, id', watchId).map(checkInFromDoc);
    },
    async listCheckInsDue(from, to) {
      return checkIns
        .many('due_at >= ? AND due_at < ? ORDER BY due_at, id', from.getTime(), to.getTime())
        .map(checkInFromDoc);
    },
    async eraseResident(residentKey) {
      return transaction(watches.db, () => {
        const found = watches.many('resident_key = ?', residentKey);
        for (const doc of found) {
          checkIns.remove('watch_id = ?', doc._id);
          watches.remove('id = ?', doc._id);
        }
        return found.length;
      });
    },
    async removeExpired(now) {
      return checkIns.removeInBatches('expires_at <= ?', now.getTime());
    },
  };
}
