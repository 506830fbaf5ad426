import path from 'node:path';
import holidayJp from '@holiday-jp/holiday_jp';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMunicipalityConfig } from '../../../src/core/municipality/load-municipality-config.js';
import type { ConsultationWindow } from '../../../src/core/municipality/municipality-config-schema.js';
import {
  describeNextOpening,
  isOpen,
  nextOpening,
  type WindowSchedule,
} from '../../../src/core/municipality/opening-hours.js';

const config = loadMunicipalityConfig(
  path.resolve(import.meta.dirname, '../../../config/municipality.example.yaml'),
);
const TZ = config.timezone;
function windowById(id: string): ConsultationWindow {
  const window = config.windows.find((w) => w.id === id);
  if (!window) throw new Error(`no window ${id}`);
  return window;
}
/** Mon–Fri 8:30–17:15, holidays and year end closed. */
const kodomo = windowById('kodomo-katei');
/** As kodomo, plus Saturday 8:30–12:00. */
const houkatsu = windowById('houkatsu-north');
/** Tue–Fri with a lunch break, Sat–Sun without one, closed Mondays, open on public holidays. */
const kosodate = windowById('kosodate-sogo');

const jst = (local: string) => new Date(`${local}+09:00`);

describe('the calendar the tests rely on', () => {
  it('has 2026-11-23 (Monday) and 2026-11-03 (Tuesday) as public holidays', () => {
    expect(holidayJp.holidays['2026-11-23']?.name).toBe('勤労感謝の日');
    expect(holidayJp.holidays['2026-11-03']?.week).toBe('火');
    expect(jst('2026-11-20T18:00:00').getUTCDay()).toBe(5);
  });
});

describe('isOpen', () => {
  it.each([
    ['2026-11-18T08:29:59', false],
    ['2026-11-18T08:30:00', true],
    ['2026-11-18T12:30:00', true],
    ['2026-11-18T17:14:59', true],
    ['2026-11-18T17:15:00', false],
    ['2026-11-21T10:00:00', false],
    ['2026-11-22T10:00:00', false],
    ['2026-11-23T10:00:00', false],
    ['2026-11-24T10:00:00', true],
  ])('a weekday-only window at %s JST: %s', (local, open) => {
    expect(isOpen(kodomo, jst(local), TZ)).toBe(open);
  });

  it('opens a Saturday morning only where the window has Saturday hours', () => {
    expect(isOpen(houkatsu, jst('2026-11-21T08:30:00'), TZ)).toBe(true);
    expect(isOpen(houkatsu, jst('2026-11-21T11:59:00'), TZ)).toBe(true);
    expect(isOpen(houkatsu, jst('2026-11-21T12:00:00'), TZ)).toBe(false);
  });

  it('closes for lunch on days with a break and stays open on days without one', () => {
    expect(isOpen(kosodate, jst('2026-11-18T11:59:00'), TZ)).toBe(true);
    expect(isOpen(kosodate, jst('2026-11-18T12:30:00'), TZ)).toBe(false);
    expect(isOpen(kosodate, jst('2026-11-18T13:00:00'), TZ)).toBe(true);
    expect(isOpen(kosodate, jst('2026-11-21T12:30:00'), TZ)).toBe(true);
    expect(isOpen(kosodate, jst('2026-11-16T10:00:00'), TZ)).toBe(false);
  });

  it('honours closedOnPublicHolidays: false', () => {
    expect(isOpen(kodomo, jst('2026-11-03T10:00:00'), TZ)).toBe(false);
    expect(isOpen(kosodate, jst('2026-11-03T10:00:00'), TZ)).toBe(true);
  });

  it.each([
    ['2026-12-28T10:00:00', true],
    ['2026-12-29T10:00:00', false],
    ['2026-12-31T10:00:00', false],
    ['2027-01-02T10:00:00', false],
    ['2027-01-03T10:00:00', false],
    ['2027-01-04T08:30:00', true],
  ])('year-end closure 12-29..01-03 at %s JST (even where holidays are open): %s', (local, open) => {
    expect(isOpen(kodomo, jst(local), TZ)).toBe(open);
    if (!open) expect(isOpen(kosodate, jst(local), TZ)).toBe(false);
  });

  it('honours one-off dates, recurring dates and one-off ranges', () => {
    const schedule: WindowSchedule = {
      ...kodomo,
      closedDates: ['2026-11-18', '11-19', { from: '2027-02-01', to: '2027-02-03' }],
    };
    expect(isOpen(schedule, jst('2026-11-18T10:00:00'), TZ)).toBe(false);
    expect(isOpen(schedule, jst('2027-11-18T10:00:00'), TZ)).toBe(true);
    expect(isOpen(schedule, jst('2026-11-19T10:00:00'), TZ)).toBe(false);
    expect(isOpen(schedule, jst('2027-11-19T10:00:00'), TZ)).toBe(false);
    expect(isOpen(schedule, jst('2027-02-03T10:00:00'), TZ)).toBe(false);
    expect(isOpen(schedule, jst('2027-02-04T10:00:00'), TZ)).toBe(true);
  });
});

