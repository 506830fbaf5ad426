import type { TimerRepository } from '../../core/ports/store.js';
import { newTimerDoc, TIMER_ORDER, type TimerDoc, timerFromDoc } from '../store-documents.js';
import { type Collection, find, findOne, isUniqueViolation, pendingById } from './nedb-collection.js';

export function embeddedTimers(timers: Collection<TimerDoc>): TimerRepository {
  return {
    async schedule(timer, at) {
      try {
        await timers.insertAsync(newTimerDoc(timer, at));
        return 'scheduled';
      } catch (error) {
        if (isUniqueViolation(error)) return 'exists';
        throw error;
      }
    },
    async due(now, limit, kinds) {
      // Answered from the `status` index: pending timers are few (open cases), fired ones pile up.
      const docs = await find(
        timers,
        { dueAt: { $lte: now }, kind: { $in: [...kinds] }, status: 'pending' },
        TIMER_ORDER,
        limit,
      );
      return docs.map(timerFromDoc);
    },
    async claim(id, at) {
      // One conditional update in nedb's executor queue: only the first caller still finds it pending.
      const { numAffected } = await timers.updateAsync(pendingById(id), {
        $set: { status: 'fired', firedAt: at },
      });
      return numAffected === 1;
    },
    async cancelForCase(caseId, kind) {
      // nedb answers from one index: the last indexed field of the query, so `caseId` goes last.
      const query = kind === undefined ? { status: 'pending', caseId } : { status: 'pending', kind, caseId };
      const { numAffected } = await timers.updateAsync(
        query,
        { $set: { status: 'cancelled' } },
        { multi: true },
      );
      return numAffected;
    },
    async get(id) {
      const doc = await findOne(timers, { _id: id });
      return doc && timerFromDoc(doc);
    },
  };
}
