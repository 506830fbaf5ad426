/**
 * With a processing thread (PROCESSING=thread), the HTTP thread must store each webhook's events
 * before it acknowledges them, while the processing thread writes to the database all the time.
 * SQLite lets one connection write at a time and makes the other wait in growing sleeps, which on
 * a busy machine held acknowledgements for seconds. So the HTTP thread writes its events to a file
 * of its own, `incoming.sqlite`, that nothing else writes: its commits never wait. The processing
 * thread reads that file (readers never wait in SQLite's write-ahead log), takes the new events into
 * the inbox and moves its cursor in one transaction of the main database, and the HTTP thread then
 * deletes what the cursor has passed. An event is thus always in one file or the other, and a
 * redelivered one is dropped by the inbox's own id, as without the log.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { InboxRepository } from '../../core/ports/store.js';
import { type InboxDoc, newInboxDoc } from '../store-documents.js';
import {
  type DatabaseSync,
  type DocTable,
  type EmbeddedSynchronous,
  fromJson,
  openDatabaseFile,
  toJson,
  transaction,
} from './sqlite-database.js';

export const INCOMING_FILE = 'incoming.sqlite';

/** How the store of this thread takes part: `write` on the HTTP thread, `read` on the processing one. */
export type IncomingLogMode = 'write' | 'read';

/** Events taken into the inbox per transaction. */
const TRANSFER_BATCH = 500;
/** How often the HTTP thread deletes the events the processing thread has taken. */
const PRUNE_INTERVAL_MS = 1_000;
/** How often the processing thread copies the log's write-ahead log into the log file. */
const CHECKPOINT_INTERVAL_MS = 1_000;
/**
 * The HTTP thread checkpoints the log itself only past this many pages (40 MB) of write-ahead
 * log, should the processing thread stop doing it; SQLite's default is 1,000.
 */
const WRITER_CHECKPOINT_PAGES = 10_000;

/**
 * `seq` is the rowid, which SQLite numbers one past the highest it holds. Pruning always keeps the
 * highest row (incomingLogPruner), so a new event is always numbered past the cursor. The table has
 * no index on `id` and no AUTOINCREMENT: each would add a page or more to every commit's write
 * (random ids land on random index pages), about half the cost of an append. The writer knows
 * which ids the log holds instead (inboxWritingToLog).
 */
const LOG_SCHEMA = `
CREATE TABLE IF NOT EXISTS incoming (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, doc TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS incoming_identity (id INTEGER PRIMARY KEY CHECK (id = 1), log_id TEXT NOT NULL) STRICT;`;

/**
 * A log written by an earlier version numbered its rows with AUTOINCREMENT and indexed their ids.
 * It is copied into the table above with its numbers kept, so the cursor still counts in it.
 */
/** The content of the row pruning keeps (incomingLogPruner). */
const TAKEN = '';

const UPGRADE_LOG = `
CREATE TABLE incoming_upgraded (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, doc TEXT NOT NULL) STRICT;
INSERT INTO incoming_upgraded (seq, id, doc) SELECT seq, id, doc FROM incoming ORDER BY seq;
DROP TABLE incoming;
ALTER TABLE incoming_upgraded RENAME TO incoming;`;

/**
 * The cursor lives in the main database, so taking events and moving it is one transaction. It
 * names the log it counts in: a log file made anew (deleted, or a database restored without it)
 * starts counting from 1 again, and a cursor left at a higher number would skip its events.
 */
const CURSOR_SCHEMA = `
CREATE TABLE IF NOT EXISTS incoming_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, log_id TEXT NOT NULL
) STRICT;`;

export function openIncomingLog(dataDir: string, synchronous: EmbeddedSynchronous): DatabaseSync {
  const log = openDatabaseFile(path.join(dataDir, INCOMING_FILE), synchronous);
  transaction(log, () => {
    const table = log
      .prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'incoming'")
      .get() as { sql: string } | undefined;
    if (table?.sql.includes('AUTOINCREMENT')) log.exec(UPGRADE_LOG);
    log.exec(LOG_SCHEMA);
    log.prepare('INSERT OR IGNORE INTO incoming_identity (id, log_id) VALUES (1, ?)').run(randomUUID());
  });
  return log;
}

