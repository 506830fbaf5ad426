import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { describeStoreContract } from './store-contract.js';

const uri = inject('mongoUri');
const skip = uri
  ? undefined
  : 'no MongoDB server: set MONGODB_URI or install @jongodb/memory-server-bin-linux-x64-gnu';
const COLLECTIONS = ['inbox', 'outbox', 'leases', 'contacts', 'sessions', 'cases', 'counters', 'audit'];

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
});
