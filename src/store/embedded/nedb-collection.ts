/**
 * A typed face for nedb datastores, and the query pieces the embedded repositories share.
 */
import nedb from '@seald-io/nedb';

// The typings declare an ES default export, but the package is CommonJS (`module.exports = Datastore`):
// under NodeNext TypeScript types the default import as the module object, while Node hands over the class.
const Datastore = nedb as unknown as typeof nedb.default;
export type Collection<T> = nedb.default<T>;

// nedb's typings have no null for "not found" and lose `returnUpdatedDocs`; these helpers restore both.

export async function findOne<T>(db: Collection<T>, query: object): Promise<T | null> {
  return ((await db.findOneAsync(query)) as T | null) ?? null;
}

export async function find<T>(
  db: Collection<T>,
  query: object,
  sort: Record<string, 1 | -1>,
  limit = 0,
): Promise<T[]> {
  const cursor = db.findAsync(query).sort(sort);
  return (await (limit > 0 ? cursor.limit(limit) : cursor)) as unknown as T[];
}

/** Applies `update` to the single document matching `query`; the updated document, or null when none matched. */
export async function updateOne<T>(
  db: Collection<T>,
  query: object,
  update: object,
  upsert = false,
): Promise<T | null> {
  const { affectedDocuments } = await db.updateAsync(query, update, { returnUpdatedDocs: true, upsert });
  return (affectedDocuments as T | null | undefined) ?? null;
}

/**
 * The pending record with this id. nedb answers a query from the index of its *last* indexed
 * equality field, so `_id` must come after `status`: the other way round, every update would scan
 * all pending records, which is the whole backlog under load.
 */
export function pendingById(id: string) {
  return { status: 'pending', _id: id };
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { errorType?: unknown } | null)?.errorType === 'uniqueViolated';
}

/** TTL indexes remove expired records only when a query touches them, so reads filter too. */
export function notExpired(now: Date = new Date()) {
  return { expiresAt: { $gt: now } };
}

/** A loaded datastore: file-backed when `filename` is given, in memory otherwise. */
export async function openDatastore<T>(filename: string | undefined): Promise<Collection<T>> {
  const db: Collection<T> = filename ? new Datastore({ filename }) : new Datastore({ inMemoryOnly: true });
  await db.loadDatabaseAsync();
  return db;
}

/** Records without an expiresAt never expire; the others are hidden once it has passed. */
export function caseNotExpired(now: Date = new Date()) {
  return { $or: [{ expiresAt: { $exists: false } }, { expiresAt: { $gt: now } }] };
}
