import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from '@photostructure/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { describeStoreContract } from './store-contract.js';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'madoguchi-store-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeStoreContract('embedded (in memory)', () => openEmbeddedStore({ inMemory: true }));
describeStoreContract('embedded (files)', async () => openEmbeddedStore({ dataDir: await tempDir() }));
describeStoreContract('embedded (processing thread: one commit per turn)', async () =>
  openEmbeddedStore({
    dataDir: await tempDir(),
    incoming: 'read',
    groupCommit: {
      onFailure: (error) => {
        throw error;
      },
    },
  }),
);

describe('embedded store files', () => {
  it('keeps one database file, in WAL mode, and reloads records with their Dates', async () => {
    const dataDir = await tempDir();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 60_000);
    const event = {
      id: 'e1',
      channel: 'line' as const,
      address: 'U1',
      occurredAt: now,
      sequence: 0,
      content: { type: 'text' as const, text: 'hello' },
    };

    const first = await openEmbeddedStore({ dataDir });
    await first.inbox.add(event, 'k', now, expiresAt);
    await first.sessions.save('line:U1', { 'a.b': now, $$date: 1 }, null, now, expiresAt);
    await first.close();

    // The write-ahead log is checkpointed at close: what is left of it is empty.
    const files = (await readdir(dataDir)).sort();
    expect(files.filter((f) => !f.endsWith('-wal') && !f.endsWith('-shm'))).toEqual(['madoguchi.sqlite']);
    for (const f of files.filter((f) => f.endsWith('-wal')))
      expect((await stat(path.join(dataDir, f))).size).toBe(0);
    const db = new DatabaseSync(path.join(dataDir, 'madoguchi.sqlite'), { readOnly: true });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();

    const second = await openEmbeddedStore({ dataDir });
    expect((await second.inbox.get('e1'))?.event).toEqual(event);
    expect(await second.inbox.add(event, 'k', now, expiresAt)).toBe('duplicate');
    expect((await second.sessions.get('line:U1', now))?.state).toEqual({ 'a.b': now, $$date: 1 });
    await second.close();
  });

  it('refuses a synchronous setting it does not know', async () => {
    const dataDir = await tempDir();
    const full = await openEmbeddedStore({ dataDir, synchronous: 'full' });
    await full.close();
    await expect(openEmbeddedStore({ dataDir, synchronous: 'off' as unknown as 'full' })).rejects.toThrow(
      /synchronous/,
    );
  });

  describe('a DATA_DIR of the earlier nedb files', () => {
    const at = new Date(Date.now() - 1_000);
    const later = new Date(Date.now() + 60_000);
    const date = (d: Date) => ({ $$date: d.getTime() });
    const nedbFile = (dataDir: string, name: string, docs: unknown[]) =>
      writeFile(path.join(dataDir, name), `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`);
    const event = (id: string, sequence: number) => ({
      id,
      channel: 'line',
      address: 'U1',
      occurredAt: date(at),
      sequence,
      content: { type: 'text', text: id },
    });
    const inboxDoc = (id: string, sequence: number, status: string) => ({
      _id: id,
      event: event(id, sequence),
      key: 'line:U1',
      status,
      attempts: 0,
      nextAttemptAt: date(at),
      receivedAt: date(at),
      expiresAt: date(later),
    });
    const legacyCase = {
      _id: 'old-case',
      number: '2026-000001',
      residentKey: 'line:U1',
      channel: 'line',
      origin: 'self',
      anonymous: false,
      windowId: 'kosodate',
      fields: [],
      patterns: [],
      urgent: false,
      language: 'ja',
      answers: { 'intake%2Enote': 'x' },
      createdAt: date(at),
      status: 'pending',
      version: 1,
      updatedAt: date(at),
    };

    /** Files as nedb wrote them: appended lines, later ones overriding, deletions, index lines. */
    async function writeNedbDataDir(dataDir: string): Promise<void> {
      await nedbFile(dataDir, 'inbox.db', [
        inboxDoc('old-done', 0, 'pending'),
        { $$indexCreated: { fieldName: 'status', unique: false, sparse: false } },
        inboxDoc('old-pending', 1, 'pending'),
        { ...inboxDoc('old-done', 0, 'done'), processedAt: date(at) },
        inboxDoc('gone', 2, 'pending'),
        { $$deleted: true, _id: 'gone' },
        { $$indexCreated: { fieldName: 'pendingKey', unique: false, sparse: true } },
      ]);
      await nedbFile(dataDir, 'cases.db', [legacyCase]);
      await nedbFile(dataDir, 'counters.db', [
        { _id: 'case-2026', seq: 1 },
        { _id: 'case-2026', seq: 7 },
      ]);
      await nedbFile(dataDir, 'sessions.db', [
        {
          _id: 'line:U1',
          version: 3,
          state: { step: 'x', 'a%2Eb': date(at) },
          updatedAt: date(at),
          expiresAt: date(later),
        },
      ]);
      // An interrupted nedb rewrite leaves only the new file, under `~`.
      await nedbFile(dataDir, 'seen.db~', [{ _id: 'Ev1', at: date(at), expiresAt: date(later) }]);
    }

    it('imports them once into the database and sets the files aside', async () => {
      const dataDir = await tempDir();
      await writeNedbDataDir(dataDir);

      const store = await openEmbeddedStore({ dataDir });
      try {
        expect(await store.inbox.dueKeys(new Date(), 10)).toEqual(['line:U1']);
        expect((await store.inbox.oldestPending('line:U1'))?.id).toBe('old-pending');
        expect(await store.inbox.get('gone')).toBeNull();
        expect(await store.inbox.get('old-done')).toMatchObject({ status: 'done', processedAt: at });
        expect(await store.inbox.markDone('old-pending', new Date())).toBe(true);
        expect(await store.inbox.dueKeys(new Date(), 10)).toEqual([]);
        expect(await store.inbox.countByStatus()).toEqual({ pending: 0, done: 2, parked: 0 });
        expect(await store.sessions.get('line:U1', new Date())).toMatchObject({
          version: 3,
          state: { step: 'x', 'a.b': at },
        });
        expect(await store.seen.firstSeen('Ev1', new Date(), later)).toBe(false);
        // A case stored before the counters existed reads them as 0; numbering goes on from the counter.
        const record = await store.cases.get('old-case');
        expect(record).toMatchObject({
          rerouteCount: 0,
          reopenCount: 0,
          createdAt: at,
          answers: { 'intake.note': 'x' },
        });
        expect(await store.cases.findLatestByResident('line:U1')).toEqual(record);
        expect(
          await store.cases.transition('old-case', ['pending'], { status: 'closed', closedAt: at }, at),
        ).toMatchObject({ status: 'closed', closedAt: at, rerouteCount: 0, reopenCount: 0, version: 2 });
        const next = await store.cases.create({
          id: 'new-case',
          residentKey: 'line:U2',
          channel: 'line',
          origin: 'self',
          anonymous: false,
          windowId: 'kosodate',
          fields: [],
          patterns: [],
          urgent: false,
          language: 'ja',
          answers: {},
          createdAt: at,
        });
        expect(next.number).toBe('2026-000008');
      } finally {
        await store.close();
      }

      expect(
        (await readdir(dataDir)).filter((f) => !f.endsWith('-wal') && !f.endsWith('-shm')).sort(),
      ).toEqual([
        'cases.db.nedb-imported',
        'counters.db.nedb-imported',
        'inbox.db.nedb-imported',
        'madoguchi.sqlite',
        'seen.db.nedb-imported',
        'sessions.db.nedb-imported',
      ]);
      // Opened again, nothing is imported twice.
      const again = await openEmbeddedStore({ dataDir });
      expect(await again.inbox.countByStatus()).toEqual({ pending: 0, done: 2, parked: 0 });
      await again.close();
    });

    it('imports nothing and keeps the files when one cannot be read, and imports them all at the next start', async () => {
      const dataDir = await tempDir();
      await writeNedbDataDir(dataDir);
      await nedbFile(dataDir, 'audit.db', [{ at: date(at) }]);

      await expect(openEmbeddedStore({ dataDir })).rejects.toThrow(
        /audit\.db:1: a document without a string _id/,
      );
      expect((await readdir(dataDir)).filter((f) => f.endsWith('.db'))).toHaveLength(5);

      // Fixed, the next start imports everything.
      await nedbFile(dataDir, 'audit.db', []);
      const store = await openEmbeddedStore({ dataDir });
      expect((await store.cases.get('old-case'))?.number).toBe('2026-000001');
      await store.close();
    });
  });

  it("removes a sweep's worth of expired events in batches, and counts them all", async () => {
    const store = await openEmbeddedStore({ dataDir: await tempDir() });
    try {
      const now = new Date();
      const soon = new Date(now.getTime() + 1000);
      for (let i = 0; i < 1_200; i++) {
        const event = {
          id: `e${i}`,
          channel: 'line' as const,
          address: 'U1',
          occurredAt: now,
          sequence: i,
          content: { type: 'text' as const, text: 'x' },
        };
        await store.inbox.add(event, 'k', now, i < 1_100 ? soon : new Date(now.getTime() + 60_000));
      }
      expect(await store.inbox.removeExpired(new Date(now.getTime() + 2000))).toBe(1_100);
      expect(await store.inbox.countByStatus()).toEqual({ pending: 100, done: 0, parked: 0 });
    } finally {
      await store.close();
    }
  });

  it('keeps timers and seen ids across a restart, and still fires a timer once', async () => {
    const dataDir = await tempDir();
    const now = new Date();
    const timer = {
      id: 'escalation:c1:1',
      caseId: 'c1',
      kind: 'escalation',
      dueAt: new Date(now.getTime() - 1000),
      data: { level: 1, 'a.b': true },
    };

    const first = await openEmbeddedStore({ dataDir });
    expect(await first.timers.schedule(timer, now)).toBe('scheduled');
    expect(
      await first.timers.schedule({ ...timer, id: 'later', dueAt: new Date(now.getTime() + 60_000) }, now),
    ).toBe('scheduled');
    expect(await first.seen.firstSeen('Ev1', now, new Date(now.getTime() + 60_000))).toBe(true);
    await first.close();

    const second = await openEmbeddedStore({ dataDir });
    expect(await second.timers.due(now, 10, [timer.kind])).toEqual([
      { ...timer, status: 'pending', createdAt: now },
    ]);
    expect(await second.timers.schedule(timer, now)).toBe('exists');
    expect(await second.timers.claim(timer.id, now)).toBe(true);
    expect(await second.seen.firstSeen('Ev1', now, new Date(now.getTime() + 60_000))).toBe(false);
    await second.close();

    const third = await openEmbeddedStore({ dataDir });
    expect(await third.timers.get(timer.id)).toMatchObject({ status: 'fired', firedAt: now });
    expect(await third.timers.claim(timer.id, now)).toBe(false);
    expect((await third.timers.get('later'))?.status).toBe('pending');
    await third.close();
  });
});
