import type { Collection, Filter } from 'mongodb';
import type { TimerRepository } from '../../core/ports/store.js';
import { newTimerDoc, TIMER_ORDER, type TimerDoc, timerFromDoc } from '../store-documents.js';
import { isDuplicateKey } from './mongo-queries.js';

export function mongoTimers(timers: Collection<TimerDoc>): TimerRepository {
  return {
    async schedule(timer, at) {
      try {
        await timers.insertOne(newTimerDoc(timer, at));
        return 'scheduled';
      } catch (error) {
        if (isDuplicateKey(error)) return 'exists';
        throw error;
      }
    },
    async due(now, limit, kinds) {
      const docs = await timers
        .find({ status: 'pending', kind: { $in: [...kinds] }, dueAt: { $lte: now } })
        .sort(TIMER_ORDER)
        .limit(limit)
        .toArray();
      return docs.map(timerFromDoc);
    },
    async claim(id, at) {
      // A conditional updateOne, not findOneAndUpdate (see mongo-store.ts): of several instances
      // claiming the same timer, only the first still finds it pending.
      const r = await timers.updateOne(
        { _id: id, status: 'pending' },
        { $set: { status: 'fired', firedAt: at } },
      );
      return r.modifiedCount === 1;
    },
    async cancelForCase(caseId, kind) {
      const filter: Filter<TimerDoc> = { caseId, status: 'pending' };
      if (kind !== undefined) filter.kind = kind;
      const r = await timers.updateMany(filter, { $set: { status: 'cancelled' } });
      return r.modifiedCount;
    },
    async get(id) {
      const doc = await timers.findOne({ _id: id });
      return doc && timerFromDoc(doc);
    },
  };
}
