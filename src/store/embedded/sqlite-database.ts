/**
 * The embedded store's SQLite database: the connection and its settings, the tables, and a typed
 * face for tables that keep one document (JSON) per row next to the columns that queries use.
 */
import {
  DatabaseSync as Database,
  type DatabaseSyncInstance,
  type StatementSyncInstance,
} from '@photostructure/sqlite';

export type DatabaseSync = DatabaseSyncInstance;
type StatementSync = StatementSyncInstance;

/**
 * How hard each commit insists on the disk. NORMAL: a commit is in the write-ahead log (in the
 * OS) when the call returns and is fsynced at the next checkpoint; a process crash loses nothing,
 * an OS crash or power loss may lose the last commits but never corrupts the file. FULL: every
 * commit is fsynced before the call returns.
 */
export type EmbeddedSynchronous = 'normal' | 'full';

export type SqlValue = string | number | bigint | null;

/** How long a statement waits for a lock held by another connection (e.g. a report's snapshot). */
const BUSY_TIMEOUT_MS = 5000;

export interface OpenedDatabase {
  db: DatabaseSync;
  /** true when the tables did not exist yet (a new file, or a new in-memory database). */
  created: boolean;
}

/** Opens (and creates) the database at `file`, or one in memory, and makes sure the tables exist. */
export function openDatabase(file: string | undefined, synchronous: EmbeddedSynchronous): OpenedDatabase {
  if (synchronous !== 'normal' && synchronous !== 'full')
    throw new Error(`synchronous must be 'normal' or 'full', not ${JSON.stringify(synchronous)}`);
  const db = file ? openDatabaseFile(file, synchronous) : configure(new Database(':memory:'));
  try {
    const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    if (version > SCHEMA_VERSION)
      throw new Error(
        `${file}: written by a newer version (schema ${version}, this one knows ${SCHEMA_VERSION})`,
      );
    // The tables are made at once; the schema version is written by completeCreation, in the
    // transaction that imports earlier data, so a crash before it leaves a database that counts as new.
    const created = version === 0;
    if (created) transaction(db, () => db.exec(SCHEMA));
    // Leases coordinate this one process's workers (the file is never shared between instances):
    // a table of the connection's own, in memory, that no crash leaves behind.
    db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS leases (id TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL) STRICT',
    );
    return { db, created };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A connection to `file` in write-ahead-log mode, with the store's settings and no tables. */
export function openDatabaseFile(file: string, synchronous: EmbeddedSynchronous): DatabaseSync {
  const db = new Database(file);
  try {
    const { journal_mode: mode } = db.prepare('PRAGMA journal_mode = WAL').get() as {
      journal_mode: string;
    };
    if (mode !== 'wal')
      throw new Error(
        `${file}: the filesystem does not support SQLite's write-ahead log (journal mode ${mode})`,
      );
    db.exec(`PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    return configure(db);
  } catch (error) {
    db.close();
    throw error;
  }
}

function configure(db: DatabaseSync): DatabaseSync {
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Deleted and overwritten content is zeroed in the file, so an erasure leaves nothing behind
  // once the write-ahead log is checkpointed (Store.compact).
  db.exec('PRAGMA secure_delete = ON');
  return db;
}

/** A read-only connection to an existing database file (e.g. to copy it while the service runs). */
export function openDatabaseReadOnly(file: string): DatabaseSync {
  const db = new Database(file, { readOnly: true });
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

/** Marks a new database as complete; run inside the transaction that fills it (if any). */
export function completeCreation(db: DatabaseSync): void {
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
}

/**
 * Runs `work` in one transaction: all of its writes, or (when it throws) none. The write lock is
 * taken first (IMMEDIATE), so what `work` reads cannot change under it from another connection.
 * Inside a transaction already (an enclosing unit, or the group commit of the processing thread's
 * turn), `work` runs in a savepoint of it: when it throws, its own writes are undone and the
 * enclosing transaction's are kept.
 */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  return db.isTransaction
    ? enclosed(db, work, 'SAVEPOINT unit', 'RELEASE unit', 'ROLLBACK TO unit; RELEASE unit')
    : enclosed(db, work, 'BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK');
}

function enclosed<T>(db: DatabaseSync, work: () => T, begin: string, end: string, undo: string): T {
  db.exec(begin);
  try {
    const result = work();
    db.exec(end);
    return result;
  } catch (error) {
    // SQLite itself rolls the whole transaction back on some errors (a full disk, an I/O error):
    // then there is nothing left to undo.
    if (db.isTransaction) db.exec(undo);
    throw error;
  }
}

const SCHEMA_VERSION = 1;

/**
 * One table per collection: `id` is the natural id, `doc` the whole document (JSON, Dates as
 * {"$$date": ms}), and the other columns repeat the fields that queries filter or sort on (Dates
 * as epoch milliseconds, booleans as 0/1). Partial indexes hold only the rows a hot query looks
 * for (pending events, pending items, pending timers), so their cost follows the work waiting,
 * not what is stored.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS inbox (
  id TEXT PRIMARY KEY, key TEXT NOT NULL, status TEXT NOT NULL,
  pending_key TEXT, next_attempt_at INTEGER NOT NULL, occurred_at INTEGER, sequence INTEGER,
  received_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, redacted INTEGER NOT NULL, doc TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (pending_key, occurred_at, sequence, received_at) WHERE pending_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS inbox_pending_order ON inbox (occurred_at, sequence, received_at) WHERE pending_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS inbox_key ON inbox (key, occurred_at);
CREATE INDEX IF NOT EXISTS inbox_status ON inbox (status, expires_at);
CREATE INDEX IF NOT EXISTS inbox_expires ON inbox (expires_at);

CREATE TABLE IF NOT EXISTS outbox (
  id TEXT PRIMARY KEY, channel TEXT NOT NULL, address TEXT NOT NULL, status TEXT NOT NULL,
  sequence INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, expires_at INTEGER, doc TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (channel, address, sequence, next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_pending_order ON outbox (sequence, next_attempt_at, channel, address) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_address ON outbox (address);
CREATE INDEX IF NOT EXISTS outbox_status ON outbox (status);
CREATE INDEX IF NOT EXISTS outbox_expires ON outbox (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS contacts (id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT;

CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, expires_at INTEGER NOT NULL, doc TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires_at);

CREATE TABLE IF NOT EXISTS cases (
  id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, status TEXT NOT NULL, resident_key TEXT NOT NULL,
  staff_channel TEXT, staff_ts TEXT, created_at INTEGER NOT NULL, expires_at INTEGER,
  erased INTEGER NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS cases_status ON cases (status, created_at, number);
CREATE INDEX IF NOT EXISTS cases_resident ON cases (resident_key, created_at, number);
CREATE INDEX IF NOT EXISTS cases_staff_thread ON cases (staff_ts) WHERE staff_ts IS NOT NULL;
CREATE INDEX IF NOT EXISTS cases_expires ON cases (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS counters (id TEXT PRIMARY KEY, seq INTEGER NOT NULL) STRICT;

CREATE TABLE IF NOT EXISTS audit (
  id TEXT PRIMARY KEY, case_id TEXT, at INTEGER NOT NULL, expires_at INTEGER NOT NULL, doc TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS audit_case ON audit (case_id, at, id);
CREATE INDEX IF NOT EXISTS audit_expires ON audit (expires_at);

CREATE TABLE IF NOT EXISTS timers (
  id TEXT PRIMARY KEY, case_id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
  due_at INTEGER NOT NULL, doc TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS timers_due ON timers (due_at, id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS timers_case ON timers (case_id);

CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, doc TEXT NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS seen_expires ON seen (expires_at);

CREATE TABLE IF NOT EXISTS watches (
  id TEXT PRIMARY KEY, resident_key TEXT NOT NULL, status TEXT NOT NULL, round INTEGER NOT NULL,
  created_at INTEGER NOT NULL, watcher_key TEXT, watcher_code TEXT, watcher_code_expires_at INTEGER,
  doc TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS watches_resident ON watches (resident_key, created_at, id);
CREATE INDEX IF NOT EXISTS watches_watcher ON watches (watcher_key) WHERE watcher_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS watches_code ON watches (watcher_code) WHERE watcher_code IS NOT NULL;
CREATE INDEX IF NOT EXISTS watches_status ON watches (status);

CREATE TABLE IF NOT EXISTS check_ins (
  id TEXT PRIMARY KEY, watch_id TEXT NOT NULL, status TEXT NOT NULL, due_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, doc TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS check_ins_watch ON check_ins (watch_id, due_at, id);
CREATE INDEX IF NOT EXISTS check_ins_due ON check_ins (due_at, id);
CREATE INDEX IF NOT EXISTS check_ins_expires ON check_ins (expires_at);
`;

// ---------------------------------------------------------------- documents as JSON

/**
 * Dates as {"$$date": ms}: the way nedb wrote them, so its files read the same way. A walk that
 * copies the document with its Dates replaced, then plain JSON.stringify (a replacer function or a
 * reviver would be called for every value, which costs more than the walk).
 */
function encodeDates(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return { $$date: value.getTime() };
  if (Array.isArray(value)) return value.map(encodeDates);
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = encodeDates((value as Record<string, unknown>)[key]);
  return out;
}

/** Restores the Dates of a parsed document in place. */
function decodeDates(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeDates(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  const ms = record.$$date;
  if (typeof ms === 'number' && Object.keys(record).length === 1) return new Date(ms);
  for (const key in record) {
    const field = record[key];
    if (typeof field === 'object' && field !== null) record[key] = decodeDates(field);
  }
  return record;
}

export function toJson(doc: unknown): string {
  return JSON.stringify(encodeDates(doc));
}

export function fromJson<T>(json: string): T {
  return decodeDates(JSON.parse(json)) as T;
}

/** A Date as it is stored in a document, for SQLite's json() in a json_set. */
export function dateJson(date: Date): string {
  return `{"$$date":${date.getTime()}}`;
}

/** A Date (or absent) as a column value. */
export function ms(date: Date | undefined | null): number | null {
  return date ? date.getTime() : null;
}

// ---------------------------------------------------------------- document tables

export interface Doc {
  _id: string;
}

/** The columns a table derives from each document, besides `id` and `doc`. */
export type Columns<D> = Record<string, (doc: D) => SqlValue>;

/**
 * A table of documents. Every write derives the columns from the document, so they never
 * disagree with it. Statements are prepared once per distinct SQL text and then reused.
 *
 * SQLite calls are synchronous and this process has the only connection that writes: a read
 * followed by a write, with no `await` in between, is a check-and-set nothing can come between.
 */
export class DocTable<D extends Doc> {
  private readonly names: string[];
  private readonly statements = new Map<string, StatementSync>();

  constructor(
    readonly db: DatabaseSync,
    readonly table: string,
    private readonly columns: Columns<D>,
  ) {
    this.names = Object.keys(columns);
  }

  /** A prepared statement for `sql`, prepared the first time it is asked for. */
  statement(sql: string): StatementSync {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private values(doc: D): SqlValue[] {
    return [doc._id, ...this.names.map((n) => (this.columns[n] as (d: D) => SqlValue)(doc)), toJson(doc)];
  }

  private insertSql(conflict: string): string {
    const names = ['id', ...this.names, 'doc'];
    return `INSERT INTO ${this.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ${conflict}`;
  }

  /** Inserts `doc`; false (and nothing written) when its id is already stored. */
  insert(doc: D): boolean {
    return (
      this.statement(this.insertSql('ON CONFLICT (id) DO NOTHING')).run(...this.values(doc)).changes === 1
    );
  }

  /** Inserts `doc`, or replaces the document stored under its id. */
  put(doc: D): void {
    const set = [...this.names, 'doc'].map((n) => `${n} = excluded.${n}`).join(', ');
    this.statement(this.insertSql(`ON CONFLICT (id) DO UPDATE SET ${set}`)).run(...this.values(doc));
  }

  /**
   * Writes `doc` over the stored document with the same id. Given the document as it was stored,
   * only the columns whose value changed are written, so an index is only touched when its own
   * column changed (SQLite rewrites the entries of every index on a column named in the SET).
   */
  replace(doc: D, previous?: D): void {
    const changed: string[] = [];
    const values: SqlValue[] = [];
    for (const name of this.names) {
      const column = this.columns[name] as (d: D) => SqlValue;
      const value = column(doc);
      if (previous && column(previous) === value) continue;
      changed.push(`${name} = ?`);
      values.push(value);
    }
    changed.push('doc = ?');
    values.push(toJson(doc), doc._id);
    this.statement(`UPDATE ${this.table} SET ${changed.join(', ')} WHERE id = ?`).run(...values);
  }

  /** The first document matching `where` (SQL after WHERE, with ? parameters), or null. */
  one(where: string, ...params: SqlValue[]): D | null {
    const row = this.statement(`SELECT doc FROM ${this.table} WHERE ${where}`).get(...params) as
      | { doc: string }
      | undefined;
    return row ? fromJson<D>(row.doc) : null;
  }

  /** The documents matching `where` (which may end in ORDER BY and LIMIT). */
  many(where: string, ...params: SqlValue[]): D[] {
    const rows = this.statement(`SELECT doc FROM ${this.table} WHERE ${where}`).all(...params) as Array<{
      doc: string;
    }>;
    return rows.map((r) => fromJson<D>(r.doc));
  }

  byId(id: string): D | null {
    return this.one('id = ?', id);
  }

  /** How many rows match `where`. */
  count(where: string, ...params: SqlValue[]): number {
    const row = this.statement(`SELECT count(*) AS n FROM ${this.table} WHERE ${where}`).get(...params) as {
      n: number;
    };
    return row.n;
  }

  /**
   * Deletes the rows matching `where` a batch at a time, letting other work (webhooks) run between
   * batches: a sweep may find an hour's worth of expired records. How many were deleted.
   */
  async removeInBatches(where: string, ...params: SqlValue[]): Promise<number> {
    return removeInBatches(this.db, this.table, where, params, (sql) => this.statement(sql));
  }

  /** Deletes the rows matching `where`; how many. */
  remove(where: string, ...params: SqlValue[]): number {
    return Number(this.statement(`DELETE FROM ${this.table} WHERE ${where}`).run(...params).changes);
  }

  /**
   * Applies `change` to every document matching `where` (in one transaction when there are
   * several) and returns the documents as written. `change` may return null to leave one as it is.
   */
  update(where: string, params: SqlValue[], change: (doc: D) => D | null): D[] {
    // Read and written under the write lock: with a processing thread, another connection to the
    // file could otherwise write between this read and this write, and one change would be lost.
    return transaction(this.db, () => {
      const written: D[] = [];
      for (const doc of this.many(where, ...params)) {
        const next = change(doc);
        if (!next) continue;
        this.replace(next, doc);
        written.push(next);
      }
      return written;
    });
  }

  /** update() of the one document with this id that also matches `where` (when given). */
  updateById(id: string, change: (doc: D) => D | null, where = '', ...params: SqlValue[]): D | null {
    const [doc] = this.update(`id = ?${where ? ` AND ${where}` : ''}`, [id, ...params], change);
    return doc ?? null;
  }
}

/** Rows deleted per statement by a sweep. */
const REMOVE_BATCH = 500;

/** Deletes the rows of `table` matching `where` in batches, yielding to the event loop between them. */
export async function removeInBatches(
  db: DatabaseSync,
  table: string,
  where: string,
  params: SqlValue[],
  statement: (sql: string) => StatementSync = (sql) => db.prepare(sql),
): Promise<number> {
  const sql = `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${REMOVE_BATCH})`;
  let total = 0;
  for (;;) {
    const deleted = Number(statement(sql).run(...params).changes);
    total += deleted;
    if (deleted < REMOVE_BATCH || !db.isOpen) return total;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

// ---------------------------------------------------------------- MongoDB-style updates

/** The $set/$unset/$inc updates store-documents.ts builds for both backends, on top-level fields. */
export interface DocUpdate {
  $set?: Record<string, unknown> | undefined;
  $unset?: Record<string, unknown> | undefined;
  $inc?: Record<string, number> | undefined;
}

/** `doc` after `update` (a new object; `doc` is left as it is). */
export function applyUpdate<D extends object>(doc: D, update: DocUpdate): D {
  const after: Record<string, unknown> = { ...doc, ...update.$set };
  for (const field of Object.keys(update.$unset ?? {})) delete after[field];
  for (const [field, by] of Object.entries(update.$inc ?? {}))
    after[field] = ((after[field] as number | undefined) ?? 0) + by;
  for (const [field, value] of Object.entries(after)) if (value === undefined) delete after[field];
  return after as D;
}
