import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord, NewCase, Store } from '../../../src/core/ports/store.js';
import { RetentionSweep, type RetentionSweepOptions } from '../../../src/core/retention/retention-sweep.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';

const DAY = 24 * 60 * 60 * 1000;
const closedAt = new Date('2026-08-01T03:00:00Z');
const days = (n: number) => new Date(closedAt.getTime() + n * DAY);
const config = { retention: { conversationDaysAfterClose: 90, auditYears: 5 }, areas: [{ id: 'north' }] };

let store: Store;
let seq = 0;

beforeEach(async () => {
  store = await openEmbeddedStore({ inMemory: true });
});
afterEach(async () => {
  await store.close();
});

async function openCase(overrides: Partial<NewCase> = {}): Promise<CaseRecord> {
  seq++;
  return store.cases.create({
    id: `case-${seq}`,
    residentKey: `line:U${seq}`,
    channel: 'line',
    origin: 'self',
    anonymous: false,
    windowId: 'houkatsu-north',
    fields: ['elderly'],
    patterns: ['8050'],
    urgent: false,
    language: 'ja',
    answers: {
      subject: 'self',
      fields: ['elderly'],
      urgency: 'soon',
      contact: 'phone',
      phone: '090-0000-0000',
      area: 'north',
      location: '駅前の青い屋根の家',
      attachments: ['image:1234'],
      route: 'single-field',
      crisis: ['suicide'],
    },
    ownWords: '母の物忘れがひどくて',
    createdAt: new Date(closedAt.getTime() - 10 * DAY),
    ...overrides,
  });
}

async function closeCase(record: CaseRecord, at = closedAt): Promise<void> {
  await store.cases.transition(record.id, ['pending', 'assigned'], { status: 'closed', closedAt: at }, at);
}

const sweep = (options: Partial<RetentionSweepOptions> = {}) =>
  new RetentionSweep({ cases: store.cases, audit: store.audit, config, ...options });

