import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { describeStoreContract } from './store-contract.js';

const uri = inject('mongoUri');
const skip = uri
  ? undefined
  : 'no MongoDB server: set MONGODB_URI or install @jongodb/memory-server-bin-linux-x64-gnu';
const COLLECTIONS = [
  'inbox',
  'outbox',
  'leases',
  'contacts',
  'sessions',
  'cases',
  'counters',
  'audit',
  'timers',
  'seen',
];

let client: MongoClient | undefined;
const dbNames: string[] = [];

/** One client for the whole file; each store gets a database of its own (see freshDbName). */
async function sharedClient(): Promise<MongoClient> {
  client ??= await new MongoClient(uri).connect();
  return client;
}

/** A new database per store, so counters and data never leak between tests. */
function freshDbName(): string {
  const name = `contract_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  dbNames.push(name);
  return name;
}

async function dropDatabase(mongo: MongoClient, name: string): Promise<void> {
  const db = mongo.db(name);
  try {
    await db.dropDatabase();
  } catch (error) {
    // jongodb has no dropDatabase (nor drop/listCollections) command: empty the collections instead.
    if ((error as { code?: unknown }).code !== 59) throw error;
    await Promise.all(COLLECTIONS.map((c) => db.collection(c).deleteMany({})));
  }
}

afterAll(async () => {
  if (!client) return;
  for (const name of dbNames) await dropDatabase(client, name);
  await client.close();
});

describeStoreContract(
  'mongo',
  async () => openMongoStore({ uri, dbName: freshDbName(), client: await sharedClient() }),
  skip ? { skip } : {},
);

describe.skipIf(!uri)(`mongo store setup${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('creates the unique and TTL indexes, and closes a client it opened itself', async () => {
    const dbName = freshDbName();
    const store = await openMongoStore({ uri, dbName });
    await store.ping();
    const db = (await sharedClient()).db(dbName);
    const inboxIndexes = await db.collection('inbox').listIndexes().toArray();
    expect(inboxIndexes).toContainEqual(
      expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }),
    );
    const caseIndexes = await db.collection('cases').listIndexes().toArray();
    expect(caseIndexes).toContainEqual(expect.objectContaining({ key: { number: 1 }, unique: true }));
    const timerIndexes = await db.collection('timers').listIndexes().toArray();
    expect(timerIndexes).toContainEqual(expect.objectContaining({ key: { status: 1, dueAt: 1 } }));
    expect(timerIndexes).toContainEqual(expect.objectContaining({ key: { caseId: 1 } }));
    const seenIndexes = await db.collection('seen').listIndexes().toArray();
    expect(seenIndexes).toContainEqual(
      expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }),
    );
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });

  it('leaves a client it was given open', async () => {
    const dbName = freshDbName();
    const mongo = await sharedClient();
    const store = await openMongoStore({ uri, dbName, client: mongo });
    await store.close();
    await expect(mongo.db(dbName).command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
  });

  it('keeps timers across a restart, and fires a timer once across two instances', async () => {
    const dbName = freshDbName();
    const mongo = await sharedClient();
    const now = new Date();
    const timer = { id: 'escalation:c1:1', caseId: 'c1', kind: 'escalation', dueAt: now };
    const first = await openMongoStore({ uri, dbName, client: mongo });
    expect(await first.timers.schedule(timer, now)).toBe('scheduled');
    await first.close();

    const [a, b] = await Promise.all([
      openMongoStore({ uri, dbName, client: mongo }),
      openMongoStore({ uri, dbName, client: mongo }),
    ]);
    expect(await a.timers.due(now, 10, [timer.kind])).toEqual([
      { ...timer, status: 'pending', createdAt: now },
    ]);
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, n) => (n % 2 ? a : b).timers.claim(timer.id, now)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('reads the counters of a case stored before they existed as 0', async () => {
    const dbName = freshDbName();
    const mongo = await sharedClient();
    const createdAt = new Date('2026-05-01T00:00:00Z');
    await mongo.db(dbName).collection<{ _id: string; [field: string]: unknown }>('cases').insertOne({
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
      createdAt,
      status: 'pending',
      version: 1,
      updatedAt: createdAt,
    });
    const store = await openMongoStore({ uri, dbName, client: mongo });
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
