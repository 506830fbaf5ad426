import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from '@photostructure/sqlite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncomingEvent } from '../../src/core/ports/incoming-event.js';
import type { Store } from '../../src/core/ports/store.js';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { INCOMING_FILE } from '../../src/store/embedded/incoming-log.js';
import { tempDataDir } from '../support/test-service.js';

const DAY = 24 * 60 * 60 * 1000;

function textEvent(id: string, address: string, text: string, at: Date): IncomingEvent {
  return { id, channel: 'line', address, occurredAt: at, sequence: 0, content: { type: 'text', text } };
}

/**
 * Two connections to one DATA_DIR, as the HTTP thread and the processing thread have them: the
 * first writes incoming events to its own log, the second takes them into the inbox.
 */
describe('the embedded store shared by an HTTP thread and a processing thread', () => {
  let data: ReturnType<typeof tempDataDir>;
  const open: Store[] = [];

  beforeEach(() => {
    data = tempDataDir();
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const store of open.splice(0)) await store.close();
    data.remove();
  });

  async function openAs(incoming?: 'write' | 'read'): Promise<Store> {
    const store = await openEmbeddedStore({ dataDir: data.dir, incoming });
    open.push(store);
    return store;
  }

  async function add(store: Store, event: IncomingEvent) {
    const now = new Date();
    return store.inbox.add(event, `line:${event.address}`, now, new Date(now.getTime() + DAY));
  }

  it('hands each event over once, in order, and counts what waits in the log as pending', async () => {
    const edge = await openAs('write');
    const processor = await openAs('read');
    const t0 = new Date('2026-11-30T10:00:00Z');
    expect(await add(edge, textEvent('e1', 'Ua', 'one', t0))).toBe('added');
    expect(await add(edge, textEvent('e2', 'Ua', 'two', new Date(t0.getTime() + 1)))).toBe('added');
    // A redelivery while the first copy is still in the log.
    expect(await add(edge, textEvent('e1', 'Ua', 'one', t0))).toBe('duplicate');
    expect((await edge.inbox.countByStatus()).pending).toBe(2);

    const first = await processor.inbox.oldestPending('line:Ua');
    expect(first?.id).toBe('e1');
    expect(await processor.inbox.markDone('e1', new Date())).toBe(true);
    expect((await processor.inbox.oldestPending('line:Ua'))?.id).toBe('e2');
    // Taken into the inbox: counted there, not twice.
    expect(await edge.inbox.countByStatus()).toMatchObject({ pending: 1, done: 1 });
    expect(await processor.inbox.countByStatus()).toMatchObject({ pending: 1, done: 1 });
  });

  it('commits the events asked for in one turn together: all of them stored, or none', async () => {
    const edge = await openAs('write');
    const processor = await openAs('read');
    // Another connection to the log file makes one event id fail to insert, as a full disk would.
    const saboteur = new DatabaseSync(path.join(data.dir, INCOMING_FILE));
    saboteur.exec(
      `CREATE TRIGGER refuse BEFORE INSERT ON incoming WHEN NEW.id = 'bad'
       BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );
    saboteur.close();
    const t0 = new Date('2026-11-30T10:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);

    // Three webhooks in one turn of the event loop share one commit: one fails, none is stored,
    // and each of the three webhooks is refused (LINE redelivers them).
    const together = await Promise.allSettled([
      add(edge, textEvent('e1', 'Ue', 'one', at(0))),
      add(edge, textEvent('bad', 'Uf', 'two', at(1))),
      add(edge, textEvent('e3', 'Ug', 'three', at(2))),
    ]);
    expect(together.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await processor.inbox.dueKeys(new Date(), 10)).toEqual([]);
    expect((await edge.inbox.countByStatus()).pending).toBe(0);

    // Redelivered one by one, each in a turn of its own: only the failing one is refused.
    expect(await add(edge, textEvent('e1', 'Ue', 'one', at(0)))).toBe('added');
    await expect(add(edge, textEvent('bad', 'Uf', 'two', at(1)))).rejects.toThrow(/refused/);
    // A duplicate within one batch is stored once.
    expect(
      await Promise.all([
        add(edge, textEvent('e3', 'Ug', 'three', at(2))),
        add(edge, textEvent('e3', 'Ug', 'three', at(2))),
      ]),
    ).toEqual(['added', 'duplicate']);
    expect(await processor.inbox.dueKeys(new Date(), 10)).toEqual(['line:Ue', 'line:Ug']);
  });

  it('takes events that arrive after a read that found the log empty or taken', async () => {
    const edge = await openAs('write');
    const processor = await openAs('read');
    const t0 = new Date('2026-11-30T10:00:00Z');
    // Nothing yet: the processor reads the log and finds nothing (then skips it while it stands still).
    expect(await processor.inbox.oldestPending('line:Ua')).toBeNull();
    expect(await processor.inbox.oldestPending('line:Ua')).toBeNull();
    await add(edge, textEvent('e1', 'Ua', 'one', t0));
    expect((await processor.inbox.oldestPending('line:Ua'))?.id).toBe('e1');
    await processor.inbox.markDone('e1', new Date());
    expect(await processor.inbox.oldestPending('line:Ua')).toBeNull();
    await add(edge, textEvent('e2', 'Ua', 'two', new Date(t0.getTime() + 1)));
    expect(await processor.inbox.dueKeys(new Date(Date.now() + 60_000), 10)).toEqual(['line:Ua']);
    expect((await processor.inbox.oldestPending('line:Ua'))?.id).toBe('e2');
  });

  it('counts an event taken into the inbox while it counts, rather than missing it', async () => {
    const edge = await openAs('write');
    const processor = await openAs('read');
    await add(edge, textEvent('e1', 'Uc', 'hello', new Date()));
    // The count begins (it reads the inbox at once and the log a moment later); in between, the
    // processing thread takes the event into the inbox and moves its cursor past it.
    const counting = edge.inbox.countByStatus();
    void processor.inbox.oldestPending('line:Uc');
    expect((await counting).pending).toBe(1);
    expect((await edge.inbox.countByStatus()).pending).toBe(1);
  });

  it('drops a redelivery of an event already taken into the inbox', async () => {
    const edge = await openAs('write');
    const processor = await openAs('read');
    expect(await add(edge, textEvent('e1', 'Ub', 'hello', new Date()))).toBe('added');
    expect(await processor.inbox.dueKeys(new Date(), 10)).toEqual(['line:Ub']);
    await processor.inbox.markDone('e1', new Date());
    // LINE redelivers it: whether the log still holds its first copy or has let it go, the inbox
    // knows its id, and nothing is handled twice.
    await add(edge, textEvent('e1', 'Ub', 'hello', new Date()));
    expect(await processor.inbox.dueKeys(new Date(), 10)).toEqual([]);
    expect(await processor.inbox.countByStatus()).toMatchObject({ pending: 0, done: 1 });
    expect(await edge.inbox.countByStatus()).toMatchObject({ pending: 0, done: 1 });
  });

  it('keeps acknowledged events across a restart on one thread (PROCESSING=inline)', async () => {
    const edge = await openAs('write');
    expect(await add(edge, textEvent('e1', 'Uc', 'still here?', new Date()))).toBe('added');
    await edge.close();
    open.splice(0);
    expect(existsSync(path.join(data.dir, INCOMING_FILE))).toBe(true);

    // The next start has no processing thread: the store still reads what the log holds.
    const inline = await openAs();
    expect((await inline.inbox.oldestPending('line:Uc'))?.event.content).toEqual({
      type: 'text',
      text: 'still here?',
    });
  });

  it('numbers a new event past the cursor even after the log was pruned of everything taken', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T10:00:00Z') });
    const edge = await openAs('write');
    const processor = await openAs('read');
    expect(await add(edge, textEvent('e1', 'Ua', 'one', new Date()))).toBe('added');
    expect(await processor.inbox.dueKeys(new Date(), 10)).toEqual(['line:Ua']);
    await processor.inbox.markDone('e1', new Date());
    // A second later the log is pruned after the next commit, which here stores nothing: the
    // cursor has passed every row. Were the log emptied, the next event would be numbered 1 again.
    vi.setSystemTime(new Date('2026-11-30T10:00:02Z'));
    expect(await add(edge, textEvent('e1', 'Ua', 'one', new Date()))).toBe('duplicate');
    // The row kept for its number no longer holds what the resident wrote.
    const file = new DatabaseSync(path.join(data.dir, INCOMING_FILE));
    expect(file.prepare('SELECT seq, id, doc FROM incoming').all()).toEqual([{ seq: 1, id: 'e1', doc: '' }]);
    file.close();
    expect(await add(edge, textEvent('e2', 'Ua', 'two', new Date()))).toBe('added');
    expect((await processor.inbox.oldestPending('line:Ua'))?.id).toBe('e2');
  });

  it('knows after a restart which events its log holds, and drops a redelivery of one', async () => {
    const edge = await openAs('write');
    expect(await add(edge, textEvent('e1', 'Ua', 'one', new Date()))).toBe('added');
    await edge.close();
    open.splice(0);
    const edgeAgain = await openAs('write');
    expect(await add(edgeAgain, textEvent('e1', 'Ua', 'one', new Date()))).toBe('duplicate');
    expect((await edgeAgain.inbox.countByStatus()).pending).toBe(1);
  });

  it('upgrades a log written by an earlier version, keeping its numbers and what waits in it', async () => {
    const edge = await openAs('write');
    const processor = await openAs('read');
    await add(edge, textEvent('e1', 'Ua', 'one', new Date()));
    expect(await processor.inbox.dueKeys(new Date(), 10)).toEqual(['line:Ua']);
    await processor.inbox.markDone('e1', new Date());
    await add(edge, textEvent('e2', 'Ua', 'two', new Date()));
    for (const store of open.splice(0)) await store.close();
    // The earlier version's table: numbered by AUTOINCREMENT, its ids indexed.
    const file = new DatabaseSync(path.join(data.dir, INCOMING_FILE));
    file.exec(`
      CREATE TABLE earlier (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL) STRICT;
      INSERT INTO earlier SELECT seq, id, doc FROM incoming;
      DROP TABLE incoming;
      ALTER TABLE earlier RENAME TO incoming;`);
    file.close();

    const edgeAgain = await openAs('write');
    const processorAgain = await openAs('read');
    expect(await add(edgeAgain, textEvent('e2', 'Ua', 'two', new Date()))).toBe('duplicate');
    expect(await add(edgeAgain, textEvent('e3', 'Ua', 'three', new Date()))).toBe('added');
    // e1 is not handed over again (the cursor still counts in the upgraded log); e2 and e3 are.
    expect((await processorAgain.inbox.oldestPending('line:Ua'))?.id).toBe('e2');
    await processorAgain.inbox.markDone('e2', new Date());
    expect((await processorAgain.inbox.oldestPending('line:Ua'))?.id).toBe('e3');
    expect(await processorAgain.inbox.countByStatus()).toMatchObject({ pending: 1, done: 2 });

    const check = new DatabaseSync(path.join(data.dir, INCOMING_FILE));
    const { sql } = check.prepare("SELECT sql FROM sqlite_schema WHERE name = 'incoming'").get() as {
      sql: string;
    };
    check.close();
    expect(sql).not.toMatch(/AUTOINCREMENT|UNIQUE/);
  });

  it('takes the events of a log made anew (deleted, or a database restored without it)', async () => {
    const edge = await openAs('write');
    const processor = await openAs('read');
    expect(await add(edge, textEvent('e1', 'Ud', 'first', new Date()))).toBe('added');
    expect(await processor.inbox.dueKeys(new Date(), 10)).toEqual(['line:Ud']);
    await processor.inbox.markDone('e1', new Date());
    for (const store of open.splice(0)) await store.close();
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(path.join(data.dir, `${INCOMING_FILE}${suffix}`), { force: true });

    // The new log counts from 1 again: the cursor, past 1 in the old one, must not skip it.
    const edgeAgain = await openAs('write');
    const processorAgain = await openAs('read');
    expect(await add(edgeAgain, textEvent('e2', 'Ud', 'second', new Date()))).toBe('added');
    expect((await processorAgain.inbox.oldestPending('line:Ud'))?.id).toBe('e2');
  });
});
