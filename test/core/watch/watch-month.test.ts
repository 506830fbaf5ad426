import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../../src/config.js';
import { CaseAudit } from '../../../src/core/cases/case-audit.js';
import { CaseDesk } from '../../../src/core/cases/case-desk.js';
import { EscalationTimers } from '../../../src/core/cases/escalation-timers.js';
import { StaffHandoff } from '../../../src/core/cases/staff-handoff.js';
import { decodeChoice } from '../../../src/core/conversation/choice-data.js';
import { Outbox } from '../../../src/core/outbox.js';
import type { OutboxRecord, Store, WatchPlan } from '../../../src/core/ports/store.js';
import { WATCH_TIMER_KINDS, WatchDesk } from '../../../src/core/watch/watch-desk.js';
import { loadConversationContent } from '../../../src/load-conversation-content.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { silentLogger } from '../../support/silent-logger.js';

const content = loadConversationContent(projectRoot, loadConfig({ PLAYGROUND: 'on' }).municipalityConfigPath);
const config = content.municipality;
const MINUTE = 60_000;
const jst = (iso: string) => new Date(`${iso}+09:00`);
const dir = mkdtempSync(path.join(tmpdir(), 'madoguchi-watch-month-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One service instance's 見守り: its own objects over the shared store and the shared clock. */
function instance(store: Store, now: () => Date): WatchDesk {
  const outbox = new Outbox(store.outbox, now);
  const audit = new CaseAudit(store.audit, 5, now);
  const escalation = new EscalationTimers(
    store.timers,
    store.cases,
    config,
    outbox,
    'local',
    audit,
    silentLogger,
    now,
  );
  const handoff = new StaffHandoff(outbox, 'local', escalation);
  const desk = new CaseDesk(store.cases, audit, config, handoff, now);
  return new WatchDesk({
    watches: store.watch,
    timers: store.timers,
    cases: store.cases,
    sessions: store.sessions,
    outbox,
    staffChannel: 'local',
    audit,
    desk,
    handoff,
    escalation,
    config,
    translator: content.translator,
    logger: silentLogger,
    now,
  });
}

const residents = {
  daily: { frequency: { kind: 'daily' }, slot: '09:00', durationDays: 31, missThreshold: 2, daysOff: [] },
  weekdays: {
    frequency: { kind: 'weekdays', days: [1, 3, 5] },
    slot: '11:00',
    durationDays: 31,
    missThreshold: 3,
    daysOff: [],
  },
  pauser: {
    frequency: { kind: 'every', days: 2 },
    slot: '15:00',
    durationDays: 31,
    missThreshold: 2,
    daysOff: [0],
  },
  stopper: { frequency: { kind: 'daily' }, slot: '18:00', durationDays: 31, missThreshold: 2, daysOff: [] },
} satisfies Record<string, WatchPlan>;
type Name = keyof typeof residents;
const NAMES = Object.keys(residents) as Name[];

describe('見守り over a month, on two instances with a restart (fake clock)', () => {
  it('sends every check-in once, alerts every missed streak once, honours pauses, stops, holidays and clock changes', async () => {
    let clock = jst('2026-12-24T20:00:00').getTime();
    const now = () => new Date(clock);
    let store = await openEmbeddedStore({ dataDir: dir });
    let a = instance(store, now);
    let b = instance(store, now);

    const caseOf = {} as Record<Name, string>;
    for (const name of NAMES) {
      const record = await store.cases.create({
        id: `00000000-0000-4000-8000-00000000000${NAMES.indexOf(name)}`,
        residentKey: `local:${name}`,
        channel: 'local',
        origin: 'self',
        anonymous: false,
        windowId: config.windows[0]?.id ?? '',
        fields: [],
        patterns: [],
        urgent: false,
        language: 'ja',
        answers: {},
        createdAt: now(),
      });
      caseOf[name] = record.id;
      expect((await a.propose(record.id, residents[name], { id: 'staff-a' })).kind).toBe('proposed');
      expect((await b.agree(record.id, `local:${name}`)).kind).toBe('agreed');
    }

    // Who leaves which check-in unanswered (JST dates).
    const silentOn: Record<Name, (day: string) => boolean> = {
      daily: (day) => ['2027-01-04', '2027-01-05', '2027-01-13', '2027-01-14', '2027-01-15'].includes(day),
      weekdays: () => true,
      pauser: () => false,
      stopper: () => false,
    };
    const answered = new Set<string>();
    const answerWhatArrived = async () => {
      const items = await pushes(store);
      for (const item of items) {
        const data = item.messages[0]?.quickReplies?.[0];
        const choice = data?.kind === 'choice' ? decodeChoice(data.data) : null;
        if (choice?.kind !== 'watch' || choice.verb !== 'fine' || answered.has(choice.ref)) continue;
        answered.add(choice.ref);
        const name = item.address as Name;
        const day = new Date(clock + 9 * 60 * MINUTE).toISOString().slice(0, 10);
        if (!silentOn[name](day)) await a.answer(choice.ref, 'fine', `local:${name}`);
      }
    };

    const end = jst('2027-01-25T08:00:00').getTime();
    let step = 0;
    let jumpedBack = false;
    while (clock < end) {
      clock += 30 * MINUTE;
      step++;
      let day = new Date(clock + 9 * 60 * MINUTE).toISOString().slice(0, 16);
      // Clock changes: on 01-20 at 12:00 the clock is set back three hours (an NTP correction), and
      // on 01-22 it leaps from 06:00 to 11:00: nothing is sent twice, the 09:00 check-in goes out late.
      if (day === '2027-01-20T12:00' && !jumpedBack) {
        jumpedBack = true;
        clock -= 3 * 60 * MINUTE;
        day = new Date(clock + 9 * 60 * MINUTE).toISOString().slice(0, 16);
      }
      if (day === '2027-01-22T06:00') {
        clock += 5 * 60 * MINUTE;
        day = new Date(clock + 9 * 60 * MINUTE).toISOString().slice(0, 16);
      }
      // The pauser pauses on 12-28 (7 days); the stopper stops on 01-02; both by tapping the message.
      if (day === '2026-12-28T16:00') await b.pause(caseOf.pauser, 'local:pauser');
      if (day === '2027-01-02T19:00') await a.stop(caseOf.stopper, 'local:stopper');
      // Down from 01-10 07:00 to 10:30 (a restart): the 09:00 check-in goes out once on start, late.
      if (day >= '2027-01-10T07:00' && day < '2027-01-10T10:30') continue;
      if (day === '2027-01-10T10:30') {
        await store.close();
        store = await openEmbeddedStore({ dataDir: dir });
        a = instance(store, now);
        b = instance(store, now);
      }
      // Both instances poll at once, sometimes twice.
      await Promise.all([a.fireDue(), b.fireDue(), ...(step % 3 === 0 ? [a.fireDue()] : [])]);
      await Promise.all([a.fireDue(), b.fireDue()]);
      await answerWhatArrived();
    }

    const sent = await pushes(store);
    const dueDays = (name: Name) =>
      sent
        .filter((item) => item.address === name)
        .map((item) => item.causedBy ?? '')
        .map((cause) => cause.slice('watch-checkin:'.length));
    const dates = async (name: Name) => {
      const ids = new Set(dueDays(name));
      const history = await store.watch.listCheckIns(caseOf[name]);
      return history
        .filter((c) => ids.has(c.id))
        .map((c) => new Date(c.dueAt.getTime() + 9 * 60 * MINUTE).toISOString().slice(0, 16));
    };

    // daily 09:00 from 12-25: every day but 01-01 and 01-11 (holidays), each once, 01-10's sent late.
    const daily = await dates('daily');
    expect(new Set(daily).size).toBe(daily.length);
    expect(daily).not.toContain('2027-01-01T09:00');
    expect(daily).not.toContain('2027-01-11T09:00');
    expect(daily).toContain('2027-01-10T09:00');
    expect(daily).toContain('2027-01-20T09:00');
    expect(daily).toContain('2027-01-22T09:00');
    expect(daily).toHaveLength(31 - 2);
    // Mon/Wed/Fri 11:00, but not 01-11 (成人の日).
    const weekdays = await dates('weekdays');
    expect(
      weekdays.every((d) => [1, 3, 5].includes(new Date(`${d.slice(0, 10)}T12:00:00Z`).getUTCDay())),
    ).toBe(true);
    expect(weekdays).not.toContain('2027-01-11T11:00');
    expect(new Set(weekdays).size).toBe(weekdays.length);
    // Every 2 days at 15:00, never on a Sunday, nothing during the pause (12-28 16:00 to 01-04 16:00).
    const pauser = await dates('pauser');
    expect(pauser.filter((d) => d > '2026-12-28T16:00' && d < '2027-01-04T16:00')).toEqual([]);
    expect(pauser.some((d) => d > '2027-01-04T16:00')).toBe(true);
    expect(pauser.every((d) => new Date(`${d.slice(0, 10)}T12:00:00Z`).getUTCDay() !== 0)).toBe(true);
    // Stopped on 01-02: nothing after, and the schedule is gone.
    const stopper = await dates('stopper');
    expect(stopper.filter((d) => d > '2027-01-02T19:00')).toEqual([]);
    expect(stopper.length).toBeGreaterThan(5);
    expect(await store.watch.get(caseOf.stopper)).toBeNull();
    expect(
      await store.timers.due(new Date(end + 90 * 24 * 60 * MINUTE), 500, Object.values(WATCH_TIMER_KINDS)),
    ).toSatisfy((timers: { caseId: string }[]) => timers.every((t) => t.caseId !== caseOf.stopper));

    // Missed streaks: daily has two (01-04/05 and 01-13..15), weekdays one long one; each alerted once.
    const alerts = await notices(store, 'alert');
    const alertsOf = (name: Name) => alerts.filter((item) => item.address === `case:${caseOf[name]}`).length;
    expect(alertsOf('daily')).toBe(2);
    expect(alertsOf('weekdays')).toBe(1);
    expect(alertsOf('pauser')).toBe(0);
    expect(alertsOf('stopper')).toBe(0);
    // The alert started the ladder for the waiting case (escalation timers scheduled).
    const audit = await store.audit.listForCase(caseOf.daily);
    expect(audit.filter((e) => e.action === 'watch.alerted')).toHaveLength(2);
    expect(audit.filter((e) => e.action === 'watch.check-in-sent')).toHaveLength(daily.length);
    await store.close();
  }, 120_000);
});

async function allItems(store: Store): Promise<OutboxRecord[]> {
  const out: OutboxRecord[] = [];
  // The embedded outbox keeps every item pending here (no worker runs): read them by address.
  for (const { channel, address } of await store.outbox.dueAddresses(new Date(8e15), 1000)) {
    let item = await store.outbox.oldestPending(channel, address);
    const seen = new Set<string>();
    while (item && !seen.has(item.id)) {
      seen.add(item.id);
      out.push(item);
      await store.outbox.markSent(item.id, new Date());
      item = await store.outbox.oldestPending(channel, address);
    }
  }
  return out;
}

let history: OutboxRecord[] = [];
/** Every check-in pushed so far (each outbox item is read once, then marked sent). */
async function pushes(store: Store): Promise<OutboxRecord[]> {
  history = [...history, ...(await allItems(store))];
  return history.filter((item) => item.causedBy?.startsWith('watch-checkin:'));
}
async function notices(store: Store, kind: string): Promise<OutboxRecord[]> {
  await pushes(store);
  return history.filter(
    (item) =>
      item.notice?.kind === 'thread' &&
      item.notice.note.type === 'watch' &&
      item.notice.note.watch.kind === kind,
  );
}
