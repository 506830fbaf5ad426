import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../src/core/ports/store.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { ConversationHarness, type Resident, t } from '../../support/conversation-harness.js';
import { FakeClock, nextTokyoWeekday } from '../../support/fake-clock.js';

/** A resident who has just reported a worry about a neighbour: one pending case. */
function reportedCase(r: Resident): Promise<CaseRecord> {
  return r.reportNeighbour('一人暮らしの方を一週間見ていません');
}

function actionsOf(h: ConversationHarness) {
  if (!h.actions) throw new Error('the harness was made without staff');
  return h.actions;
}

function timersOf(h: ConversationHarness) {
  if (!h.escalation) throw new Error('the harness was made without staff');
  return h.escalation;
}

const staffA = { id: 'U0STAFFA', displayName: 'sato' };
const staffB = { id: 'U0STAFFB', displayName: 'suzuki' };

describe('staff actions on a case', () => {
  let h: ConversationHarness;
  let r: Resident;
  let record: CaseRecord;

  beforeEach(async () => {
    h = await ConversationHarness.create({
      clock: new FakeClock(nextTokyoWeekday(3, '10:00')),
      withStaff: true,
    });
    r = h.resident();
    record = await reportedCase(r);
  });
  afterEach(() => h.close());

  it('alerts staff with the case only: the alert notice carries no resident data', async () => {
    const notices = await h.staffNotices(record.id);
    expect(notices).toEqual([{ kind: 'alert', caseId: record.id }]);
  });

  it('gives the case to exactly one of 100 people accepting at once', async () => {
    const actions = actionsOf(h);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        actions.accept(record.id, { id: `U${String(i).padStart(8, '0')}` }),
      ),
    );
    const winners = results.filter((x) => x.kind === 'accepted');
    expect(winners).toHaveLength(1);
    expect(results.filter((x) => x.kind === 'taken')).toHaveLength(99);
    const stored = await h.store.cases.get(record.id);
    expect(stored?.assignee).toBe(winners[0]?.kind === 'accepted' ? winners[0].record.assignee : 'none');
    expect(stored?.status).toBe('assigned');
    const trail = await h.store.audit.listForCase(record.id);
    expect(trail.filter((e) => e.action === 'case.accepted')).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'case.accept-refused')).toHaveLength(99);
  });

  // End to end on purpose: what the resident reads when a person takes over is checked against the
  // real Japanese copy. Every other test goes by ids and i18n keys.
  it('on accept, tells the resident a person took over (without a name), and gives staff the intake in the thread', async () => {
    await h.staffNotices(record.id);
    expect(await actionsOf(h).accept(record.id, staffA)).toMatchObject({ kind: 'accepted' });
    const resident = await h.store.outbox.oldestPending('line', r.address);
    expect(resident?.messages[0]?.text).toContain('担当者');
    expect(resident?.messages[0]?.text).not.toContain('sato');
    const notices = await h.staffNotices(record.id);
    expect(notices.map((n) => (n.kind === 'thread' ? n.note.type : n.kind))).toEqual(['accepted', 'intake']);
    expect(await actionsOf(h).accept(record.id, staffB)).toMatchObject({
      kind: 'taken',
      record: { assignee: staffA.id },
    });
  });

  it('reroutes to another window: a new alert there, the old thread told, history kept', async () => {
    await actionsOf(h).accept(record.id, staffA);
    await h.staffNotices(record.id);
    const result = await actionsOf(h).reroute(record.id, 'kurashi-support', staffA);
    expect(result).toMatchObject({
      kind: 'rerouted',
      from: record.windowId,
      record: { windowId: 'kurashi-support', status: 'pending', rerouteCount: 1 },
    });
    expect((await h.store.cases.get(record.id))?.assignee).toBeUndefined();
    const notices = await h.staffNotices(record.id);
    expect(notices.map((n) => (n.kind === 'thread' ? n.note.type : n.kind))).toEqual(['rerouted', 'alert']);
    expect(await actionsOf(h).reroute(record.id, 'kurashi-support', staffA)).toEqual({ kind: 'same-window' });
    expect(await actionsOf(h).reroute(record.id, 'no-such-window', staffA)).toEqual({
      kind: 'unknown-window',
    });
    // The resident is told which window has their case now (after the accept message before it).
    const pushes: string[] = [];
    for (;;) {
      const item = await h.store.outbox.oldestPending('line', r.address);
      if (!item) break;
      pushes.push(item.messages.map((m) => m.text).join('\n'));
      await h.store.outbox.markSent(item.id, h.clock.now());
    }
    const ja = h.content.translator.forLanguage('ja');
    const window = h.content.municipality.windows.find((w) => w.id === 'kurashi-support');
    expect(pushes.at(-1)).toBe(ja('handoff.rerouted', { window: window?.names.ja ?? '' }));
    const trail = await h.store.audit.listForCase(record.id);
    expect(trail.find((e) => e.action === 'case.rerouted')?.details).toMatchObject({
      from: record.windowId,
      to: 'kurashi-support',
    });
  });

  it('lets only the owner (or a supervisor) close; the resident gets a closing message and a 1-5 question', async () => {
    await actionsOf(h).accept(record.id, staffA);
    expect(await actionsOf(h).close(record.id, staffB, { asSupervisor: false })).toEqual({
      kind: 'not-owner',
      assignee: staffA.id,
    });
    expect(
      await actionsOf(h).close(record.id, staffB, { asSupervisor: true, note: '地域包括と訪問予定' }),
    ).toMatchObject({ kind: 'closed' });
    expect(await actionsOf(h).close(record.id, staffA, { asSupervisor: false })).toEqual({
      kind: 'already-closed',
    });
    let closing: string | undefined;
    for (;;) {
      const item = await h.store.outbox.oldestPending('line', r.address);
      if (!item) break;
      closing = item.messages[0]?.text;
      r.last = item.messages;
      await h.store.outbox.markSent(item.id, h.clock.now());
    }
    expect(closing).toContain(t('handoff.closed'));
    expect(closing).toContain(t('handoff.rating-prompt'));
    expect(closing).toContain('5');
    expect(r.buttons()).toHaveLength(5);
    expect(r.buttons()[0]?.label).toBe(t('handoff.rating.5'));
    await r.choose({ kind: 'rating', caseId: record.id, score: 5 });
    expect(r.said('handoff.rating-thanks')).toBe(true);
    expect((await h.store.cases.get(record.id))?.satisfaction).toBe(5);
    // The audit keeps who closed it, never the note's text.
    const closed = (await h.store.audit.listForCase(record.id)).find((e) => e.action === 'case.closed');
    expect(closed).toMatchObject({ actor: { kind: 'staff', id: staffB.id }, details: { withNote: true } });
    expect(JSON.stringify(closed)).not.toContain('訪問予定');
  });

  it('reopens the same case when the resident writes again within the reopen period, and notifies its thread', async () => {
    await actionsOf(h).accept(record.id, staffA);
    await actionsOf(h).close(record.id, staffA, { asSupervisor: false });
    await h.staffNotices(record.id);
    h.clock.advance(3 * 86_400_000);
    await r.say('その後、また気になることがあって');
    // The resident is told the same case is open again (with the hours when the window is closed).
    const ja = h.content.translator.forLanguage('ja');
    expect(r.text()).toContain(ja('handoff.reopened'));
    const reopened = await h.store.cases.get(record.id);
    expect(reopened).toMatchObject({ status: 'assigned', assignee: staffA.id, reopenCount: 1 });
    const notices = await h.staffNotices(record.id);
    expect(notices.map((n) => (n.kind === 'thread' ? n.note.type : n.kind))).toEqual([
      'alert',
      'reopened',
      'resident-message',
    ]);
  });

  it('starts a new intake when the resident writes long after the case was closed', async () => {
    await actionsOf(h).accept(record.id, staffA);
    await actionsOf(h).close(record.id, staffA, { asSupervisor: false });
    h.clock.advance(60 * 86_400_000);
    await r.say('こんにちは');
    expect((await h.store.cases.get(record.id))?.status).toBe('closed');
    expect(r.said('welcome.menu.prompt')).toBe(true);
  });

  it('sends staff replies through the outbox and marks their delivery in the thread', async () => {
    expect(await actionsOf(h).reply(record.id, staffA, 'こんにちは', 'reply-1')).toEqual({
      kind: 'not-assigned',
    });
    await actionsOf(h).accept(record.id, staffA);
    await h.staffNotices(record.id);
    for (
      let item = await h.store.outbox.oldestPending('line', r.address);
      item;
      item = await h.store.outbox.oldestPending('line', r.address)
    ) {
      await h.store.outbox.markSent(item.id, h.clock.now());
    }
    expect(await actionsOf(h).reply(record.id, staffA, '明日うかがいます', 'reply-2')).toEqual({
      kind: 'queued',
      replyId: 'reply-2',
    });
    // The same reply submitted twice (a retried Slack request) is sent once.
    await actionsOf(h).reply(record.id, staffA, '明日うかがいます', 'reply-2');
    const item = await h.store.outbox.oldestPending('line', r.address);
    expect(item?.messages[0]?.text).toContain('明日うかがいます');
    await h.store.outbox.markSent(item?.id ?? '', h.clock.now());
    expect(await h.store.outbox.oldestPending('line', r.address)).toBeNull();
    if (!item) throw new Error('the reply was not queued');
    await actionsOf(h).delivered(item, { kind: 'sent' });
    await actionsOf(h).delivered(
      { ...item, causedBy: `staff-reply:${record.id}:reply-3` },
      { kind: 'dead', error: 'line.pushMessage 400: bad' },
    );
    const notes = (await h.staffNotices(record.id)).flatMap((n) => (n.kind === 'thread' ? [n.note] : []));
    expect(notes).toEqual([
      { type: 'delivery', replyId: 'reply-2', delivered: true, error: undefined },
      { type: 'delivery', replyId: 'reply-3', delivered: false, error: 'line.pushMessage 400: bad' },
    ]);
  });
});

