import { mkdtemp, readdir, rm } from 'node:fs/promises';
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
      ['audit', 'cases', 'contacts', 'counters', 'inbox', 'outbox', 'sessions'].map((n) => `${n}.db`),
    );

    const second = await openEmbeddedStore({ dataDir });
    expect((await second.inbox.get('e1'))?.event).toEqual(event);
    expect(await second.inbox.add(event, 'k', now, expiresAt)).toBe('duplicate');
    expect((await second.sessions.get('line:U1', now))?.state).toEqual({ 'a.b': now });
    await second.close();
  });
});