/**
 * Deletes the events the cursor has passed, except the highest-numbered row of the log: were the
 * log left empty, SQLite would number the next event from 1 again, behind the cursor, and it would
 * never be taken (the processing thread may move the cursor past everything between a commit and
 * this call). That row keeps its number and id but not its content (a resident's words must not
 * outlive the inbox's retention in here), and readers pass over it. Gives the ids it deleted.
 */
function incomingLogPruner(log: DatabaseSync): (cursor: number) => string[] {
  const prune = log.prepare(
    'DELETE FROM incoming WHERE seq <= ? AND seq < (SELECT max(seq) FROM incoming) RETURNING id',
  );
  const empty = log.prepare(`UPDATE incoming SET doc = '${TAKEN}' WHERE seq <= ? AND doc <> '${TAKEN}'`);
  return (cursor) =>
    transaction(log, () => {
      const deleted = (prune.all(cursor) as Array<{ id: string }>).map((row) => row.id);
      empty.run(cursor);
      return deleted;
    });
}

/** The cursor, counting in this log: back to its start when it counted in another one. */
export function prepareIncomingCursor(db: DatabaseSync, log: DatabaseSync): void {
  const { log_id: logId } = log.prepare('SELECT log_id FROM incoming_identity WHERE id = 1').get() as {
    log_id: string;
  };
  transaction(db, () => {
    db.exec(CURSOR_SCHEMA);
    db.prepare(
      `INSERT INTO incoming_cursor (id, seq, log_id) VALUES (1, 0, ?)
       ON CONFLICT (id) DO UPDATE SET seq = 0, log_id = excluded.log_id WHERE log_id <> excluded.log_id`,
    ).run(logId);
  });
}

/** Reads the cursor; the statement is prepared once per connection (it runs on every inbox read). */
function cursorReader(db: DatabaseSync): () => number {
  const read = db.prepare('SELECT seq FROM incoming_cursor WHERE id = 1');
  return () => (read.get() as { seq: number }).seq;
}

/**
 * The HTTP thread's inbox: `add` appends to the log; the counts include the events the processing
 * thread has not taken yet (they are pending). Everything else reads the main database as usual.
 *
 * Group commit: the appends asked for in one turn of the event loop (the webhooks whose bodies
 * arrived together) are written in one transaction at the end of that turn, and each `add`
 * resolves only once that transaction is committed, so an event is still stored before its
 * webhook is acknowledged. Under load one commit serves several webhooks; alone, an append waits
 * for nothing but the end of the current turn. When the commit fails, every append of the batch
 * fails and none of them is stored: their webhooks are refused and LINE delivers them again.
 */