describe('staff replies: length and audit', () => {
  let h: ConversationHarness;
  let r: Resident;
  let record: CaseRecord;

  beforeEach(async () => {
    h = await ConversationHarness.create({
      clock: new FakeClock(nextTokyoWeekday(3, '10:00')),
      withStaff: true,
    });
    r = h.resident();
    record = await reportedCase(r);
    await actionsOf(h).accept(record.id, staffA);
    await h.staffNotices(record.id);
    await drain(h, r.address);
  });
  afterEach(() => h.close());

  /** Marks every pending item to the resident delivered, telling CaseActions as the outbox does. */
  async function drain(h: ConversationHarness, address: string) {
    const delivered = [];
    for (
      let item = await h.store.outbox.oldestPending('line', address);
      item;
      item = await h.store.outbox.oldestPending('line', address)
    ) {
      await h.store.outbox.markSent(item.id, h.clock.now());
      await actionsOf(h).delivered(item, { kind: 'sent' });
      delivered.push(item);
    }
    return delivered;
  }

  it('writes exactly one reply-sent per reply that reached the resident, with the staff id', async () => {
    const actions = actionsOf(h);
    for (const n of [1, 2, 3, 4]) {
      await actions.reply(record.id, staffA, `お返事 ${n}`, `reply-${n}`);
      // Slack delivers the same submission again (a retry): it is the same reply.
      await actions.reply(record.id, staffA, `お返事 ${n}`, `reply-${n}`);
    }
    const delivered = await drain(h, r.address);
    expect(delivered).toHaveLength(4);
    // The outbox tells of an outcome again (another instance, a restart): nothing is added.
    for (const item of delivered) await actions.delivered(item, { kind: 'sent' });

    const sent = (await h.store.audit.listForCase(record.id)).filter((e) => e.action === 'case.reply-sent');
    // Written at one instant (a fake clock): compare in reply order.
    const byReply = sent
      .map((e) => [e.actor, e.details?.replyId])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(byReply).toEqual([1, 2, 3, 4].map((n) => [{ kind: 'staff', id: staffA.id }, `reply-${n}`]));
  });

  it('writes no reply-sent for a reply that is only queued, and reply-failed for one given up', async () => {
    const actions = actionsOf(h);
    await actions.reply(record.id, staffA, '明日うかがいます', 'reply-9');
    expect(
      (await h.store.audit.listForCase(record.id)).filter((e) => e.action.startsWith('case.reply')),
    ).toEqual([]);
    const item = await h.store.outbox.oldestPending('line', r.address);
    if (!item) throw new Error('the reply was not queued');
    await actions.delivered(item, { kind: 'dead', error: 'line.pushMessage 400: bad' });
    const trail = await h.store.audit.listForCase(record.id);
    expect(trail.filter((e) => e.action.startsWith('case.reply')).map((e) => [e.action, e.actor.id])).toEqual(
      [['case.reply-failed', staffA.id]],
    );
  });

  it('refuses a reply longer than LINE takes once wrapped in any language, and says how long it may be', async () => {
    const actions = actionsOf(h);
    const { translator } = h.content;
    const longestWrapper = Math.max(
      ...translator.languages.map(
        (l) => translator.forLanguage(l)('handoff.staff-says', { text: '' }).length,
      ),
    );
    expect(actions.replyLimit).toBe(5000 - longestWrapper);

    expect(await actions.reply(record.id, staffA, 'あ'.repeat(actions.replyLimit + 1), 'long-1')).toEqual({
      kind: 'too-long',
      limit: actions.replyLimit,
    });
    expect(await h.store.outbox.oldestPending('line', r.address)).toBeNull();

    // Exactly the limit fits.
    expect(await actions.reply(record.id, staffA, 'a'.repeat(actions.replyLimit), 'long-2')).toMatchObject({
      kind: 'queued',
    });
    const item = await h.store.outbox.oldestPending('line', r.address);
    expect(item?.messages[0]?.text.length).toBeLessThanOrEqual(5000);
  });
});

