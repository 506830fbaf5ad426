import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, Store } from '../../../src/core/ports/store.js';
import { at, DAY, newCase, retention, SECOND } from './contract-fixtures.js';

/** Lease, contact, session, case and audit cases of the store contract. */
export function describeRecordContract(getStore: () => Store) {
  let store: Store;
  beforeEach(() => {
    store = getStore();
  });

  describe('leases', () => {
    it('is held by one owner until it expires or is released', async () => {
      expect(await store.leases.acquire('inbox:k', 'w1', at(30 * SECOND), at(0))).toBe(true);
      expect(await store.leases.acquire('inbox:k', 'w2', at(30 * SECOND), at(SECOND))).toBe(false);
      expect(await store.leases.acquire('inbox:k', 'w1', at(60 * SECOND), at(2 * SECOND))).toBe(true);
      // Extended by w1: still held at 45 s, free after 60 s.
      expect(await store.leases.acquire('inbox:k', 'w2', at(90 * SECOND), at(45 * SECOND))).toBe(false);
      expect(await store.leases.acquire('inbox:k', 'w2', at(90 * SECOND), at(61 * SECOND))).toBe(true);
      expect(await store.leases.acquire('inbox:other', 'w1', at(90 * SECOND), at(61 * SECOND))).toBe(true);

      await store.leases.release('inbox:k', 'w1');
      expect(await store.leases.acquire('inbox:k', 'w3', at(120 * SECOND), at(62 * SECOND))).toBe(false);
      await store.leases.release('inbox:k', 'w2');
      expect(await store.leases.acquire('inbox:k', 'w3', at(120 * SECOND), at(62 * SECOND))).toBe(true);
    });

    it('goes to exactly one of many concurrent owners', async () => {
      const owners = Array.from({ length: 10 }, (_, n) => `w${n}`);
      const results = await Promise.all(
        owners.map((o) => store.leases.acquire('k', o, at(30 * SECOND), at(0))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      // Once it has expired, the takeover is a race again with one winner.
      const takeover = await Promise.all(
        owners.map((o) => store.leases.acquire('k', `${o}'`, at(90 * SECOND), at(60 * SECOND))),
      );
      expect(takeover.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('contacts', () => {
    it('upserts following and returns the latest', async () => {
      expect(await store.contacts.get('line', 'U1')).toBeNull();
      await store.contacts.setFollowing('line', 'U1', true, at(0));
      expect(await store.contacts.get('line', 'U1')).toEqual({
        channel: 'line',
        address: 'U1',
        following: true,
        updatedAt: at(0),
      });
      await store.contacts.setFollowing('line', 'U1', false, at(SECOND));
      expect(await store.contacts.get('line', 'U1')).toEqual({
        channel: 'line',
        address: 'U1',
        following: false,
        updatedAt: at(SECOND),
      });
      expect(await store.contacts.get('local', 'U1')).toBeNull();
    });

    it('deletes one contact', async () => {
      await store.contacts.setFollowing('line', 'U1', true, at(0));
      await store.contacts.setFollowing('line', 'U2', true, at(0));
      await store.contacts.setFollowing('local', 'U1', true, at(0));
      await store.contacts.delete('line', 'U1');
      expect(await store.contacts.get('line', 'U1')).toBeNull();
      expect((await store.contacts.get('line', 'U2'))?.following).toBe(true);
      expect((await store.contacts.get('local', 'U1'))?.following).toBe(true);
      await store.contacts.delete('line', 'U1');
      await store.contacts.setFollowing('line', 'U1', false, at(SECOND));
      expect(await store.contacts.get('line', 'U1')).toEqual({
        channel: 'line',
        address: 'U1',
        following: false,
        updatedAt: at(SECOND),
      });
    });
  });

  describe('sessions', () => {
    const state = {
      flow: 'intake',
      version: 3,
      answers: { 'intake.name': '山田', $ref: 1, '100%': [null, { ok: true }] },
    };

    it('saves with optimistic versions', async () => {
      const first = await store.sessions.save('line:U1', state, null, at(0), at(DAY));
      expect(first).toEqual({ key: 'line:U1', version: 1, state, updatedAt: at(0), expiresAt: at(DAY) });
      expect(await store.sessions.get('line:U1', at(SECOND))).toEqual(first);

      const next = { ...state, step: 'done', at: at(SECOND) };
      const second = await store.sessions.save('line:U1', next, 1, at(SECOND), at(2 * DAY));
      expect(second).toEqual({
        key: 'line:U1',
        version: 2,
        state: next,
        updatedAt: at(SECOND),
        expiresAt: at(2 * DAY),
      });
      expect(await store.sessions.get('line:U1', at(2 * SECOND))).toEqual(second);

      expect(await store.sessions.save('line:U1', state, 1, at(3 * SECOND), at(DAY))).toBe('conflict');
      expect(await store.sessions.save('line:U1', state, null, at(3 * SECOND), at(DAY))).toBe('conflict');
      expect((await store.sessions.get('line:U1', at(3 * SECOND)))?.version).toBe(2);
    });

    it('lets exactly one of many concurrent writers of the same version win', async () => {
      await store.sessions.save('k', { n: 0 }, null, at(0), at(DAY));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, n) => store.sessions.save('k', { n }, 1, at(SECOND), at(DAY))),
      );
      const winners = results.filter((r) => r !== 'conflict');
      expect(winners).toHaveLength(1);
      expect(await store.sessions.get('k', at(SECOND))).toEqual(winners[0]);
    });

    it('hides an expired session and lets a new one start', async () => {
      await store.sessions.save('k', { n: 1 }, null, at(0), at(60 * SECOND));
      expect(await store.sessions.get('k', at(60 * SECOND))).toBeNull();
      expect(await store.sessions.save('k', { n: 2 }, 1, at(61 * SECOND), at(DAY))).toBe('conflict');
      const fresh = await store.sessions.save('k', { n: 2 }, null, at(61 * SECOND), at(DAY));
      expect(fresh).toMatchObject({ state: { n: 2 }, expiresAt: at(DAY) });
      expect(await store.sessions.get('k', at(62 * SECOND))).toEqual(fresh);
    });

    it('deletes', async () => {
      await store.sessions.save('k', 'plain', null, at(0), at(DAY));
      await store.sessions.delete('k');
      expect(await store.sessions.get('k', at(0))).toBeNull();
      await store.sessions.delete('k');
    });
  });

  describe('cases', () => {
    it('numbers cases per Tokyo year and round-trips them', async () => {
      const input = newCase();
      const first = await store.cases.create(input);
      expect(first).toEqual({
        ...input,
        number: '2026-000001',
        status: 'pending',
        version: 1,
        updatedAt: input.createdAt,
        rerouteCount: 0,
        reopenCount: 0,
      });
      expect(await store.cases.get(input.id)).toEqual(first);
      expect((await store.cases.create(newCase())).number).toBe('2026-000002');
      // 2026-12-31 15:30 UTC is already 2027-01-01 in Tokyo.
      const newYear = await store.cases.create(newCase({ createdAt: new Date('2026-12-31T15:30:00Z') }));
      expect(newYear.number).toBe('2027-000001');
      expect(await store.cases.get('missing')).toBeNull();
    });

    it('gives concurrent creates distinct numbers', async () => {
      const created = await Promise.all(Array.from({ length: 20 }, () => store.cases.create(newCase())));
      const numbers = created.map((c) => c.number).sort();
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, n) => `2026-${String(n + 1).padStart(6, '0')}`));
    });

    it('transitions only from the expected statuses', async () => {
      const c = await store.cases.create(newCase());
      const assigned = await store.cases.transition(
        c.id,
        ['pending'],
        { status: 'assigned', assignee: 'S1' },
        at(0),
      );
      expect(assigned).toEqual({ ...c, status: 'assigned', assignee: 'S1', version: 2, updatedAt: at(0) });
      expect(
        await store.cases.transition(c.id, ['pending'], { status: 'assigned', assignee: 'S2' }, at(1)),
      ).toBeNull();
      expect(await store.cases.get(c.id)).toEqual(assigned);

      const back = await store.cases.transition(
        c.id,
        ['assigned'],
        { status: 'pending', assignee: undefined },
        at(2),
      );
      expect(back).toEqual({ ...c, status: 'pending', version: 3, updatedAt: at(2) });
      expect(back).not.toHaveProperty('assignee');
      expect(await store.cases.transition('missing', ['pending'], { status: 'closed' }, at(3))).toBeNull();
    });

    it('lets exactly one of 100 concurrent accepts win', async () => {
      const c = await store.cases.create(newCase());
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, n) =>
          store.cases.transition(c.id, ['pending'], { status: 'assigned', assignee: `S${n}` }, at(n)),
        ),
      );
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      const stored = await store.cases.get(c.id);
      expect(stored?.assignee).toBe(winners[0]?.assignee);
      expect(stored?.version).toBe(2);
    });

    it('lists by status, oldest first', async () => {
      const a = await store.cases.create(newCase({ createdAt: new Date('2026-05-01T00:00:00Z') }));
      const b = await store.cases.create(newCase({ createdAt: new Date('2026-05-02T00:00:00Z') }));
      const c = await store.cases.create(newCase({ createdAt: new Date('2026-05-03T00:00:00Z') }));
      await store.cases.transition(b.id, ['pending'], { status: 'closed' }, at(0));
      expect((await store.cases.listByStatus('pending', 10)).map((r) => r.id)).toEqual([a.id, c.id]);
      expect((await store.cases.listByStatus('pending', 1)).map((r) => r.id)).toEqual([a.id]);
      expect(await store.cases.listByStatus('closed', 10)).toEqual([
        { ...b, status: 'closed', version: 2, updatedAt: at(0) },
      ]);
      expect(await store.cases.listByStatus('assigned', 10)).toEqual([]);
    });

    it('keeps a case without own words as it was created', async () => {
      const { ownWords: _, ...input } = newCase({ origin: 'neighbour', anonymous: true, patterns: [] });
      const created = await store.cases.create(input);
      expect(created).not.toHaveProperty('ownWords');
      expect(created).not.toHaveProperty('erasedAt');
      expect(await store.cases.get(input.id)).toEqual(created);
    });

    it("keeps the resident's answer about sharing with each window (つなぐシート consent)", async () => {
      const c = await store.cases.create(newCase());
      const asked = await store.cases.amend(c.id, { handoverConsent: { 'kodomo-katei': 'asked' } }, at(0));
      expect(asked?.handoverConsent).toEqual({ 'kodomo-katei': 'asked' });
      const answered = await store.cases.amend(
        c.id,
        { handoverConsent: { 'kodomo-katei': 'yes', jiritsu: 'no' } },
        at(SECOND),
      );
      expect(answered?.handoverConsent).toEqual({ 'kodomo-katei': 'yes', jiritsu: 'no' });
      expect((await store.cases.get(c.id))?.handoverConsent).toEqual({
        'kodomo-katei': 'yes',
        jiritsu: 'no',
      });
      expect(
        (await store.cases.get((await store.cases.create(newCase())).id))?.handoverConsent,
      ).toBeUndefined();
    });

    it('amends content whatever the status, merging answers and bumping the version', async () => {
      const c = await store.cases.create(newCase());
      const assigned = await store.cases.transition(
        c.id,
        ['pending'],
        { status: 'assigned', assignee: 'S1' },
        at(0),
      );
      const amended = await store.cases.amend(
        c.id,
        {
          answers: { age: 8, 'contact.phone': '090-1234-5678', nested: undefined },
          fields: ['elderly'],
          patterns: ['8050', 'hikikomori'],
          ownWords: '父と兄のことで相談したいです。',
          windowId: 'chiiki',
          urgent: true,
          origin: 'family',
          anonymous: true,
        },
        at(SECOND),
      );
      const { nested: _, ...kept } = c.answers;
      expect(amended).toEqual({
        ...assigned,
        answers: { ...kept, age: 8, 'contact.phone': '090-1234-5678' },
        fields: ['elderly'],
        patterns: ['8050', 'hikikomori'],
        ownWords: '父と兄のことで相談したいです。',
        windowId: 'chiiki',
        urgent: true,
        origin: 'family',
        anonymous: true,
        version: 3,
        updatedAt: at(SECOND),
      });
      expect(await store.cases.get(c.id)).toEqual(amended);

      // Fields left out stay; ownWords: null removes the resident's words.
      const cleared = await store.cases.amend(c.id, { ownWords: null }, at(2 * SECOND));
      expect(cleared).not.toHaveProperty('ownWords');
      const { ownWords: __, ...rest } = amended ?? {};
      expect(cleared).toEqual({ ...rest, version: 4, updatedAt: at(2 * SECOND) });
      expect(await store.cases.get(c.id)).toEqual(cleared);
      expect(await store.cases.amend(c.id, {}, at(3 * SECOND))).toEqual({
        ...cleared,
        version: 5,
        updatedAt: at(3 * SECOND),
      });
    });

    it('amends nothing when the case does not exist', async () => {
      expect(await store.cases.amend('missing', { urgent: true }, at(0))).toBeNull();
      expect(await store.cases.get('missing')).toBeNull();
    });

    it('loses no answer when amends run concurrently', async () => {
      const c = await store.cases.create(newCase({ answers: {} }));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, n) => store.cases.amend(c.id, { answers: { [`q${n}`]: n } }, at(n))),
      );
      expect(results.every((r) => r !== null)).toBe(true);
      const stored = await store.cases.get(c.id);
      expect(stored?.answers).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`q${n}`, n])));
      expect(stored?.version).toBe(11);
    });

    it("lists a resident's cases, newest first, without expired ones or anyone else's", async () => {
      const may = (day: number) => new Date(`2026-05-0${day}T00:00:00+09:00`);
      const first = await store.cases.create(newCase({ createdAt: may(1) }));
      const third = await store.cases.create(newCase({ createdAt: may(3) }));
      const second = await store.cases.create(newCase({ createdAt: may(2), expiresAt: retention }));
      await store.cases.create(newCase({ createdAt: may(4), expiresAt: at(-SECOND) }));
      const other = await store.cases.create(newCase({ residentKey: 'line:U2', createdAt: may(5) }));
      const closed = await store.cases.transition(third.id, ['pending'], { status: 'closed' }, at(0));

      expect(await store.cases.listByResident('line:U1')).toEqual([closed, second, first]);
      expect(await store.cases.listByResident('line:U2')).toEqual([other]);
      expect(await store.cases.listByResident('line:U3')).toEqual([]);
    });

    it("erases a resident's personal data but keeps what anonymised counts need", async () => {
      // Kept: what the intake (core/cases/intake.ts) tags anonymous; gone: the personal fields, keys
      // it does not know, and an area that is typed text rather than a city area id.
      const answers = {
        subject: 'family',
        urgency: 'soon',
        contact: 'line',
        area: 'north',
        crisis: ['suicide'],
        route: 'single-field',
        contactable: true,
        areaText: '若葉町',
        observations: ['not_seen', 'mail_piling'],
        fields: ['elderly'],
        location: { latitude: 35.6812, longitude: 139.7671, address: '東京都千代田区' },
        phone: '090-1234-5678',
        attachments: ['image-1'],
        'intake.note': '隣の山田さん',
      };
      const a = await store.cases.create(newCase({ answers, createdAt: new Date('2026-05-01T00:00:00Z') }));
      const b = await store.cases.create(newCase({ createdAt: new Date('2026-05-02T00:00:00Z') }));
      const assigned = await store.cases.transition(
        b.id,
        ['pending'],
        { status: 'assigned', assignee: 'S1' },
        at(0),
      );
      const other = await store.cases.create(
        newCase({ residentKey: 'line:U2', createdAt: new Date('2026-05-03T00:00:00Z') }),
      );

      expect(await store.cases.eraseResident('line:U1', at(5 * SECOND))).toBe(2);

      expect(await store.cases.listByResident('line:U1')).toEqual([]);
      const { ownWords: _, ...aKept } = a;
      const erasedA = await store.cases.get(a.id);
      expect(erasedA).toEqual({
        ...aKept,
        residentKey: `erased:${a.id}`,
        answers: {
          subject: 'family',
          urgency: 'soon',
          contact: 'line',
          area: 'north',
          crisis: ['suicide'],
          route: 'single-field',
          observations: ['not_seen', 'mail_piling'],
          fields: ['elderly'],
        },
        erasedAt: at(5 * SECOND),
        version: 2,
        updatedAt: at(5 * SECOND),
      });
      expect(erasedA).not.toHaveProperty('ownWords');
      const erasedB = await store.cases.get(b.id);
      expect(erasedB).toMatchObject({
        number: b.number,
        status: 'assigned',
        assignee: 'S1',
        windowId: b.windowId,
        fields: b.fields,
        patterns: b.patterns,
        residentKey: `erased:${b.id}`,
        answers: {},
        erasedAt: at(5 * SECOND),
        version: (assigned?.version ?? 0) + 1,
      });
      expect(erasedB).not.toHaveProperty('ownWords');
      expect(await store.cases.get(other.id)).toEqual(other);
      expect(await store.cases.listByResident('line:U2')).toEqual([other]);
      // Anonymised counts stay possible.
      expect((await store.cases.listByStatus('pending', 10)).map((c) => c.id)).toEqual([a.id, other.id]);

      // Nothing left to erase, and an erased case takes no personal data again.
      expect(await store.cases.eraseResident('line:U1', at(6 * SECOND))).toBe(0);
      expect(await store.cases.amend(a.id, { ownWords: 'また相談です' }, at(7 * SECOND))).toBeNull();
      expect(await store.cases.get(a.id)).toEqual(erasedA);
      // Staff can still move the case along.
      expect(
        await store.cases.transition(b.id, ['assigned'], { status: 'closed' }, at(8 * SECOND)),
      ).toMatchObject({ status: 'closed', residentKey: `erased:${b.id}` });
    });

    it('counts each erased case once when erasures run concurrently', async () => {
      for (let n = 0; n < 3; n++) await store.cases.create(newCase());
      const counts = await Promise.all(
        Array.from({ length: 5 }, () => store.cases.eraseResident('line:U1', at(SECOND))),
      );
      expect(counts.reduce((sum, n) => sum + n, 0)).toBe(3);
      expect(await store.cases.listByResident('line:U1')).toEqual([]);
    });
  });

  describe('audit', () => {
    const entry = (caseId: string, ms: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
      id: randomUUID(),
      at: at(ms),
      actor: { kind: 'staff', id: 'S1' },
      action: 'case.accepted',
      caseId,
      details: { 'slack.ts': '123.456', urgent: true, attempts: 2 },
      expiresAt: retention,
      ...extra,
    });

    it('appends and lists a case in time order', async () => {
      const later = entry('c1', 2 * SECOND);
      const earlier = entry('c1', SECOND, { actor: { kind: 'system' }, details: undefined });
      await store.audit.append(later);
      await store.audit.append(earlier);
      await store.audit.append(entry('c2', 0));
      await store.audit.append(entry('c1', 0, { expiresAt: at(-SECOND) }));
      await store.audit.append(later);
      expect(await store.audit.listForCase('c1')).toEqual([earlier, later]);
      expect(await store.audit.listForCase('c3')).toEqual([]);
    });

    it('has no way to change or remove entries', () => {
      expect(Object.keys(store.audit).sort()).toEqual(['append', 'listForCase']);
    });
  });
}
