import type { Collection } from 'mongodb';
import type { SeenRepository } from '../../core/ports/store.js';
import type { SeenDoc } from '../store-documents.js';
import { isDuplicateKey, MAX_CAS_ATTEMPTS } from './mongo-queries.js';

export function mongoSeen(seen: Collection<SeenDoc>): SeenRepository {
  return {
    async firstSeen(id, at, expiresAt) {
      for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
        try {
          await seen.insertOne({ _id: id, at, expiresAt });
          return true;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        // Stored already. If that record has expired (the TTL monitor is lazy) it is replaced, by
        // one conditional update: of several callers, only the first still finds it expired.
        const r = await seen.updateOne({ _id: id, expiresAt: { $lte: at } }, { $set: { at, expiresAt } });
        if (r.modifiedCount === 1) return true;
        // Still valid, or the TTL monitor removed it in between: then it is inserted afresh.
        if (await seen.findOne({ _id: id })) return false;
      }
      throw new Error(`seen ${id}: still contended after ${MAX_CAS_ATTEMPTS} attempts`);
    },
  };
}