export function inboxWritingToLog(
  inbox: InboxRepository,
  db: DatabaseSync,
  log: DatabaseSync,
): InboxRepository {
  const cursorOf = cursorReader(db);
  const append = log.prepare('INSERT INTO incoming (id, doc) VALUES (?, ?)');
  const waitingAfter = log.prepare('SELECT count(*) AS n FROM incoming WHERE seq > ?');
  const prune = incomingLogPruner(log);
  // The ids the log holds, in place of an index on the table: a redelivery while its first copy is
  // still in the log is a duplicate (an older one is dropped when the inbox takes it).
  const inLog = new Set(
    (log.prepare('SELECT id FROM incoming').all() as Array<{ id: string }>).map((row) => row.id),
  );
  // A checkpoint copies the write-ahead log into the file and waits for the disk (fsync) twice:
  // the processing thread does it (inboxReadingLog), not the thread that acknowledges webhooks.
  log.exec(`PRAGMA wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  let prunedAt = 0;
  let batch: PendingAppend[] = [];

  function commitBatch(): void {
    const appends = batch;
    batch = [];
    // A duplicate is one still in the log, or earlier in this batch.
    const ids = new Set<string>();
    const fresh = new Set<PendingAppend>();
    for (const pending of appends) {
      if (inLog.has(pending.id) || ids.has(pending.id)) continue;
      ids.add(pending.id);
      fresh.add(pending);
    }
    try {
      transaction(log, () => {
        for (const { id, json } of fresh) append.run(id, json);
      });
    } catch (error) {
      for (const pending of appends) pending.reject(error);
      return;
    }
    for (const id of ids) inLog.add(id);
    for (const pending of appends) pending.resolve(fresh.has(pending) ? 'added' : 'duplicate');
    if (Date.now() - prunedAt >= PRUNE_INTERVAL_MS) {
      prunedAt = Date.now();
      try {
        for (const id of prune(cursorOf())) inLog.delete(id);
      } catch {
        // Pruning only frees space; the next batch tries again.
      }
    }
  }

  return {
    ...inbox,
    add(event, key, receivedAt, expiresAt) {
      const json = toJson(newInboxDoc(event, key, receivedAt, expiresAt));
      return new Promise((resolve, reject) => {
        batch.push({ id: event.id, json, resolve, reject });
        if (batch.length === 1) setImmediate(commitBatch);
      });
    },
    async countByStatus() {
      // The cursor first: the processing thread may take events into the inbox (and move the cursor)
      // between these reads, and an event taken meanwhile is then counted in both places for a
      // moment rather than in neither, which would say "nothing waits" while it does. Nothing here
      // prunes the log between the two reads (pruning runs on this thread, after a commit).
      const cursor = cursorOf();
      const counts = await inbox.countByStatus();
      counts.pending += (waitingAfter.get(cursor) as { n: number }).n;
      return counts;
    },
  };
}

interface PendingAppend {
  id: string;
  json: string;
  resolve: (outcome: 'added' | 'duplicate') => void;
  reject: (error: unknown) => void;
}

/**
 * The processing thread's inbox: before each read it takes what the log has past its cursor into
 * the inbox (a redelivered id is dropped there), in one transaction with the cursor.
 */
export function inboxReadingLog(
  inbox: InboxRepository,
  table: DocTable<InboxDoc>,
  db: DatabaseSync,
  log: DatabaseSync,
): InboxRepository {
  const cursorOf = cursorReader(db);
  const after = log.prepare('SELECT seq, doc FROM incoming WHERE seq > ? ORDER BY seq LIMIT ?');
  const moveCursor = db.prepare('UPDATE incoming_cursor SET seq = ? WHERE id = 1');
  // SQLite counts the commits other connections make to the log: while the count stands still,
  // nothing new has come in since everything was taken, and the log is not read at all.
  const logVersion = log.prepare('PRAGMA data_version');
  const checkpoint = log.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  let takenUpTo: number | undefined;
  let checkpointedAt = Date.now();
  function takeIncoming(): void {
    const version = (logVersion.get() as { data_version: number }).data_version;
    if (version === takenUpTo) return;
    // PASSIVE: copies what it can without waiting for the HTTP thread, which goes on appending.
    if (Date.now() - checkpointedAt >= CHECKPOINT_INTERVAL_MS) {
      checkpointedAt = Date.now();
      checkpoint.get();
    }
    for (;;) {
      const rows = after.all(cursorOf(), TRANSFER_BATCH) as Array<{ seq: number; doc: string }>;
      const last = rows.at(-1);
      if (last)
        transaction(db, () => {
          for (const row of rows) if (row.doc !== TAKEN) table.insert(fromJson<InboxDoc>(row.doc));
          moveCursor.run(last.seq);
        });
      if (rows.length < TRANSFER_BATCH) break;
    }
    takenUpTo = version;
  }
  return {
    ...inbox,
    async get(id) {
      takeIncoming();
      return inbox.get(id);
    },
    async dueKeys(nowDate, limit) {
      takeIncoming();
      return inbox.dueKeys(nowDate, limit);
    },
    async oldestPending(key) {
      takeIncoming();
      return inbox.oldestPending(key);
    },
    async countByStatus() {
      takeIncoming();
      return inbox.countByStatus();
    },
  };
}
