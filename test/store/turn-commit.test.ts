import path from 'node:path';
import { setImmediate as endOfTurn } from 'node:timers/promises';
import { DatabaseSync, type DatabaseSyncInstance } from '@photostructure/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports/store.js';
import { DATABASE_FILE, openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { tempDataDir } from '../support/test-service.js';
import { item, newCase } from './contract/contract-fixtures.js';

/**
 * The processing thread's store commits the writes of one turn of the event loop together
 * (turn-commit.ts). Another connection to the file (the HTTP thread's, a report's) sees a turn's
 * writes all at once when it ends, or at once when the store is flushed before a send.
 */
describe('the processing thread store: one commit per turn', () => {
  let data: ReturnType<typeof tempDataDir>;
  let store: Store;
  let failures: Error[];
  let other: DatabaseSyncInstance;

  beforeEach(async () => {
    data = tempDataDir();
    failures = [];
    store = await openEmbeddedStore({
      dataDir: data.dir,
      incoming: 'read',
      groupCommit: { onFailure: (error) => failures.push(error) },
    });
    other = new DatabaseSync(path.join(data.dir, DATABASE_FILE));
  });
  afterEach(async () => {
    other.close();
    await store.close().catch(() => {});
    data.remove();
  });

  const outboxRows = () => (other.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  const caseNumbers = () =>
    (other.prepare('SELECT number FROM cases ORDER BY number').all() as Array<{ number: string }>).map(
      (r) => r.number,
    );

  it('commits what a turn wrote when the turn ends, all of it at once', async () => {
    await store.outbox.enqueue([item('U1', 'one')]);
    await store.outbox.enqueue([item('U2', 'two')]);
    // Read back on its own connection within the turn, not yet seen by any other.
    expect(await store.outbox.countByStatus()).toMatchObject({ pending: 2 });
    expect(outboxRows()).toBe(0);
    await endOfTurn();
    expect(outboxRows()).toBe(2);
    expect(failures).toEqual([]);
  });

  it('resolves a flush (before a message is sent) once the writes are committed', async () => {
    await store.outbox.enqueue([item('U1', 'one')]);
    await store.flush();
    expect(outboxRows()).toBe(1);
  });

  it('undoes a unit that fails inside a turn and keeps the turn’s other writes', async () => {
    const first = newCase();
    await store.cases.create(first);
    // The same id again: the number it drew is given back with the failed insert (a savepoint).
    await expect(store.cases.create({ ...first })).rejects.toThrow(/already exists/);
    await store.cases.create(newCase());
    await endOfTurn();
    expect(caseNumbers()).toEqual(['2026-000001', '2026-000002']);
    expect(failures).toEqual([]);
  });

  /**
   * A turn that writes, then meets a write SQLite answers by rolling the whole transaction back, as
   * a full disk or an I/O error makes it do (here a trigger installed by another connection).
   */
  async function aTurnRolledBack(): Promise<void> {
    other.exec(
      `CREATE TRIGGER refuse BEFORE INSERT ON contacts WHEN NEW.id = 'line:Ubad'
       BEGIN SELECT RAISE(ROLLBACK, 'refused'); END`,
    );
    await store.outbox.enqueue([item('U1', 'written before the failure')]);
    await expect(store.contacts.setFollowing('line', 'Ubad', true, new Date())).rejects.toThrow(/refused/);
  }

  it('stops when SQLite rolls the turn back, keeping nothing of it, and says so', async () => {
    await aTurnRolledBack();
    // The next call finds the turn's transaction gone: the store stops rather than go on without it.
    await expect(store.outbox.enqueue([item('U2', 'after')])).rejects.toThrow(/the store stopped/);
    expect(failures).toHaveLength(1);
    await expect(store.outbox.countByStatus()).rejects.toThrow(/the store stopped/);
    await expect(store.flush()).rejects.toThrow(/the store stopped/);
    await endOfTurn();
    expect(outboxRows()).toBe(0);
    expect(failures).toHaveLength(1);
  });

  it('reports a turn rolled back by SQLite at the end of the turn, with no later call', async () => {
    await aTurnRolledBack();
    await endOfTurn();
    expect(failures.map((e) => e.message)).toEqual([expect.stringMatching(/the store stopped/)]);
    expect(outboxRows()).toBe(0);
  });

  it('commits what is left when it closes, and reopens with it', async () => {
    await store.outbox.enqueue([item('U1', 'one')]);
    await store.close();
    expect(outboxRows()).toBe(1);
    store = await openEmbeddedStore({ dataDir: data.dir });
    expect(await store.outbox.countByStatus()).toMatchObject({ pending: 1 });
  });
});