describe('RetentionSweep: conversation text', () => {
  it('removes the own words and free-text answers conversationDaysAfterClose days after close', async () => {
    const record = await openCase();
    await closeCase(record);

    expect(await sweep().run(days(89))).toMatchObject({ conversationsRemoved: 0 });
    expect((await store.cases.get(record.id))?.ownWords).toBe('母の物忘れがひどくて');

    expect(await sweep().run(days(90))).toMatchObject({
      scanned: 1,
      conversationsRemoved: 1,
      truncated: false,
    });
    const after = await store.cases.get(record.id);
    expect(after?.ownWords).toBeUndefined();
    expect(after?.answers).toEqual({
      subject: 'self',
      fields: ['elderly'],
      urgency: 'soon',
      contact: 'phone',
      area: 'north',
      route: 'single-field',
      crisis: ['suicide'],
    });
    // What the monthly report counts stays.
    expect(after).toMatchObject({
      status: 'closed',
      windowId: 'houkatsu-north',
      fields: ['elderly'],
      patterns: ['8050'],
      origin: 'self',
    });
  });

  it('tells the staff side once per removal, so copies in a Slack thread go too', async () => {
    const record = await openCase();
    await closeCase(record);
    const told: string[] = [];
    const onConversationRemoved = async (r: { id: string }) => {
      told.push(r.id);
    };
    await sweep({ onConversationRemoved }).run(days(89));
    expect(told).toEqual([]);
    await sweep({ onConversationRemoved }).run(days(91));
    await sweep({ onConversationRemoved }).run(days(92));
    expect(told).toEqual([record.id]);
  });

  it('removes an area the resident typed that is not one of the city areas', async () => {
    const record = await openCase({ answers: { subject: 'self', area: '駅の近く' } });
    await closeCase(record);
    await sweep().run(days(120));
    expect((await store.cases.get(record.id))?.answers).toEqual({ subject: 'self' });
  });

  it('records the removal in the audit log, with flags and counts only', async () => {
    const record = await openCase();
    await closeCase(record);
    await sweep().run(days(91));
    const entries = (await store.audit.listForCase(record.id)).filter(
      (e) => e.action === 'case.conversation-removed',
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { kind: 'system', id: 'retention' },
      details: { number: record.number, ownWords: true, answers: 3 },
    });
    expect(entries[0]?.expiresAt.getTime()).toBe(days(91).getTime() + 5 * 365 * DAY);
  });

  it('is idempotent: a second run changes nothing and appends nothing', async () => {
    const record = await openCase();
    await closeCase(record);
    await sweep().run(days(100));
    const version = (await store.cases.get(record.id))?.version;

    expect(await sweep().run(days(101))).toMatchObject({ conversationsRemoved: 0 });
    expect((await store.cases.get(record.id))?.version).toBe(version);
    expect(await store.audit.listForCase(record.id)).toHaveLength(1);
  });

  it('gives the same result when two instances sweep at the same time', async () => {
    const records = await Promise.all([openCase(), openCase(), openCase()]);
    for (const r of records) await closeCase(r);
    await Promise.all([sweep().run(days(100)), sweep().run(days(100))]);
    for (const r of records) {
      const after = await store.cases.get(r.id);
      expect(after?.ownWords).toBeUndefined();
      expect(Object.keys(after?.answers ?? {}).sort()).toEqual(
        ['area', 'contact', 'crisis', 'fields', 'route', 'subject', 'urgency'].sort(),
      );
      expect(await store.audit.listForCase(r.id)).toHaveLength(1);
    }
  });

  it('leaves open cases alone, however old', async () => {
    const record = await openCase();
    await sweep().run(days(400));
    expect((await store.cases.get(record.id))?.ownWords).toBe('母の物忘れがひどくて');
  });

  it('keeps the conversation of a case reopened after the sweep listed it', async () => {
    const record = await openCase();
    await closeCase(record);
    const [stale] = await store.cases.listByStatus('closed', 10);
    await store.cases.transition(record.id, ['closed'], { status: 'pending', closedAt: undefined }, days(95));
    const cases = { ...store.cases, listByStatus: async () => (stale ? [stale] : []) };
    expect(await sweep({ cases }).run(days(100))).toMatchObject({ conversationsRemoved: 0 });
    expect((await store.cases.get(record.id))?.ownWords).toBe('母の物忘れがひどくて');
  });

  it('skips a case whose resident erased their data', async () => {
    const record = await openCase();
    await closeCase(record);
    await store.cases.eraseResident(record.residentKey, days(1));
    expect(await sweep().run(days(100))).toMatchObject({ scanned: 1, conversationsRemoved: 0 });
  });

  it('says when there were more closed cases than one run reads', async () => {
    for (const r of await Promise.all([openCase(), openCase()])) await closeCase(r);
    expect(await sweep({ maxCases: 1 }).run(days(100))).toMatchObject({ scanned: 1, truncated: true });
  });
});

describe('RetentionSweep: anonymous reporter link', () => {
  async function reports() {
    const anonymous = await openCase({ origin: 'neighbour', anonymous: true });
    const named = await openCase({ origin: 'neighbour', anonymous: false });
    const self = await openCase({ origin: 'self', anonymous: true });
    const open = await openCase({ origin: 'neighbour', anonymous: true });
    for (const r of [anonymous, named, self]) await closeCase(r);
    return { anonymous, open };
  }

  it('unlinks closed anonymous neighbour reports at close, through the store', async () => {
    const { anonymous } = await reports();
    const unlinkResident = vi.fn(async () => true);
    const result = await sweep({ cases: { ...store.cases, unlinkResident } }).run(days(0));
    expect(unlinkResident.mock.calls).toEqual([[anonymous.id, days(0)]]);
    expect(result).toMatchObject({
      reporterLinksRemoved: 1,
      conversationsRemoved: 0,
    });
    const entries = await store.audit.listForCase(anonymous.id);
    expect(entries.map((e) => e.action)).toEqual(['case.reporter-unlinked']);
  });

  it('does not count a link another instance already removed', async () => {
    await reports();
    const unlinkResident = vi.fn(async () => false);
    const result = await sweep({ cases: { ...store.cases, unlinkResident } }).run(days(0));
    expect(result).toMatchObject({ reporterLinksRemoved: 0 });
  });

  it('leaves a report that is already unlinked or erased', async () => {
    const { anonymous } = await reports();
    await store.cases.eraseResident(anonymous.residentKey, days(0));
    const unlinkResident = vi.fn(async () => true);
    await sweep({ cases: { ...store.cases, unlinkResident } }).run(days(1));
    expect(unlinkResident).not.toHaveBeenCalled();
  });
});
