/**
 * Takes over a DATA_DIR written by the earlier embedded store (nedb): one newline-delimited JSON
 * file per collection, each change appended as a line. Later lines replace earlier ones with the
 * same `_id`, `{"$$deleted": true}` removes one, and `$$indexCreated` lines describe indexes. The
 * lines are read one at a time, so a large file is never held in memory.
 */
import { createReadStream } from 'node:fs';
import { access, rename } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type Doc, type DocTable, fromJson } from './sqlite-database.js';

/** The nedb file of each table (leases were never written to a file). */
export const NEDB_FILES = {
  inbox: 'inbox.db',
  outbox: 'outbox.db',
  contacts: 'contacts.db',
  sessions: 'sessions.db',
  cases: 'cases.db',
  counters: 'counters.db',
  audit: 'audit.db',
  timers: 'timers.db',
  seen: 'seen.db',
  watches: 'watches.db',
  checkIns: 'check-ins.db',
} as const;

export type NedbCollection = keyof typeof NEDB_FILES;

/** What an imported file is renamed to, so it is kept (for a way back) but never imported twice. */
export const IMPORTED_SUFFIX = '.nedb-imported';

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * The nedb file to read for a collection: nedb rewrote a file by writing `<name>~` and renaming it
 * over `<name>`, so when only the `~` file is there, a rewrite was interrupted and it is the data.
 */
async function nedbFile(dataDir: string, name: string): Promise<string | undefined> {
  const file = path.join(dataDir, name);
  if (await exists(file)) return file;
  if (await exists(`${file}~`)) return `${file}~`;
  return undefined;
}

/** The collections that have a nedb file in `dataDir`, with that file. */
export async function findNedbFiles(dataDir: string): Promise<Array<[NedbCollection, string]>> {
  const found: Array<[NedbCollection, string]> = [];
  for (const [collection, name] of Object.entries(NEDB_FILES) as Array<[NedbCollection, string]>) {
    const file = await nedbFile(dataDir, name);
    if (file) found.push([collection, file]);
  }
  return found;
}

/** Where each collection's documents go: a document table, or (counters) a function of its own. */
export type ImportTargets = Record<NedbCollection, { put(doc: Doc): void; remove(id: string): void }>;

/** A DocTable as an import target. */
export function tableTarget<D extends Doc>(table: DocTable<D>): ImportTargets[NedbCollection] {
  return {
    put: (doc) => table.put(doc as D),
    remove: (id) => void table.remove('id = ?', id),
  };
}

/**
 * Reads every line of `file` into `target`, in order. The caller runs it inside a transaction, so
 * a file that cannot be read leaves nothing half imported. Returns how many lines were applied.
 */
export async function importNedbFile(file: string, target: ImportTargets[NedbCollection]): Promise<number> {
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let applied = 0;
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    let doc: Record<string, unknown>;
    try {
      doc = fromJson<Record<string, unknown>>(line);
    } catch {
      // nedb itself skips a corrupt line (e.g. the last one cut by a crash), up to a share of the file.
      continue;
    }
    if ('$$indexCreated' in doc || '$$indexRemoved' in doc) continue;
    const id = doc._id;
    if (typeof id !== 'string') throw new Error(`${file}:${number}: a document without a string _id`);
    if (doc.$$deleted === true) target.remove(id);
    else target.put(doc as unknown as Doc);
    applied++;
  }
  return applied;
}

/** Renames the imported nedb files aside (and a leftover `~` file of each). */
export async function setNedbFilesAside(files: string[]): Promise<void> {
  for (const file of files) {
    const base = file.endsWith('~') ? file.slice(0, -1) : file;
    await rename(file, `${base}${IMPORTED_SUFFIX}`);
    if (!file.endsWith('~') && (await exists(`${file}~`)))
      await rename(`${file}~`, `${file}~${IMPORTED_SUFFIX}`);
  }
}
