/**
 * The shared backend: several service instances may use one MongoDB. Every write that decides who
 * owns something (a lease, an inbox or outbox item's status, a session version, a case, a case
 * number, a timer's firing, a seen id) is one conditional `updateOne`/`insertOne`, so no
 * transactions are needed.
 *
 * Where the caller needs the resulting record, the update is a compare-and-set on a version read
 * just before (and the record is built from that read plus the change) rather than one
 * `findOneAndUpdate`: jongodb, the MongoDB-compatible server the contract suite runs against in CI,
 * executes findOneAndUpdate as a find followed by an update, so under concurrency two callers can
 * both "win" a claim or read the same counter value. Its updateOne and insertOne are atomic, and
 * this costs one extra read on real MongoDB for operations that are rare (accepting a case,
 * numbering, amending or erasing one, saving a session).
 */
import { type Db, MongoClient } from 'mongodb';
import type { CaseStatus, Store } from '../../core/ports/store.js';
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
  type CounterDoc,
  caseAmendUpdate,
  caseEraseUpdate,
  caseFromDoc,
  caseTransitionUpdate,
  contactFromDoc,
  contactId,
  emptyCounts,
  type InboxDoc,
  isLinkedResidentKey,
  type LeaseDoc,
  newCaseDoc,
  type OutboxDoc,
  type SeenDoc,
  type SessionDoc,
  sessionFromDoc,
  type TimerDoc,
} from '../store-documents.js';
import type { CheckInDoc, WatchDoc } from '../watch-documents.js';
import { mongoInbox } from './mongo-inbox.js';
import { mongoOutbox } from './mongo-outbox.js';
import { caseNotExpired, isDuplicateKey, MAX_CAS_ATTEMPTS, notExpired } from './mongo-queries.js';
import { mongoSeen } from './mongo-seen.js';
import { mongoTimers } from './mongo-timers.js';
import { mongoWatch } from './mongo-watch.js';

export interface MongoStoreOptions {
  uri: string;
  dbName: string;
  /** An already connected client to use; the caller keeps ownership and closes it. */
  client?: MongoClient;
}

const ttl = { expiresAt: 1 } as const;

async function createIndexes(db: Db): Promise<void> {
  await Promise.all([
    db.collection('inbox').createIndexes([
      { key: { key: 1, status: 1, 'event.occurredAt': 1, 'event.sequence': 1, receivedAt: 1 } },
      { key: { status: 1, nextAttemptAt: 1 } },
      // Due conversations in inbox order: a poll walks this index and stops at its limit.
      { key: { status: 1, 'event.occurredAt': 1, 'event.sequence': 1, receivedAt: 1, key: 1 } },
      { key: ttl, expireAfterSeconds: 0 },
    ]),
    db.collection('outbox').createIndexes([
      { key: { channel: 1, address: 1, status: 1, sequence: 1 } },
      { key: { status: 1, nextAttemptAt: 1 } },
      // Due recipients in sequence order: a poll walks this index and stops at its limit.
      { key: { status: 1, sequence: 1 } },
      // Only done items carry expiresAt; pending ones are never removed.
      { key: ttl, expireAfterSeconds: 0 },
    ]),
    // A lease nobody renewed is worthless once `until` has passed: let the server clean it up.
    db.collection('leases').createIndexes([{ key: { until: 1 }, expireAfterSeconds: 0 }]),
    db.collection('sessions').createIndexes([{ key: ttl, expireAfterSeconds: 0 }]),
    db
      .collection('cases')
      .createIndexes([
        { key: { number: 1 }, unique: true },
        { key: { status: 1, createdAt: 1 } },
        { key: { residentKey: 1, createdAt: -1 } },
        { key: { 'staffThread.ts': 1 }, sparse: true },
        { key: ttl, expireAfterSeconds: 0 },
      ]),
    db
      .collection('audit')
      .createIndexes([{ key: { caseId: 1, at: 1 } }, { key: ttl, expireAfterSeconds: 0 }]),
    db.collection('timers').createIndexes([{ key: { status: 1, dueAt: 1 } }, { key: { caseId: 1 } }]),
    db.collection('seen').createIndexes([{ key: ttl, expireAfterSeconds: 0 }]),
    db.collection('watches').createIndexes([{ key: { residentKey: 1 } }, { key: { status: 1 } }]),
    db.collection('check-ins').createIndexes([{ key: { watchId: 1, dueAt: 1 } }, { key: { dueAt: 1 } }]),
  ]);
}

