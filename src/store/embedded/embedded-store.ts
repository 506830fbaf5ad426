/**
 * The single-process backend: one SQLite database file in DATA_DIR (write-ahead log), a table per
 * repository. A conditional change (a read and a write) runs in one transaction that takes the
 * write lock before it reads, so it is an atomic check-and-set even with a second connection (the
 * processing thread's), the role a conditional `updateOne` plays in MongoDB. One process only: the
 * leases live in each connection's memory. Nothing is cached: every read is a query on an index.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../../core/ports/store.js';
import { caseCounterId, caseYear, formatCaseNumber } from '../case-number.js';
import { escapeFieldNames } from '../field-names.js';
import {
  type AuditDoc,
  applyCaseUpdate,
  auditFromDoc,
  auditToDoc,
  CASE_STATUSES,
  type CaseDoc,
  type ContactDoc,
  caseAmendUpdate,
  caseEraseUpdate,
  caseFromDoc,
  caseTransitionUpdate,
  contactFromDoc,
  contactId,
  emptyCounts,
  type InboxDoc,
  isLinkedResidentKey,
  newCaseDoc,
  type SessionDoc,
  sessionFromDoc,
} from '../store-documents.js';
import { embeddedInbox, inboxTable } from './embedded-inbox.js';
import { embeddedOutbox, outboxTable } from './embedded-outbox.js';
import { embeddedSeen, seenTable } from './embedded-seen.js';
import { embeddedTimers, timersTable } from './embedded-timers.js';
import { checkInsTable, embeddedWatch, watchesTable } from './embedded-watch.js';
import {
  INCOMING_FILE,
  type IncomingLogMode,
  inboxReadingLog,
  inboxWritingToLog,
  openIncomingLog,
  prepareIncomingCursor,
} from './incoming-log.js';
import {
  findNedbFiles,
  type ImportTargets,
  importNedbFile,
  setNedbFilesAside,
  tableTarget,
} from './nedb-import.js';
import {
  applyUpdate,
  completeCreation,
  type DatabaseSync,
  DocTable,
  type EmbeddedSynchronous,
  ms,
  openDatabase,
  openDatabaseReadOnly,
  transaction,
} from './sqlite-database.js';
import { joiningTurns, TurnCommit } from './turn-commit.js';

export type { EmbeddedSynchronous } from './sqlite-database.js';

export type EmbeddedStoreOptions =
  | {
      dataDir: string;
      synchronous?: EmbeddedSynchronous | undefined;
      /** With a processing thread: the HTTP thread `write`s incoming events to a log of its own, the processing thread `read`s it (incoming-log.ts). */
      incoming?: IncomingLogMode | undefined;
      /**
       * The processing thread's store: the writes of one turn of the event loop are committed
       * together (turn-commit.ts). `onFailure` is told when a commit fails; the store has stopped.
       */
      groupCommit?: { onFailure: (error: Error) => void } | undefined;
    }
  | { inMemory: true };

/** The database file in DATA_DIR. */
export const DATABASE_FILE = 'madoguchi.sqlite';

/**
 * How often records past their expiresAt are deleted from the tables that have no sweep of their
 * own in the port (sessions, cases, audit, seen ids, leases): what MongoDB's TTL indexes do. Reads
 * filter on expiresAt meanwhile, so nothing expired is ever returned.
 */