describe('escalation timers', () => {
  it('fire once, even after a restart and with two instances, and stop once someone accepts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'madoguchi-escalation-'));
    const clock = new FakeClock(nextTokyoWeekday(3, '10:00'));
    const first = await ConversationHarness.create({
      clock,
      withStaff: true,
      store: await openEmbeddedStore({ dataDir: dir }),
    });
    const r = first.resident();
    const record = await reportedCase(r);
    await first.staffNotices(record.id);
    await first.close();

    // "Restart": two new instances on the same files.
    const store = await openEmbeddedStore({ dataDir: dir });
    const a = await ConversationHarness.create({ clock, withStaff: true, store });
    const b = await ConversationHarness.create({ clock, withStaff: true, store });
    clock.advance(29 * 60_000);
    expect(await timersOf(a).fireDue()).toBe(0);
    clock.advance(2 * 60_000);
    const fired = await Promise.all([timersOf(a).fireDue(), timersOf(b).fireDue()]);
    expect(fired[0] + fired[1]).toBe(1);
    expect(await timersOf(a).fireDue()).toBe(0);
    const notes = (await a.staffNotices(record.id)).flatMap((n) => (n.kind === 'thread' ? [n.note] : []));
    expect(notes).toEqual([{ type: 'escalation', level: 1, waitingMinutes: 31 }]);

    await actionsOf(a).accept(record.id, staffA);
    clock.advance(10 * 60 * 60_000);
    expect(await timersOf(a).fireDue()).toBe(0);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('escalates even behind a backlog of other timers that keep failing (見守り steps left pending)', async () => {
    const clock = new FakeClock(nextTokyoWeekday(3, '10:00'));
    const h = await ConversationHarness.create({ clock, withStaff: true });
    const r = h.resident();
    const record = await reportedCase(r);
    await h.staffNotices(record.id);
    // 200 timers of another owner, all due before the escalation and never fired.
    for (let n = 0; n < 200; n++)
      await h.store.timers.schedule(
        { id: `other-${n}`, kind: 'watch-checkin', caseId: `c-${n}`, dueAt: clock.now() },
        clock.now(),
      );
    clock.advance(31 * 60_000);
    expect(await timersOf(h).fireDue()).toBe(1);
    const notes = (await h.staffNotices(record.id)).flatMap((n) => (n.kind === 'thread' ? [n.note] : []));
    expect(notes).toEqual([{ type: 'escalation', level: 1, waitingMinutes: 31 }]);
  });

  it('escalate an urgent case sooner, and then to the supervisor', async () => {
    const clock = new FakeClock(nextTokyoWeekday(3, '10:00'));
    const h = await ConversationHarness.create({ clock, withStaff: true });
    const r = h.resident();
    await r.say('もう死にたい');
    const [record] = await h.store.cases.listByResident(r.key);
    await h.staffNotices(record?.id ?? '');
    clock.advance(6 * 60_000);
    expect(await timersOf(h).fireDue()).toBe(1);
    clock.advance(60 * 60_000);
    expect(await timersOf(h).fireDue()).toBe(1);
    const notes = (await h.staffNotices(record?.id ?? '')).flatMap((n) =>
      n.kind === 'thread' ? [n.note] : [],
    );
    expect(notes.map((n) => (n.type === 'escalation' ? n.level : 0))).toEqual([1, 2]);
    await h.close();
  });
});