export async function openMongoStore(opts: MongoStoreOptions): Promise<Store> {
  const ownsClient = opts.client === undefined;
  const client = opts.client ?? (await new MongoClient(opts.uri).connect());
  // Without ignoreUndefined the driver stores an undefined optional field as null, which would come
  // back as a value the record types do not allow.
  const db = client.db(opts.dbName, { ignoreUndefined: true });
  try {
    await createIndexes(db);
  } catch (error) {
    if (ownsClient) await client.close();
    throw error;
  }

  const inbox = db.collection<InboxDoc>('inbox');
  const outbox = db.collection<OutboxDoc>('outbox');
  const leases = db.collection<LeaseDoc>('leases');
  const contacts = db.collection<ContactDoc>('contacts');
  const sessions = db.collection<SessionDoc>('sessions');
  const cases = db.collection<CaseDoc>('cases');
  const counters = db.collection<CounterDoc>('counters');
  const audit = db.collection<AuditDoc>('audit');
  const timers = db.collection<TimerDoc>('timers');
  const seen = db.collection<SeenDoc>('seen');
  const watches = db.collection<WatchDoc>('watches');
  const checkIns = db.collection<CheckInDoc>('check-ins');

  async function nextCaseSeq(year: number): Promise<number> {
    const _id = caseCounterId(year);
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      const counter = await counters.findOne({ _id });
      if (!counter) {
        try {
          await counters.insertOne({ _id, seq: 1 });
          return 1;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          continue;
        }
      }
      const r = await counters.updateOne({ _id, seq: counter.seq }, { $set: { seq: counter.seq + 1 } });
      if (r.modifiedCount === 1) return counter.seq + 1;
    }
    throw new Error(`case counter ${_id}: still contended after ${MAX_CAS_ATTEMPTS} attempts`);
  }

  /**
   * Erases one case of `residentKey` as a compare-and-set on its version. false when it no longer
   * belongs to the resident: a concurrent erase got there first, so that one counts it.
   */
  async function eraseCase(found: CaseDoc, residentKey: string, at: Date): Promise<boolean> {
    let current: CaseDoc | null = found;
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      if (!current) return false;
      const filter = { _id: current._id, residentKey, version: current.version };
      const r = await cases.updateOne(filter, caseEraseUpdate(current, at));
      if (r.modifiedCount === 1) return true;
      current = await cases.findOne({ _id: current._id, residentKey });
    }
    throw new Error(`case ${found._id}: still contended after ${MAX_CAS_ATTEMPTS} attempts`);
  }

  return {
    kind: 'mongo',

    inbox: mongoInbox(inbox),
    outbox: mongoOutbox(outbox),

    leases: {
      async acquire(key, owner, until, now) {
        // When someone else holds a valid lease the filter matches nothing and the upsert tries to
        // insert a second document with the same _id: the duplicate key is the "no".
        try {
          await leases.updateOne(
            { _id: key, $or: [{ until: { $lte: now } }, { owner }] },
            { $set: { owner, until } },
            { upsert: true },
          );
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      },
      async release(key, owner) {
        await leases.deleteOne({ _id: key, owner });
      },
    },

    contacts: {
      async get(channel, address) {
        const doc = await contacts.findOne({ _id: contactId(channel, address) });
        return doc && contactFromDoc(doc);
      },
      async setFollowing(channel, address, following, at) {
        await contacts.updateOne(
          { _id: contactId(channel, address) },
          { $set: { channel, address, following, updatedAt: at } },
          { upsert: true },
        );
      },
      async delete(channel, address) {
        await contacts.deleteOne({ _id: contactId(channel, address) });
      },
    },

    sessions: {
      async get(key, now) {
        const doc = await sessions.findOne({ _id: key, ...notExpired(now) });
        return doc && sessionFromDoc(doc);
      },
      async save(key, state, expectedVersion, now, expiresAt) {
        const fields = { state: escapeFieldNames(state), updatedAt: now, expiresAt };
        let from = expectedVersion;
        if (from === null) {
          const existing = await sessions.findOne({ _id: key });
          if (!existing) {
            const doc: SessionDoc = { _id: key, version: 1, ...fields };
            try {
              await sessions.insertOne(doc);
              return sessionFromDoc(doc);
            } catch (error) {
              if (isDuplicateKey(error)) return 'conflict';
              throw error;
            }
          }
          // "No session yet" also covers an expired one the TTL monitor has not removed: it is
          // overwritten, and its version keeps counting up so a writer holding an old one cannot match.
          if (existing.expiresAt > now) return 'conflict';
          from = existing.version;
        }
        const r = await sessions.updateOne(
          {
            _id: key,
            version: from,
            expiresAt: expectedVersion === null ? { $lte: now } : { $gt: now },
          },
          { $set: { ...fields, version: from + 1 } },
        );
        return r.modifiedCount === 1
          ? sessionFromDoc({ _id: key, version: from + 1, ...fields })
          : 'conflict';
      },
      async delete(key) {
        await sessions.deleteOne({ _id: key });
      },
    },

    cases: {
      async create(input) {
        const year = caseYear(input.createdAt);
        const seq = await nextCaseSeq(year);
        const doc = newCaseDoc(input, formatCaseNumber(year, seq));
        await cases.insertOne(doc);
        return caseFromDoc(doc);
      },
      async get(id) {
        const doc = await cases.findOne({ _id: id, ...caseNotExpired() });
        return doc && caseFromDoc(doc);
      },
      async transition(id, fromStatuses, changes, at) {
        const update = caseTransitionUpdate(changes, at);
        for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
          const current = await cases.findOne({
            _id: id,
            status: { $in: fromStatuses },
            ...caseNotExpired(at),
          });
          if (!current) return null;
          const version = current.version + 1;
          const r = await cases.updateOne(
            { _id: id, version: current.version, status: { $in: fromStatuses } },
            { ...update, $set: { ...update.$set, version } },
          );
          if (r.modifiedCount === 1) {
            const after: Record<string, unknown> = { ...current, ...update.$set, version };
            for (const field of Object.keys(update.$unset ?? {})) delete after[field];
            return caseFromDoc(after as unknown as CaseDoc);
          }
          // Another transition got in first; re-check whether ours still applies.
        }
        throw new Error(`case ${id}: still contended after ${MAX_CAS_ATTEMPTS} attempts`);
      },
      async amend(id, changes, at) {
        for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
          const current = await cases.findOne({
            _id: id,
            erasedAt: { $exists: false },
            ...caseNotExpired(at),
          });
          if (!current) return null;
          const update = caseAmendUpdate(current, changes, at);
          const r = await cases.updateOne({ _id: id, version: current.version }, update);
          if (r.modifiedCount === 1) return caseFromDoc(applyCaseUpdate(current, update));
          // Another write got in first: merge into what it left.
        }
        throw new Error(`case ${id}: still contended after ${MAX_CAS_ATTEMPTS} attempts`);
      },
      async listByStatus(status, limit) {
        const docs = await cases
          .find({ status, ...caseNotExpired() })
          .sort({ createdAt: 1, number: 1 })
          .limit(limit)
          .toArray();
        return docs.map(caseFromDoc);
      },
      async countByStatus() {
        const rows = await cases
          .aggregate<{ _id: CaseStatus; n: number }>([
            { $match: caseNotExpired() },
            { $group: { _id: '$status', n: { $sum: 1 } } },
          ])
          .toArray();
        const counts = emptyCounts(CASE_STATUSES);
        for (const row of rows) counts[row._id] = row.n;
        return counts;
      },
      async listByResident(residentKey) {
        const docs = await cases
          .find({ residentKey, ...caseNotExpired() })
          .sort({ createdAt: -1, number: -1 })
          .toArray();
        return docs.map(caseFromDoc);
      },
      async findLatestByResident(residentKey) {
        const doc = await cases.findOne(
          { residentKey, ...caseNotExpired() },
          { sort: { createdAt: -1, number: -1 } },
        );
        return doc && caseFromDoc(doc);
      },
      async findByStaffThread(channel, ts) {
        const doc = await cases.findOne({ 'staffThread.ts': ts, 'staffThread.channel': channel });
        return doc && caseFromDoc(doc);
      },
      async unlinkResident(id, at) {
        const current = await cases.findOne({ _id: id });
        if (current?.status !== 'closed' || !isLinkedResidentKey(current.residentKey)) return false;
        const r = await cases.updateOne(
          { _id: id, status: 'closed', version: current.version },
          { $set: { residentKey: `unlinked:${id}`, updatedAt: at }, $inc: { version: 1 } },
        );
        return r.modifiedCount === 1;
      },
      async eraseResident(residentKey, at) {
        // Expired cases too, as long as the TTL monitor has not removed them.
        const found = await cases.find({ residentKey }).sort({ createdAt: 1, number: 1 }).toArray();
        let erased = 0;
        for (const doc of found) if (await eraseCase(doc, residentKey, at)) erased++;
        return erased;
      },
    },

    timers: mongoTimers(timers),
    seen: mongoSeen(seen),
    watch: mongoWatch(watches, checkIns),

    audit: {
      async append(entry) {
        try {
          await audit.insertOne(auditToDoc(entry));
        } catch (error) {
          // Appending the same entry id again (a retried unit of work) leaves the first one as it was.
          if (!isDuplicateKey(error)) throw error;
        }
      },
      async listForCase(caseId) {
        const docs = await audit
          .find({ caseId, ...notExpired() })
          .sort({ at: 1, _id: 1 })
          .toArray();
        return docs.map(auditFromDoc);
      },
    },

    async ping() {
      await db.command({ ping: 1 });
    },

    async compact() {
      // MongoDB keeps no old versions of a document where the service could read them back.
    },

    async flush() {
      // Each write is acknowledged by the server under the connection's write concern when it returns.
    },

    async close() {
      if (ownsClient) await client.close();
    },
  };
}
