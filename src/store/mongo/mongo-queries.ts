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

/**
 * A compare-and-set only fails because another writer succeeded in between, so a caller retries
 * at most once per competing writer; this bound only turns a bug into an error instead of a spin.
 */
export const MAX_CAS_ATTEMPTS = 1000;
