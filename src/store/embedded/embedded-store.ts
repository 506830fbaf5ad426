/**
 * The single-process backend: one nedb datastore (an append-only file) per repository.
 *
 * nedb runs every operation of a datastore through one executor queue, so each `updateAsync` with
 * its condition in the query is an atomic check-and-set within this process - the same role a
 * conditional `updateOne` plays in MongoDB. It is therefore only correct for a single instance.
 */
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
  type CounterDoc,
  caseAmendUpdate,
  caseEraseUpdate,
  caseFromDoc,
  caseToDoc,
  caseTransitionUpdate,
  contactFromDoc,
  contactId,
  emptyCounts,
  isLinkedResidentKey,
  type LeaseDoc,
  MAX_CAS_ATTEMPTS,
  type OutboxDoc,
  type SeenDoc,
  type SessionDoc,
  sessionFromDoc,
  type TimerDoc,
} from '../store-documents.js';
import type { CheckInDoc, WatchDoc } from '../watch-documents.js';
import { type EmbeddedInboxDoc, embeddedInbox, prepareInbox } from './embedded-inbox.js';
import { embeddedOutbox } from './embedded-outbox.js';
import { embeddedSeen } from './embedded-seen.js';
import { embeddedTimers } from './embedded-timers.js';
import { embeddedWatch } from './embedded-watch.js';
import {
  type Collection,
  caseNotExpired,
  find,
  findOne,
  isUniqueViolation,
  notExpired,
  openDatastore,
  updateOne,
} from './nedb-collection.js';

export type EmbeddedStoreOptions = { dataDir: string } | { inMemory: true };

/**
 * The data files are append-only: every update appends a line. Rewriting them every ten minutes
 * bounds their growth without making a busy instance spend its time compacting.
 */
const AUTOCOMPACTION_INTERVAL_MS = 10 * 60 * 1000;

