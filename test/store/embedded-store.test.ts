import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

describe('embedded store files', () => {
  it('keeps one file per durable repository and reloads records with their Dates', async () => {
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
    await first.sessions.save('line:U1', { 'a.b': now }, null, now, expiresAt);
    await first.close();

    expect((await readdir(dataDir)).sort()).toEqual(
      // Leases coordinate one process's workers only, so they are kept in memory.
      [
        'audit',
        'cases',
        'check-ins',
        'contacts',
        'counters',
        'inbox',
        'outbox',
        'seen',
        'sessions',
        'timers',
        'watches',
      ].map((n) => `${n}.db`),
    );

    const second = await openEmbeddedStore({ dataDir });
    expect((await second.inbox.get('e1'))?.event).toEqual(event);
    expect(await second.inbox.add(event, 'k', now, expiresAt)).toBe('duplicate');
    expect((await second.sessions.get('line:U1', now))?.state).toEqual({ 'a.b': now });
    await second.close();
  });

  it('takes over an inbox file written before pending events were indexed by conversation', async () => {
    const dataDir = await tempDir();
    const at = new Date(Date.now() - 1_000);
    const line = (doc: Record<string, unknown>) => JSON.stringify(doc);
    const date = (d: Date) => ({ $$date: d.getTime() });
    const event = (id: string, sequence: number) => ({
      id,
      channel: 'line',
      address: 'U1',
      occurredAt: date(at),
      sequence,
      content: { type: 'text', text: id },
    });
    const doc = (id: string, sequence: number, status: string) => ({
      _id: id,
      event: event(id, sequence),
      key: 'line:U1',
      status,
      attempts: 0,
      nextAttemptAt: date(at),
      receivedAt: date(at),
      expiresAt: date(new Date(Date.now() + 60_000)),
    });
    // What the earlier version wrote: a status index and no pendingKey.
    await writeFile(
      path.join(dataDir, 'inbox.db'),
      [
        line(doc('old-done', 0, 'done')),
        line(doc('old-pending', 1, 'pending')),
        line({ $$indexCreated: { fieldName: 'status', unique: false, sparse: false } }),
        line({ $$indexCreated: { fieldName: 'key', unique: false, sparse: false } }),
      ].join('\n'),
    );

    const store = await openEmbeddedStore({ dataDir });
    try {
      expect(await store.inbox.dueKeys(new Date(), 10)).toEqual(['line:U1']);
      expect((await store.inbox.oldestPending('line:U1'))?.id).toBe('old-pending');
      expect(await store.inbox.markDone('old-pending', new Date())).toBe(true);
      expect(await store.inbox.dueKeys(new Date(), 10)).toEqual([]);
      expect(await store.inbox.countByStatus()).toMatchObject({ pending: 0, done: 2 });
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

  it('reads the counters of a case stored before they existed as 0', async () => {
    const dataDir = await tempDir();
    const createdAt = new Date('2026-05-01T00:00:00Z');
    const legacy = {
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
      answers: {},
      createdAt: { $$date: createdAt.getTime() },
      status: 'pending',
      version: 1,
      updatedAt: { $$date: createdAt.getTime() },
    };
    await writeFile(path.join(dataDir, 'cases.db'), `${JSON.stringify(legacy)}\n`);

    const store = await openEmbeddedStore({ dataDir });
    const record = await store.cases.get('old-case');
    expect(record).toMatchObject({ id: 'old-case', rerouteCount: 0, reopenCount: 0, createdAt });
    expect(await store.cases.findLatestByResident('line:U1')).toEqual(record);
    expect(
      await store.cases.transition(
        'old-case',
        ['pending'],
        { status: 'closed', closedAt: createdAt },
        createdAt,
      ),
    ).toMatchObject({ status: 'closed', closedAt: createdAt, rerouteCount: 0, reopenCount: 0, version: 2 });
    await store.close();
  });
});
