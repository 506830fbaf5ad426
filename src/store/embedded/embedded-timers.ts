import type { TimerRepository } from '../../core/ports/store.js';
import { newTimerDoc, type TimerDoc, timerFromDoc } from '../store-documents.js';
import { type DatabaseSync, DocTable } from './sqlite-database.js';

/** The timers table; the partial index by due time holds only pending timers (fired ones pile up). */
export function timersTable(db: DatabaseSync): DocTable<TimerDoc> {
  return new DocTable<TimerDoc>(db, 'timers', {
    case_id: (d) => d.caseId,
    kind: (d) => d.kind,
    status: (d) => d.status,
    due_at: (d) => d.dueAt.getTime(),
  });
}

export function embeddedTimers(timers: DocTable<TimerDoc>): TimerRepository {
  return {
    async schedule(timer, at) {
      return timers.insert(newTimerDoc(timer, at)) ? 'scheduled' : 'exists';
    },
    async due(now, limit, kinds) {
      if (kinds.length === 0) return [];
      // The kinds as one JSON array parameter, so one prepared statement serves any list of kinds.
      const docs = timers.many(
        `status = 'pending' AND due_at <= ? AND kind IN (SELECT value FROM json_each(?))
         ORDER BY due_at, id LIMIT ?`,
        now.getTime(),
        JSON.stringify(kinds),
        limit,
      );
      return docs.map(timerFromDoc);
    },
    async claim(id, at) {
      // The read and the write run with nothing in between: only the first caller finds it pending.
      const doc = timers.updateById(
        id,
        (d) => ({ ...d, status: 'fired', firedAt: at }),
        "status = 'pending'",
      );
      return doc !== null;
    },
    async cancelForCase(caseId, kind) {
      const where =
        kind === undefined
          ? "case_id = ? AND status = 'pending'"
          : "case_id = ? AND status = 'pending' AND kind = ?";
      const params = kind === undefined ? [caseId] : [caseId, kind];
      return timers.update(where, params, (d) => ({ ...d, status: 'cancelled' })).length;
    },
    async get(id) {
      const doc = timers.byId(id);
      return doc && timerFromDoc(doc);
    },
  };
}
