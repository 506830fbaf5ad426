import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../../src/config.js';
import type { CheckInRecord, WatchPlan } from '../../../src/core/ports/store.js';
import {
  answerDeadline,
  checkInId,
  nextCheckIn,
  planSchemaFor,
  watchIdOf,
} from '../../../src/core/watch/watch-plan.js';
import { missedStreak } from '../../../src/core/watch/watch-streak.js';
import { loadConversationContent } from '../../../src/load-conversation-content.js';

const config = loadConversationContent(
  projectRoot,
  loadConfig({ PLAYGROUND: 'on' }).municipalityConfigPath,
).municipality;
const TZ = 'Asia/Tokyo';
const jst = (iso: string) => new Date(`${iso}+09:00`);
const daily: WatchPlan = {
  frequency: { kind: 'daily' },
  slot: '09:00',
  durationDays: 30,
  missThreshold: 2,
  daysOff: [],
};
const span = { startedAt: jst('2026-12-30T12:00'), endsAt: jst('2027-01-30T12:00') };

describe('見守り schedule rules', () => {
  it('checks in at the slot on the city wall clock, skipping public holidays', () => {
    // 12-30 09:00 has passed at noon; 12-31 is next; 01-01 (元日) is skipped.
    expect(nextCheckIn(daily, { ...span, after: span.startedAt }, TZ)).toEqual(jst('2026-12-31T09:00'));
    expect(nextCheckIn(daily, { ...span, after: jst('2026-12-31T09:00') }, TZ)).toEqual(
      jst('2027-01-02T09:00'),
    );
  });

  it('honours chosen weekdays, days off and every N days counted from the start', () => {
    const weekdays: WatchPlan = { ...daily, frequency: { kind: 'weekdays', days: [1, 4] } };
    // 2026-12-31 is a Thursday, 01-07 too; Monday 01-11 (成人の日) is skipped.
    expect(nextCheckIn(weekdays, { ...span, after: span.startedAt }, TZ)).toEqual(jst('2026-12-31T09:00'));
    expect(nextCheckIn(weekdays, { ...span, after: jst('2027-01-07T09:00') }, TZ)).toEqual(
      jst('2027-01-14T09:00'),
    );
    const everyThree: WatchPlan = { ...daily, frequency: { kind: 'every', days: 3 }, daysOff: [0] };
    // From 12-30: 01-02 (Sat), 01-05, 01-08, 01-11 (holiday, skipped), 01-14.
    expect(nextCheckIn(everyThree, { ...span, after: span.startedAt }, TZ)).toEqual(jst('2027-01-02T09:00'));
    expect(nextCheckIn(everyThree, { ...span, after: jst('2027-01-08T09:00') }, TZ)).toEqual(
      jst('2027-01-14T09:00'),
    );
    const sundaysOff: WatchPlan = { ...daily, daysOff: [0, 6] };
    expect(nextCheckIn(sundaysOff, { ...span, after: jst('2027-01-08T10:00') }, TZ)).toEqual(
      jst('2027-01-12T09:00'),
    );
  });

  it('ends with the plan', () => {
    expect(nextCheckIn(daily, { ...span, after: jst('2027-01-29T09:00') }, TZ)).toEqual(
      jst('2027-01-30T09:00'),
    );
    expect(nextCheckIn(daily, { ...span, after: jst('2027-01-30T09:00') }, TZ)).toBeNull();
  });

  it('waits for an answer until answerHours, never past the next check-in', () => {
    const due = jst('2027-01-04T09:00');
    expect(answerDeadline(due, jst('2027-01-05T09:00'), config)).toEqual(
      new Date(due.getTime() + config.watch.answerHours * 3_600_000),
    );
    expect(answerDeadline(due, jst('2027-01-04T12:00'), config)).toEqual(jst('2027-01-04T11:59'));
  });

  it('names an occurrence the same on every instance, and finds its watch again', () => {
    const id = checkInId('6f1c1c2e-0000-4000-8000-000000000001', jst('2027-01-04T09:00'));
    expect(id).toBe(checkInId('6f1c1c2e-0000-4000-8000-000000000001', jst('2027-01-04T09:00')));
    expect(watchIdOf(id)).toBe('6f1c1c2e-0000-4000-8000-000000000001');
    expect(id.length).toBeLessThanOrEqual(64);
  });

  it('refuses a plan outside the city rules (slot, ranges), naming the field', () => {
    const schema = planSchemaFor(config);
    expect(schema.safeParse(daily).success).toBe(config.watch.slots.includes('09:00'));
    const bad = schema.safeParse({ ...daily, slot: '03:00', missThreshold: 0 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['missThreshold', 'slot']);
  });

  it('counts a missed streak back from a check-in; answers end it, skipped ones do not', () => {
    const c = (id: string, status: CheckInRecord['status']): CheckInRecord => ({
      id,
      watchId: 'w',
      caseId: 'w',
      dueAt: new Date(0),
      status,
      expiresAt: new Date(0),
    });
    const history = [
      c('a', 'missed'),
      c('b', 'answered'),
      c('c', 'missed'),
      c('d', 'skipped'),
      c('e', 'missed'),
    ];
    expect(missedStreak(history, 'e')).toBe(2);
    expect(missedStreak(history, 'c')).toBe(1);
    expect(missedStreak(history, 'b')).toBe(0);
  });
});