export async function openEmbeddedStore(opts: EmbeddedStoreOptions): Promise<Store> {
  if ('dataDir' in opts) await mkdir(opts.dataDir, { recursive: true });
  const file = (name: string) => ('dataDir' in opts ? path.join(opts.dataDir, `${name}.db`) : undefined);

  const [inbox, outbox, leases, contacts, sessions, cases, counters, audit, timers, seen] = await Promise.all(
    [
      openDatastore<EmbeddedInboxDoc>(file('inbox')),
      openDatastore<OutboxDoc>(file('outbox')),
      // Leases only coordinate workers inside this one process (nedb files cannot be shared between
      // processes), so they live in memory: no file write per claim, and none survive a crash.
      openDatastore<LeaseDoc>(undefined),
      openDatastore<ContactDoc>(file('contacts')),
      openDatastore<SessionDoc>(file('sessions')),
      openDatastore<CaseDoc>(file('cases')),
      openDatastore<CounterDoc>(file('counters')),
      openDatastore<AuditDoc>(file('audit')),
      openDatastore<TimerDoc>(file('timers')),
      openDatastore<SeenDoc>(file('seen')),
    ],
  );
  const [watches, checkIns] = await Promise.all([
    openDatastore<WatchDoc>(file('watches')),
    openDatastore<CheckInDoc>(file('check-ins')),
  ]);
  const all: Collection<unknown>[] = [
    inbox,
    outbox,
    leases,
    contacts,
    sessions,
    cases,
    counters,
    audit,
    timers,
    seen,
    watches,
    checkIns,
  ];

  // Natural ids live in `_id`, which nedb already keeps unique. nedb uses one single-field index per
  // query, so these are the most selective field of each frequent query. TTL indexes remove expired
  // records lazily, when a query touches them; reads also filter on expiresAt for that reason.
  await Promise.all([
    prepareInbox(inbox),
    outbox.ensureIndexAsync({ fieldName: 'address' }),
    outbox.ensureIndexAsync({ fieldName: 'status' }),
    outbox.ensureIndexAsync({ fieldName: 'expiresAt', expireAfterSeconds: 0 }),
    leases.ensureIndexAsync({ fieldName: 'until', expireAfterSeconds: 0 }),
    sessions.ensureIndexAsync({ fieldName: 'expiresAt', expireAfterSeconds: 0 }),
    cases.ensureIndexAsync({ fieldName: 'number', unique: true }),
    cases.ensureIndexAsync({ fieldName: 'status' }),
    cases.ensureIndexAsync({ fieldName: 'residentKey' }),
    cases.ensureIndexAsync({ fieldName: 'staffThread.ts', sparse: true }),
    cases.ensureIndexAsync({ fieldName: 'expiresAt', expireAfterSeconds: 0 }),
    audit.ensureIndexAsync({ fieldName: 'caseId' }),
    audit.ensureIndexAsync({ fieldName: 'expiresAt', expireAfterSeconds: 0 }),
    // `due` filters on status (few timers are pending), cancelForCase on caseId (put last).
    timers.ensureIndexAsync({ fieldName: 'status' }),
    timers.ensureIndexAsync({ fieldName: 'caseId' }),
    seen.ensureIndexAsync({ fieldName: 'expiresAt', expireAfterSeconds: 0 }),
    watches.ensureIndexAsync({ fieldName: 'residentKey' }),
    checkIns.ensureIndexAsync({ fieldName: 'watchId' }),
    checkIns.ensureIndexAsync({ fieldName: 'dueAt' }),
  ]);
  if ('dataDir' in opts) for (const db of all) db.setAutocompactionInterval(AUTOCOMPACTION_INTERVAL_MS);

  /**
   * Erases one case of `residentKey` as a compare-and-set on its version. false when it no longer
   * belongs to the resident: a concurrent erase got there first, so that one counts it.
   */
  async function eraseCase(found: CaseDoc, residentKey: string, at: Date): Promise<boolean> {
    let current: CaseDoc | null = found;
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      if (!current) return false;
      // `_id` last: nedb answers from the index of the last indexed equality field.
      const query = { residentKey, _id: current._id, version: current.version };
      const r = await cases.updateAsync(query, caseEraseUpdate(current, at), {});
      if (r.numAffected === 1) return true;
      current = await findOne(cases, { _id: current._id, residentKey });
    }
    throw new Error(`case ${found._id}: still contended after ${MAX_CAS_ATTEMPTS} attempts`);
  }

  return {
    kind: 'embedded',

    inbox: embeddedInbox(inbox),
    outbox: embeddedOutbox(outbox),

    leases: {
      async acquire(key, owner, until, now) {
        // When the lease is held by someone else the query matches nothing, the upsert tries to
        // insert a second document with the same _id, and the unique _id refuses it.
        try {
          await leases.updateAsync(
            { _id: key, $or: [{ until: { $lte: now } }, { owner }] },
            { $set: { owner, until } },
            { upsert: true },
          );
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      },
      async release(key, owner) {
        await leases.removeAsync({ _id: key, owner }, {});
      },
    },

    contacts: {
      async get(channel, address) {
        const doc = await findOne(contacts, { _id: contactId(channel, address) });
        return doc && contactFromDoc(doc);
      },
      async setFollowing(channel, address, following, at) {
        await contacts.updateAsync(
          { _id: contactId(channel, address) },
          { $set: { channel, address, following, updatedAt: at } },
          { upsert: true },
        );
      },
      async delete(channel, address) {
        await contacts.removeAsync({ _id: contactId(channel, address) }, {});
      },
    },

    sessions: {
      async get(key, now) {
        const doc = await findOne(sessions, { _id: key, ...notExpired(now) });
        return doc && sessionFromDoc(doc);
      },
      async save(key, state, expectedVersion, now, expiresAt) {
        const update = {
          $set: { state: escapeFieldNames(state), updatedAt: now, expiresAt },
          $inc: { version: 1 },
        };
        if (expectedVersion !== null) {
          const doc = await updateOne(
            sessions,
            { _id: key, version: expectedVersion, ...notExpired(now) },
            update,
          );
          return doc ? sessionFromDoc(doc) : 'conflict';
        }
        // "No session yet" also covers an expired one that is still stored: it is overwritten, and
        // its version keeps counting up so a writer still holding an old version cannot match it.
        try {
          const doc = await updateOne(sessions, { _id: key, expiresAt: { $lte: now } }, update, true);
          return doc ? sessionFromDoc(doc) : 'conflict';
        } catch (error) {
          if (isUniqueViolation(error)) return 'conflict';
          throw error;
        }
      },
      async delete(key) {
        await sessions.removeAsync({ _id: key }, {});
      },
    },

    cases: {
      async create(input) {
        const year = caseYear(input.createdAt);
        const counter = await updateOne(counters, { _id: caseCounterId(year) }, { $inc: { seq: 1 } }, true);
        if (!counter) throw new Error(`case counter ${caseCounterId(year)} was not updated`);
        const record = {
          ...input,
          number: formatCaseNumber(year, counter.seq),
          status: 'pending' as const,
          version: 1,
          updatedAt: input.createdAt,
          rerouteCount: 0,
          reopenCount: 0,
        };
        const doc = caseToDoc(record);
        await cases.insertAsync(doc);
        return caseFromDoc(doc);
      },
      async get(id) {
        const doc = await findOne(cases, { _id: id, ...caseNotExpired() });
        return doc && caseFromDoc(doc);
      },
      async transition(id, fromStatuses, changes, at) {
        const doc = await updateOne(
          cases,
          { _id: id, status: { $in: fromStatuses }, ...caseNotExpired(at) },
          { ...caseTransitionUpdate(changes, at), $inc: { version: 1 } },
        );
        return doc && caseFromDoc(doc);
      },
      async amend(id, changes, at) {
        // A compare-and-set on the version read just before: the merge needs the stored answers, and
        // the read and the update are two separate operations of nedb's queue.
        for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
          const current = await findOne(cases, {
            _id: id,
            erasedAt: { $exists: false },
            ...caseNotExpired(at),
          });
          if (!current) return null;
          const update = caseAmendUpdate(current, changes, at);
          const r = await cases.updateAsync({ _id: id, version: current.version }, update, {});
          if (r.numAffected === 1) return caseFromDoc(applyCaseUpdate(current, update));
        }
        throw new Error(`case ${id}: still contended after ${MAX_CAS_ATTEMPTS} attempts`);
      },
      async listByStatus(status, limit) {
        const docs = await find(cases, { status, ...caseNotExpired() }, { createdAt: 1, number: 1 }, limit);
        return docs.map(caseFromDoc);
      },
      async countByStatus() {
        const counts = emptyCounts(CASE_STATUSES);
        for (const status of CASE_STATUSES)
          counts[status] = await cases.countAsync({ ...caseNotExpired(), status });
        return counts;
      },
      async listByResident(residentKey) {
        const docs = await find(cases, { residentKey, ...caseNotExpired() }, { createdAt: -1, number: -1 });
        return docs.map(caseFromDoc);
      },
      async findLatestByResident(residentKey) {
        const [doc] = await find(
          cases,
          { residentKey, ...caseNotExpired() },
          { createdAt: -1, number: -1 },
          1,
        );
        return doc ? caseFromDoc(doc) : null;
      },
      async findByStaffThread(channel, ts) {
        // The indexed field goes last: nedb answers from the last indexed equality field.
        const doc = await findOne(cases, { 'staffThread.channel': channel, 'staffThread.ts': ts });
        return doc && caseFromDoc(doc);
      },
      async unlinkResident(id, at) {
        const current = await findOne(cases, { _id: id });
        if (current?.status !== 'closed' || !isLinkedResidentKey(current.residentKey)) return false;
        const r = await cases.updateAsync(
          { status: 'closed', version: current.version, _id: id },
          { $set: { residentKey: `unlinked:${id}`, updatedAt: at }, $inc: { version: 1 } },
          {},
        );
        return r.numAffected === 1;
      },
      async eraseResident(residentKey, at) {
        // Expired cases too, as long as the engine still stores them.
        const found = await find(cases, { residentKey }, { createdAt: 1, number: 1 });
        let erased = 0;
        for (const doc of found) if (await eraseCase(doc, residentKey, at)) erased++;
        return erased;
      },
    },

    timers: embeddedTimers(timers),
    seen: embeddedSeen(seen),
    watch: embeddedWatch(watches, checkIns),

    audit: {
      async append(entry) {
        try {
          await audit.insertAsync(auditToDoc(entry));
        } catch (error) {
          // Appending the same entry id again (a retried unit of work) leaves the first one as it was.
          if (!isUniqueViolation(error)) throw error;
        }
      },
      async listForCase(caseId) {
        const docs = await find(audit, { caseId, ...notExpired() }, { at: 1, _id: 1 });
        return docs.map(auditFromDoc);
      },
    },

    async ping() {
      // Goes through the executor queue, so it also fails if a datastore is wedged.
      await inbox.countAsync({ _id: '' });
    },

    async compact() {
      // nedb appends every change: until a file is rewritten, erased data is still in it.
      if ('dataDir' in opts) await Promise.all(all.map((db) => db.compactDatafileAsync()));
    },

    async close() {
      for (const db of all) db.stopAutocompaction();
      // A final compaction waits for queued writes and leaves compact files behind.
      if ('dataDir' in opts) await Promise.all(all.map((db) => db.compactDatafileAsync()));
    },
  };
}