const TTL_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export async function openEmbeddedStore(opts: EmbeddedStoreOptions): Promise<Store> {
  let file: string | undefined;
  if ('dataDir' in opts) {
    await mkdir(opts.dataDir, { recursive: true });
    file = path.join(opts.dataDir, DATABASE_FILE);
  }
  const synchronous = 'dataDir' in opts ? (opts.synchronous ?? 'normal') : 'normal';
  const { db, created } = openDatabase(file, synchronous);
  try {
    // With a processing thread, that thread's store sweeps expired records; the HTTP thread's need not too.
    const durable = 'dataDir' in opts;
    const store = embeddedStore(db, durable, durable && opts.incoming !== 'write');
    if (created) {
      if ('dataDir' in opts) await importNedbData(db, opts.dataDir, store.tables);
      else completeCreation(db);
    }
    if (!('dataDir' in opts)) return store.store;
    // On one thread, a log left by an earlier run with a processing thread is still read, so that
    // no event it acknowledged is left behind.
    const incoming =
      opts.incoming ?? (existsSync(path.join(opts.dataDir, INCOMING_FILE)) ? 'read' : undefined);
    const log = incoming && openIncomingLog(opts.dataDir, synchronous);
    const opened = log ? withIncomingLog(store.store, store.inbox, db, log, incoming) : store.store;
    return opts.groupCommit
      ? committingByTurns(opened, new TurnCommit(db, opts.groupCommit.onFailure))
      : opened;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The store of one of two threads sharing DATA_DIR, its inbox going through the incoming log. */
function withIncomingLog(
  store: Store,
  inbox: DocTable<InboxDoc>,
  db: DatabaseSync,
  log: DatabaseSync,
  mode: IncomingLogMode,
): Store {
  prepareIncomingCursor(db, log);
  return {
    ...store,
    inbox:
      mode === 'write'
        ? inboxWritingToLog(store.inbox, db, log)
        : inboxReadingLog(store.inbox, inbox, db, log),
    async close() {
      await store.close();
      if (log.isOpen) log.close();
    },
  };
}

/** `store` with its writes committed a turn of the event loop at a time (turn-commit.ts). */
function committingByTurns(store: Store, turn: TurnCommit): Store {
  return {
    kind: store.kind,
    inbox: joiningTurns(store.inbox, turn),
    outbox: joiningTurns(store.outbox, turn),
    leases: joiningTurns(store.leases, turn),
    contacts: joiningTurns(store.contacts, turn),
    sessions: joiningTurns(store.sessions, turn),
    cases: joiningTurns(store.cases, turn),
    audit: joiningTurns(store.audit, turn),
    timers: joiningTurns(store.timers, turn),
    seen: joiningTurns(store.seen, turn),
    watch: joiningTurns(store.watch, turn),
    ping: () => store.ping(),
    async compact() {
      turn.commit();
      await store.compact();
    },
    flush: () => turn.committed(),
    async close() {
      try {
        turn.finish();
      } finally {
        await store.close();
      }
    },
  };
}

/**
 * A DATA_DIR of the earlier nedb store is imported into the new database once, in one transaction,
 * and its files are then renamed aside (`*.nedb-imported`). The transaction also writes the schema
 * version that marks the database complete: a crash or an unreadable file leaves a database that
 * still counts as new, so the next start imports again from the untouched files.
 */
async function importNedbData(db: DatabaseSync, dataDir: string, targets: ImportTargets): Promise<void> {
  const files = await findNedbFiles(dataDir);
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const [collection, nedbFile] of files) await importNedbFile(nedbFile, targets[collection]);
    completeCreation(db);
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw new Error(`importing the earlier data files in ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (files.length > 0) await setNedbFilesAside(files.map(([, nedbFile]) => nedbFile));
}

/** A copy of the database at `dataDir`, consistent at one instant, written to `toFile` (which must not exist). */
export function snapshotEmbeddedStore(dataDir: string, toFile: string): void {
  const source = path.join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) throw Object.assign(new Error(`no database at ${source}`), { code: 'ENOENT' });
  // A read-only connection: it cannot change the service's file, and it reads one consistent state.
  const db = openDatabaseReadOnly(source);
  try {
    db.prepare('VACUUM INTO ?').run(toFile);
  } finally {
    db.close();
  }
}

function embeddedStore(
  db: DatabaseSync,
  durable: boolean,
  /** Whether this connection deletes expired records every TTL_SWEEP_INTERVAL_MS. */
  sweeps: boolean,
): { store: Store; tables: ImportTargets; inbox: DocTable<InboxDoc> } {
  const inbox = inboxTable(db);
  const outbox = outboxTable(db);
  const seen = seenTable(db);
  const timers = timersTable(db);
  const watches = watchesTable(db);
  const checkIns = checkInsTable(db);
  const contacts = new DocTable<ContactDoc>(db, 'contacts', {});
  const sessions = new DocTable<SessionDoc>(db, 'sessions', {
    version: (d) => d.version,
    expires_at: (d) => d.expiresAt.getTime(),
  });
  const cases = new DocTable<CaseDoc>(db, 'cases', {
    number: (d) => d.number,
    status: (d) => d.status,
    resident_key: (d) => d.residentKey,
    staff_channel: (d) => d.staffThread?.channel ?? null,
    staff_ts: (d) => d.staffThread?.ts ?? null,
    created_at: (d) => d.createdAt.getTime(),
    expires_at: (d) => ms(d.expiresAt),
    erased: (d) => (d.erasedAt ? 1 : 0),
    version: (d) => d.version,
  });
  const audit = new DocTable<AuditDoc>(db, 'audit', {
    case_id: (d) => d.caseId ?? null,
    at: (d) => d.at.getTime(),
    expires_at: (d) => d.expiresAt.getTime(),
  });
  const statement = (sql: string) => inbox.statement(sql);

  const nextCaseSeq = (counter: string): number =>
    (
      statement(
        'INSERT INTO counters (id, seq) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET seq = seq + 1 RETURNING seq',
      ).get(counter) as { seq: number }
    ).seq;

  /** Cases without an expiresAt never expire; the others are hidden once it has passed. */
  const caseLive = '(expires_at IS NULL OR expires_at > ?)';

  async function sweepExpired(now: number): Promise<void> {
    for (const table of [sessions, cases, audit, seen]) await table.removeInBatches('expires_at <= ?', now);
    statement('DELETE FROM temp.leases WHERE until <= ?').run(now);
  }
  let sweeping: Promise<void> | undefined;
  const sweep = sweeps
    ? setInterval(() => {
        // A failed sweep (e.g. a full disk) is tried again next time; reads filter on expiresAt anyway.
        sweeping ??= sweepExpired(Date.now())
          .catch(() => {})
          .finally(() => {
            sweeping = undefined;
          });
      }, TTL_SWEEP_INTERVAL_MS)
    : undefined;
  sweep?.unref();

  const tables: ImportTargets = {
    inbox: tableTarget(inbox),
    outbox: tableTarget(outbox),
    contacts: tableTarget(contacts),
    sessions: tableTarget(sessions),
    cases: tableTarget(cases),
    audit: tableTarget(audit),
    timers: tableTarget(timers),
    seen: tableTarget(seen),
    watches: tableTarget(watches),
    checkIns: tableTarget(checkIns),
    counters: {
      put: (doc) =>
        void statement(
          'INSERT INTO counters (id, seq) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq',
        ).run(doc._id, (doc as unknown as { seq: number }).seq),
      remove: (id) => void statement('DELETE FROM counters WHERE id = ?').run(id),
    },
  };

  const store: Store = {
    kind: 'embedded',

    inbox: embeddedInbox(inbox),
    outbox: embeddedOutbox(outbox),

    leases: {
      async acquire(key, owner, until, now) {
        // Taken when free, expired, or already the owner's (then extended); otherwise no change.
        const { changes } = statement(
          `INSERT INTO temp.leases (id, owner, until) VALUES (?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, until = excluded.until
           WHERE leases.until <= ? OR leases.owner = excluded.owner`,
        ).run(key, owner, until.getTime(), now.getTime());
        return changes === 1;
      },
      async release(key, owner) {
        statement('DELETE FROM temp.leases WHERE id = ? AND owner = ?').run(key, owner);
      },
    },

    contacts: {
      async get(channel, address) {
        const doc = contacts.byId(contactId(channel, address));
        return doc && contactFromDoc(doc);
      },
      async setFollowing(channel, address, following, at) {
        contacts.put({ _id: contactId(channel, address), channel, address, following, updatedAt: at });
      },
      async delete(channel, address) {
        contacts.remove('id = ?', contactId(channel, address));
      },
    },

    sessions: {
      async get(key, now) {
        const doc = sessions.one('id = ? AND expires_at > ?', key, now.getTime());
        return doc && sessionFromDoc(doc);
      },
      async save(key, state, expectedVersion, now, expiresAt) {
        const next = (version: number): SessionDoc => ({
          _id: key,
          version,
          state: escapeFieldNames(state),
          updatedAt: now,
          expiresAt,
        });
        // The version and expiry columns decide; the stored state need not be read. Read and
        // written under the write lock, so another thread's connection cannot write in between.
        return transaction(db, () => {
          const stored = statement('SELECT version, expires_at AS expiresAt FROM sessions WHERE id = ?').get(
            key,
          ) as { version: number; expiresAt: number } | undefined;
          const live = stored !== undefined && stored.expiresAt > now.getTime();
          if (expectedVersion !== null) {
            if (!stored || !live || stored.version !== expectedVersion) return 'conflict';
            const doc = next(stored.version + 1);
            sessions.replace(doc);
            return sessionFromDoc(doc);
          }
          // "No session yet" also covers an expired one that is still stored: it is overwritten, and
          // its version keeps counting up so a writer still holding an old version cannot match it.
          if (live) return 'conflict';
          const doc = next((stored?.version ?? 0) + 1);
          sessions.put(doc);
          return sessionFromDoc(doc);
        });
      },
      async delete(key) {
        sessions.remove('id = ?', key);
      },
    },

    cases: {
      async create(input) {
        const year = caseYear(input.createdAt);
        // The number and the case in one transaction: no number is used up by a case not stored.
        const doc = transaction(db, () => {
          const seq = nextCaseSeq(caseCounterId(year));
          const created = newCaseDoc(input, formatCaseNumber(year, seq));
          if (!cases.insert(created)) throw new Error(`case ${input.id} already exists`);
          return created;
        });
        return caseFromDoc(doc);
      },
      async get(id) {
        const doc = cases.one(`id = ? AND ${caseLive}`, id, Date.now());
        return doc && caseFromDoc(doc);
      },
      async transition(id, fromStatuses, changes, at) {
        const doc = cases.updateById(
          id,
          (d) =>
            fromStatuses.includes(d.status)
              ? applyUpdate(d, { ...caseTransitionUpdate(changes, at), $inc: { version: 1 } })
              : null,
          caseLive,
          at.getTime(),
        );
        return doc && caseFromDoc(doc);
      },
      async amend(id, changes, at) {
        const doc = cases.updateById(
          id,
          (d) => applyCaseUpdate(d, caseAmendUpdate(d, changes, at)),
          `erased = 0 AND ${caseLive}`,
          at.getTime(),
        );
        return doc && caseFromDoc(doc);
      },
      async listByStatus(status, limit) {
        return cases
          .many(
            `status = ? AND ${caseLive} ORDER BY created_at, number LIMIT ?`,
            status,
            Date.now(),
            limit > 0 ? limit : -1,
          )
          .map(caseFromDoc);
      },
      async countByStatus() {
        const counts = emptyCounts(CASE_STATUSES);
        const now = Date.now();
        for (const status of CASE_STATUSES)
          counts[status] = cases.count(`status = ? AND ${caseLive}`, status, now);
        return counts;
      },
      async listByResident(residentKey) {
        return cases
          .many(
            `resident_key = ? AND ${caseLive} ORDER BY created_at DESC, number DESC`,
            residentKey,
            Date.now(),
          )
          .map(caseFromDoc);
      },
      async findLatestByResident(residentKey) {
        const doc = cases.one(
          `resident_key = ? AND ${caseLive} ORDER BY created_at DESC, number DESC LIMIT 1`,
          residentKey,
          Date.now(),
        );
        return doc ? caseFromDoc(doc) : null;
      },
      async findByStaffThread(channel, ts) {
        const doc = cases.one('staff_ts = ? AND staff_channel = ?', ts, channel);
        return doc && caseFromDoc(doc);
      },
      async unlinkResident(id, at) {
        const doc = cases.updateById(id, (d) =>
          d.status === 'closed' && isLinkedResidentKey(d.residentKey)
            ? { ...d, residentKey: `unlinked:${id}`, updatedAt: at, version: d.version + 1 }
            : null,
        );
        return doc !== null;
      },
      async eraseResident(residentKey, at) {
        // Expired cases too, as long as they are still stored.
        return cases.update('resident_key = ? ORDER BY created_at, number', [residentKey], (d) =>
          applyCaseUpdate(d, caseEraseUpdate(d, at)),
        ).length;
      },
    },

    timers: embeddedTimers(timers),
    seen: embeddedSeen(seen),
    watch: embeddedWatch(watches, checkIns),

    audit: {
      async append(entry) {
        // Appending the same entry id again (a retried unit of work) leaves the first one as it was.
        audit.insert(auditToDoc(entry));
      },
      async listForCase(caseId) {
        return audit
          .many('case_id = ? AND expires_at > ? ORDER BY at, id', caseId, Date.now())
          .map(auditFromDoc);
      },
    },

    async ping() {
      statement('SELECT 1').get();
    },

    async compact() {
      // Erased content is zeroed in the pages (secure_delete); the write-ahead log still holds the
      // earlier versions of those pages until it is checkpointed and truncated.
      if (durable) db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    },

    async flush() {
      // Every write is committed as it is made (turn-commit.ts commits them by turns instead).
    },

    async close() {
      if (sweep) clearInterval(sweep);
      await sweeping;
      if (!db.isOpen) return;
      db.exec('PRAGMA optimize');
      // Everything into the database file, the log emptied: the file alone is then the whole store
      // (a copy of it is a backup). The -wal and -shm files may stay behind, empty.
      if (durable) db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
  return { store, tables, inbox };
}
