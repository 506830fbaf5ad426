/** Query pieces the MongoDB repositories share. */

export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 11000;
}

// The TTL monitor deletes expired documents only about once a minute (and some compatible servers
// never do), so every read also filters on expiresAt.
export function notExpired(now: Date = new Date()) {
  return { expiresAt: { $gt: now } };
}

/** Cases only expire when created with an expiresAt. */
export function caseNotExpired(now: Date = new Date()) {
  return { $or: [{ expiresAt: { $exists: false } }, { expiresAt: { $gt: now } }] };
}

// Shared with the embedded backend, which compare-and-sets cases the same way.
export { MAX_CAS_ATTEMPTS } from '../store-documents.js';
