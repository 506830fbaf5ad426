import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NewTimer, Store } from '../../../src/core/ports/store.js';
import { at, DAY, newCase, retention, SECOND } from './contract-fixtures.js';

/** Every kind the timer tests schedule. */
const KINDS = ['escalation', 'reminder', 'other'];

/** The staff-handoff cases of the store contract: case bookkeeping, durable timers, seen ids. */
export function describeStaffContract(getStore: () => Store) {
  let store: Store;
  beforeEach(() => {
    store = getStore();
  });

  describe('cases (staff handoff)', () => {
    it('starts with zero counters and no staff thread, acceptance, closing or rating', async () => {
      const c = await store.cases.create(newCase());
      expect(c).toMatchObject({ rerouteCount: 0, reopenCount: 0 });
      for (const field of ['staffThread', 'acceptedAt', 'closedAt', 'satisfaction'])
        expect(c).not.toHaveProperty(field);
      expect(await store.cases.get(c.id)).toEqual(c);
    });

    it('sets and removes acceptedAt, closedAt and the counters through transitions', async () => {
      const c = await store.cases.create(newCase());
      const accepted = await store.cases.transition(
        c.id,
        ['pending'],
        { status: 'assigned', assignee: 'S1', acceptedAt: at(SECOND) },
        at(SECOND),
      );
      expect(accepted).toEqual({
        ...c,
        status: 'assigned',
        assignee: 'S1',
        acceptedAt: at(SECOND),
        version: 2,
        updatedAt: at(SECOND),
      });
      expect(accepted?.acceptedAt).toBeInstanceOf(Date);

      const rerouted = await store.cases.transition(
        c.id,
        ['pending', 'assigned'],
        {
          status: 'pending',
          assignee: undefined,
          acceptedAt: undefined,
          windowId: 'chiiki',
          rerouteCount: 1,
        },
        at(2 * SECOND),
      );
      expect(rerouted).toEqual({
        ...c,
        windowId: 'chiiki',
        rerouteCount: 1,
        version: 3,
        updatedAt: at(2 * SECOND),
      });
      expect(rerouted).not.toHaveProperty('acceptedAt');

      const closed = await store.cases.transition(
        c.id,
        ['pending', 'assigned'],
        { status: 'closed', assignee: 'S2', closedAt: at(3 * SECOND) },
        at(3 * SECOND),
      );
      expect(closed).toMatchObject({ status: 'closed', closedAt: at(3 * SECOND), rerouteCount: 1 });
      expect(await store.cases.get(c.id)).toEqual(closed);

      const reopened = await store.cases.transition(
        c.id,
        ['closed'],
        { status: 'pending', assignee: undefined, closedAt: undefined, reopenCount: 1 },
        at(4 * SECOND),
      );
      expect(reopened).toEqual({
        ...c,
        windowId: 'chiiki',
        rerouteCount: 1,
        reopenCount: 1,
        version: 5,
        updatedAt: at(4 * SECOND),
      });
      expect(reopened).not.toHaveProperty('closedAt');
      expect(reopened).not.toHaveProperty('assignee');
      expect(await store.cases.get(c.id)).toEqual(reopened);
      // The counters are set to what is given, not incremented.
      const again = await store.cases.transition(c.id, ['pending'], { reopenCount: 1 }, at(5 * SECOND));
      expect(again).toMatchObject({ reopenCount: 1, rerouteCount: 1, version: 6 });
    });

    it('amends the staff thread and the satisfaction rating, leaving the rest as it was', async () => {
      const c = await store.cases.create(newCase());
      const threaded = await store.cases.amend(
        c.id,
        { staffThread: { channel: 'C0123', ts: '1715000000.000100' } },
        at(SECOND),
      );
      expect(threaded).toEqual({
        ...c,
        staffThread: { channel: 'C0123', ts: '1715000000.000100' },
        version: 2,
        updatedAt: at(SECOND),
      });
      expect(await store.cases.get(c.id)).toEqual(threaded);

      const moved = await store.cases.amend(
        c.id,
        { staffThread: { channel: 'C0456', ts: '1715000001.000200' }, satisfaction: 4 },
        at(2 * SECOND),
      );
      expect(moved).toEqual({
        ...c,
        staffThread: { channel: 'C0456', ts: '1715000001.000200' },
        satisfaction: 4,
        version: 3,
        updatedAt: at(2 * SECOND),
      });
      expect(await store.cases.get(c.id)).toEqual(moved);
      // Left out: kept.
      expect(await store.cases.amend(c.id, { urgent: true }, at(3 * SECOND))).toMatchObject({
        staffThread: { channel: 'C0456', ts: '1715000001.000200' },
        satisfaction: 4,
        urgent: true,
      });
    });

    it("finds a resident's newest case whatever its status, skipping expired ones", async () => {
      const may = (day: number) => new Date(`2026-05-0${day}T00:00:00+09:00`);
      expect(await store.cases.findLatestByResident('line:U1')).toBeNull();
      await store.cases.create(newCase({ createdAt: may(1) }));
      const third = await store.cases.create(newCase({ createdAt: may(3), expiresAt: retention }));
      await store.cases.create(newCase({ createdAt: may(2) }));
      await store.cases.create(newCase({ createdAt: may(4), expiresAt: at(-SECOND) }));
      const other = await store.cases.create(newCase({ residentKey: 'line:U2', createdAt: may(5) }));

      expect(await store.cases.findLatestByResident('line:U1')).toEqual(third);
      const closed = await store.cases.transition(
        third.id,
        ['pending'],
        { status: 'closed', closedAt: at(0) },
        at(0),
      );
      expect(await store.cases.findLatestByResident('line:U1')).toEqual(closed);
      expect(await store.cases.findLatestByResident('line:U2')).toEqual(other);
      expect(await store.cases.findLatestByResident('line:U3')).toBeNull();

      // An erased case no longer belongs to the resident.
      await store.cases.eraseResident('line:U1', at(SECOND));
      expect(await store.cases.findLatestByResident('line:U1')).toBeNull();
    });
  });

  it('unlinks a closed case from its resident once, keeping the rest', async () => {
    const c = await store.cases.create(newCase());
    expect(await store.cases.unlinkResident(c.id, at(0))).toBe(false);
    const closed = await store.cases.transition(
      c.id,
      ['pending'],
      { status: 'closed', closedAt: at(0) },
      at(0),
    );
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.cases.unlinkResident(c.id, at(SECOND))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const unlinked = await store.cases.get(c.id);
    expect(unlinked).toMatchObject({
      residentKey: `unlinked:${c.id}`,
      number: closed?.number,
      status: 'closed',
    });
    expect(unlinked?.version).toBe((closed?.version ?? 0) + 1);
    expect(await store.cases.listByResident(c.residentKey)).toEqual([]);
    expect(await store.cases.unlinkResident('no-such-case', at(0))).toBe(false);
  });

  it('counts cases by status, leaving out expired ones', async () => {
    expect(await store.cases.countByStatus()).toEqual({ pending: 0, assigned: 0, closed: 0 });
    const a = await store.cases.create(newCase());
    await store.cases.create(newCase());
    await store.cases.create(newCase({ expiresAt: at(-SECOND) }));
    await store.cases.transition(a.id, ['pending'], { status: 'assigned', assignee: 'U1' }, at(0));
    expect(await store.cases.countByStatus()).toEqual({ pending: 1, assigned: 1, closed: 0 });
  });

  it('finds a case by the Slack message its staff thread hangs from', async () => {
    const c = await store.cases.create(newCase());
    await store.cases.create(newCase());
    expect(await store.cases.findByStaffThread('C0123', '1715000000.000100')).toBeNull();
    const withThread = await store.cases.amend(
      c.id,
      { staffThread: { channel: 'C0123', ts: '1715000000.000100' } },
      at(0),
    );
    expect(await store.cases.findByStaffThread('C0123', '1715000000.000100')).toEqual(withThread);
    expect(await store.cases.findByStaffThread('C0999', '1715000000.000100')).toBeNull();
    expect(await store.cases.findByStaffThread('C0123', '1715000000.000999')).toBeNull();
  });

  describe('timers', () => {
    const timer = (extra: Partial<NewTimer> = {}): NewTimer => ({
      id: randomUUID(),
      caseId: 'c1',
      kind: 'escalation',
      dueAt: at(10 * SECOND),
      data: { level: 1, waitingMinutes: 15, 'slack.ts': '123.456', urgent: false },
      ...extra,
    });

    it('schedules once per id and returns the timer exactly', async () => {
      const t = timer();
      expect(await store.timers.schedule(t, at(0))).toBe('scheduled');
      const stored = await store.timers.get(t.id);
      expect(stored).toEqual({ ...t, status: 'pending', createdAt: at(0) });
      expect(stored?.dueAt).toBeInstanceOf(Date);
      expect(Object.keys(stored ?? {})).not.toContain('_id');

      expect(await store.timers.schedule({ ...t, dueAt: at(DAY), data: {} }, at(SECOND))).toBe('exists');
      expect(await store.timers.get(t.id)).toEqual(stored);

      const { data: _, ...bare } = timer({ kind: 'reminder' });
      expect(await store.timers.schedule(bare, at(0))).toBe('scheduled');
      expect(await store.timers.get(bare.id)).toEqual({ ...bare, status: 'pending', createdAt: at(0) });
      expect(await store.timers.get(bare.id)).not.toHaveProperty('data');
      expect(await store.timers.get('missing')).toBeNull();
    });

    it('lists pending timers that are due, earliest first', async () => {
      const late = timer({ id: 'late', dueAt: at(-SECOND) });
      const early = timer({ id: 'early', dueAt: at(-3 * SECOND), caseId: 'c2' });
      const now = timer({ id: 'now', dueAt: at(0), kind: 'other' });
      const future = timer({ id: 'future', dueAt: at(10 * SECOND) });
      const fired = timer({ id: 'fired', dueAt: at(-5 * SECOND) });
      const cancelled = timer({ id: 'cancelled', dueAt: at(-4 * SECOND), caseId: 'c3' });
      for (const t of [late, future, now, fired, early, cancelled]) await store.timers.schedule(t, at(-DAY));
      expect(await store.timers.claim('fired', at(-5 * SECOND))).toBe(true);
      expect(await store.timers.cancelForCase('c3')).toBe(1);

      const ids = async (when: Date, limit: number, kinds = KINDS) =>
        (await store.timers.due(when, limit, kinds)).map((t) => t.id);
      expect(await ids(at(0), 10)).toEqual(['early', 'late', 'now']);
      expect(await ids(at(0), 2)).toEqual(['early', 'late']);
      expect(await ids(at(-2 * SECOND), 10)).toEqual(['early']);
      expect(await ids(at(-10 * SECOND), 10)).toEqual([]);
      expect(await ids(at(10 * SECOND), 10)).toEqual(['early', 'late', 'now', 'future']);
      // Each owner asks for its own kinds: a backlog of one kind never hides another.
      expect(await ids(at(0), 1, ['other'])).toEqual(['now']);
      expect(await ids(at(0), 10, ['escalation'])).toEqual(['early', 'late']);
      expect(await ids(at(0), 10, ['nothing-like-this'])).toEqual([]);
      expect((await store.timers.due(at(0), 1, KINDS))[0]).toEqual({
        ...early,
        status: 'pending',
        createdAt: at(-DAY),
      });
    });

    it('fires a timer for exactly one of 20 concurrent claims', async () => {
      const t = timer({ dueAt: at(-SECOND) });
      await store.timers.schedule(t, at(-DAY));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) => store.timers.claim(t.id, at(n * SECOND))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await store.timers.get(t.id)).toEqual({
        ...t,
        status: 'fired',
        firedAt: at(winner * SECOND),
        createdAt: at(-DAY),
      });
      expect(await store.timers.due(at(0), 10, KINDS)).toEqual([]);
      expect(await store.timers.claim(t.id, at(30 * SECOND))).toBe(false);
      expect(await store.timers.claim('missing', at(0))).toBe(false);
    });

    it('does not fire a cancelled timer', async () => {
      const t = timer({ dueAt: at(-SECOND) });
      await store.timers.schedule(t, at(-DAY));
      expect(await store.timers.cancelForCase('c1', 'escalation')).toBe(1);
      expect(await store.timers.claim(t.id, at(0))).toBe(false);
      expect(await store.timers.get(t.id)).toEqual({ ...t, status: 'cancelled', createdAt: at(-DAY) });
      // Scheduling the same id again does not bring it back.
      expect(await store.timers.schedule(t, at(0))).toBe('exists');
      expect(await store.timers.due(at(0), 10, KINDS)).toEqual([]);
    });

    it("cancels a case's pending timers, of one kind or all", async () => {
      const a1 = timer({ id: 'a1' });
      const a2 = timer({ id: 'a2', dueAt: at(20 * SECOND) });
      const aOther = timer({ id: 'a-other', kind: 'reminder' });
      const aFired = timer({ id: 'a-fired', dueAt: at(-SECOND) });
      const b1 = timer({ id: 'b1', caseId: 'c2' });
      for (const t of [a1, a2, aOther, aFired, b1]) await store.timers.schedule(t, at(0));
      await store.timers.claim('a-fired', at(0));

      expect(await store.timers.cancelForCase('c1', 'escalation')).toBe(2);
      expect((await store.timers.get('a1'))?.status).toBe('cancelled');
      expect((await store.timers.get('a2'))?.status).toBe('cancelled');
      expect((await store.timers.get('a-other'))?.status).toBe('pending');
      expect((await store.timers.get('a-fired'))?.status).toBe('fired');
      expect((await store.timers.get('b1'))?.status).toBe('pending');
      expect(await store.timers.cancelForCase('c1', 'escalation')).toBe(0);

      expect(await store.timers.cancelForCase('c1')).toBe(1);
      expect((await store.timers.get('a-other'))?.status).toBe('cancelled');
      expect((await store.timers.get('a-fired'))?.status).toBe('fired');
      expect(await store.timers.cancelForCase('c1')).toBe(0);
      expect(await store.timers.cancelForCase('missing')).toBe(0);
      expect((await store.timers.due(at(DAY), 10, KINDS)).map((t) => t.id)).toEqual(['b1']);
    });
  });

  describe('seen ids', () => {
    it('is true the first time only', async () => {
      expect(await store.seen.firstSeen('Ev1', at(0), at(DAY))).toBe(true);
      expect(await store.seen.firstSeen('Ev1', at(SECOND), at(DAY))).toBe(false);
      expect(await store.seen.firstSeen('Ev1', at(2 * SECOND), at(2 * DAY))).toBe(false);
      expect(await store.seen.firstSeen('Ev2', at(SECOND), at(DAY))).toBe(true);
    });

    it('is true for exactly one of 10 concurrent calls', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, n) => store.seen.firstSeen('Ev1', at(n), at(DAY))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('is true again once the record has expired, for one caller', async () => {
      expect(await store.seen.firstSeen('Ev1', at(0), at(10 * SECOND))).toBe(true);
      expect(await store.seen.firstSeen('Ev1', at(9 * SECOND), at(DAY))).toBe(false);
      expect(await store.seen.firstSeen('Ev1', at(10 * SECOND), at(DAY))).toBe(true);
      expect(await store.seen.firstSeen('Ev1', at(11 * SECOND), at(DAY))).toBe(false);

      // Expired by the real clock too, which engines may clean up on their own.
      expect(await store.seen.firstSeen('Ev2', at(-DAY), at(-SECOND))).toBe(true);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, n) => store.seen.firstSeen('Ev2', at(n), at(DAY))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.seen.firstSeen('Ev2', at(SECOND), at(DAY))).toBe(false);
    });
  });
}
