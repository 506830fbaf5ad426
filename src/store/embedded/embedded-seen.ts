import type { SeenRepository } from '../../core/ports/store.js';
import type { SeenDoc } from '../store-documents.js';
import { type DatabaseSync, DocTable, toJson } from './sqlite-database.js';

export function seenTable(db: DatabaseSync): DocTable<SeenDoc> {
  return new DocTable<SeenDoc>(db, 'seen', { expires_at: (d) => d.expiresAt.getTime() });
}

export function embeddedSeen(seen: DocTable<SeenDoc>): SeenRepository {
  return {
    async firstSeen(id, at, expiresAt) {
      // One statement: a new id is inserted, an expired one is replaced, a valid one stays (0 changes).
      const doc: SeenDoc = { _id: id, at, expiresAt };
      const { changes } = seen
        .statement(
          `INSERT INTO seen (id, expires_at, doc) VALUES (?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at, doc = excluded.doc
           WHERE seen.expires_at <= ?`,
        )
        .run(id, expiresAt.getTime(), toJson(doc), at.getTime());
      return changes === 1;
    },
  };
}
