/**
 * A typed face for nedb datastores, and the query pieces the embedded repositories share.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  if (filename) appendThroughOpenFile(db, filename);
  return db;
}

/** nedb's own line format (dates as {$$date}), so the files stay nedb files. */
const nedbModel = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as {
  serialize: (doc: unknown) => string;
};

interface NedbPersistence {
  persistNewStateAsync(docs: unknown[]): Promise<void>;
  persistCachedDatabaseAsync(): Promise<void>;
}

/**
 * nedb appends each change with fs.appendFile: it opens the file, hands the write to libuv's thread
 * pool, and closes the file, and under load that machinery costs more than the write. This keeps the
 * file open and writes the lines with one write() call from this thread: a write to the OS's page
 * cache, which takes microseconds. What survives a crash is the same as before (the data is in the
 * OS once the call returns; nothing is fsynced). The caller then waits for the next turn of the event
 * loop, so a chain of writes still lets other work (webhooks) in between. A compaction replaces the file (a new one renamed
 * over the old): the file is closed before and reopened on the next append, so no append lands in
 * the replaced file. Both run in the datastore's executor, one at a time.
 */
function appendThroughOpenFile(db: Collection<unknown>, filename: string): void {
  const persistence = db.persistence as unknown as NedbPersistence;
  const compact = persistence.persistCachedDatabaseAsync.bind(persistence);
  let fd: number | undefined;
  persistence.persistNewStateAsync = async (docs) => {
    let lines = '';
    for (const doc of docs) lines += `${nedbModel.serialize(doc)}\n`;
    if (lines.length === 0) return;
    fd ??= openSync(filename, 'a');
    const bytes = Buffer.from(lines, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written);
    // The write did not wait for I/O, so nothing else would run until the caller's whole chain of
    // store calls is done: waiting for the next turn of the event loop lets webhooks in between, as
    // the asynchronous append did.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  persistence.persistCachedDatabaseAsync = async () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    await compact();
  };
}

/** Records without an expiresAt never expire; the others are hidden once it has passed. */
export function caseNotExpired(now: Date = new Date()) {
  return { $or: [{ expiresAt: { $exists: false } }, { expiresAt: { $gt: now } }] };
}
