import type { SeenRepository } from '../../core/ports/store.js';
import { MAX_CAS_ATTEMPTS, type SeenDoc } from '../store-documents.js';
import { type Collection, findOne, isUniqueViolation } from './nedb-collection.js';

export function embeddedSeen(seen: Collection<SeenDoc>): SeenRepository {
  return {
    async firstSeen(id, at, expiresAt) {
      for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
        try {
          await seen.insertAsync({ _id: id, at, expiresAt });
          return true;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
        // Stored already. If that record has expired it is replaced, by one conditional update: of
        // several callers, only the first still finds it expired.
        const { numAffected } = await seen.updateAsync(
          { _id: id, expiresAt: { $lte: at } },
          { $set: { at, expiresAt } },
          {},
        );
        if (numAffected === 1) return true;
        // Still valid, or the TTL index dropped it in between (nedb does so when a query touches a
        // record past its expiresAt by the real clock): then it is inserted afresh.
        if (await findOne(seen, { _id: id })) return false;
      }
      throw new Error(`seen ${id}: still contended after ${MAX_CAS_ATTEMPTS} attempts`);
    },
  };
}