describe('nextOpening', () => {
  it('crosses a weekend and a Monday holiday: Friday 18:00 → Tuesday 08:30', () => {
    const at = jst('2026-11-20T18:00:00');
    expect(nextOpening(kodomo, at, TZ)).toEqual(jst('2026-11-24T08:30:00'));
    expect(describeNextOpening(kodomo, at, TZ)).toEqual({ weekday: 2, date: '2026-11-24', time: '08:30' });
  });

  it('finds the Saturday morning of a window that has one', () => {
    expect(nextOpening(houkatsu, jst('2026-11-20T18:00:00'), TZ)).toEqual(jst('2026-11-21T08:30:00'));
    expect(nextOpening(houkatsu, jst('2026-11-21T12:00:00'), TZ)).toEqual(jst('2026-11-24T08:30:00'));
  });

  it('returns the same morning before opening, and the afternoon during lunch', () => {
    expect(nextOpening(kodomo, jst('2026-11-18T07:00:00'), TZ)).toEqual(jst('2026-11-18T08:30:00'));
    expect(nextOpening(kosodate, jst('2026-11-18T12:10:00'), TZ)).toEqual(jst('2026-11-18T13:00:00'));
  });

  it('returns the moment itself while the window is open', () => {
    const at = jst('2026-11-18T10:07:31');
    expect(nextOpening(kodomo, at, TZ)).toEqual(at);
    expect(describeNextOpening(kodomo, at, TZ)).toEqual({ weekday: 3, date: '2026-11-18', time: '10:07' });
  });

  it('waits out the year-end closure', () => {
    expect(nextOpening(kodomo, jst('2026-12-28T17:30:00'), TZ)).toEqual(jst('2027-01-04T08:30:00'));
    // Closed Mondays: the first day after the closure is Tuesday 01-05.
    expect(describeNextOpening(kosodate, jst('2026-12-29T09:00:00'), TZ)).toEqual({
      weekday: 2,
      date: '2027-01-05',
      time: '09:00',
    });
  });

  it('gives up (null) when nothing opens within about a month', () => {
    const noHours: WindowSchedule = {
      ...kodomo,
      hours: { ...kodomo.hours, mon: [], tue: [], wed: [], thu: [], fri: [] },
    };
    expect(nextOpening(noHours, jst('2026-11-18T10:00:00'), TZ)).toBeNull();
    const longClosure: WindowSchedule = {
      ...kodomo,
      closedDates: [{ from: '2026-11-01', to: '2027-03-31' }],
    };
    expect(describeNextOpening(longClosure, jst('2026-11-18T10:00:00'), TZ)).toBeNull();
  });
});

describe('independence from the server time zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it.each(['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati'])('gives the same answers with TZ=%s', (tz) => {
    process.env.TZ = tz;
    // Tuesday 08:45 JST is still Monday (the holiday) in UTC and Los Angeles: the JST date must decide.
    expect(isOpen(kodomo, jst('2026-11-24T08:45:00'), TZ)).toBe(true);
    expect(isOpen(kodomo, jst('2026-11-23T23:30:00'), TZ)).toBe(false);
    expect(isOpen(houkatsu, jst('2026-11-21T08:30:00'), TZ)).toBe(true);
    expect(nextOpening(kodomo, jst('2026-11-20T18:00:00'), TZ)).toEqual(jst('2026-11-24T08:30:00'));
    expect(describeNextOpening(kodomo, jst('2026-12-28T17:30:00'), TZ)).toEqual({
      weekday: 1,
      date: '2027-01-04',
      time: '08:30',
    });
  });

  it('actually runs under another zone (guards the test above)', () => {
    process.env.TZ = 'America/Los_Angeles';
    expect(jst('2026-11-20T18:00:00').getHours()).toBe(1);
  });
});
