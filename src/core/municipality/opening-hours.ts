import holidayJp from '@holiday-jp/holiday_jp';
import { type ConsultationWindow, toMinutes, WEEKDAY_KEYS } from './municipality-config-schema.js';

/** What opening hours need from a window; tests and previews can pass just this. */
export type WindowSchedule = Pick<ConsultationWindow, 'hours' | 'closedOnPublicHolidays' | 'closedDates'>;

/** A calendar day and minute on the wall clock of the municipality, whatever the server's TZ. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday, as Date#getDay. */
  weekday: number;
  minutes: number;
}

export interface NextOpening {
  weekday: number;
  date: string;
  time: string;
}

/** Far enough to cross the year-end closure plus a long holiday run; beyond that, say "no opening". */
const SEARCH_DAYS = 31;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Read from Intl with an explicit zone: process.env.TZ must never decide when a window is open. */
export function wallClock(at: Date, tz: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(at)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts.year ?? 0;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  return {
    year,
    month,
    day,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    minutes: (parts.hour ?? 0) * 60 + (parts.minute ?? 0),
  };
}

/** Calendar arithmetic on the civil date alone (UTC fields), so no offset or DST can shift the day. */
export function addDays(c: WallClock, days: number): WallClock {
  const d = new Date(Date.UTC(c.year, c.month - 1, c.day + days));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    minutes: 0,
  };
}

/**
 * The instant a wall-clock time happens in `tz`. Japan has had no DST since 1951, so for Asia/Tokyo
 * this is a fixed +09:00; the offset is still read from Intl (guess, then correct once) so a
 * municipality configured with another zone is not silently wrong.
 */
export function toInstant(c: WallClock, minutes: number, tz: string): Date {
  const guess = Date.UTC(c.year, c.month - 1, c.day, 0, minutes);
  const offsetAt = (t: number) => {
    const w = wallClock(new Date(t), tz);
    return Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes) - Math.floor(t / 60_000) * 60_000;
  };
  const first = guess - offsetAt(guess);
  const second = guess - offsetAt(first);
  return new Date(second);
}

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (c: WallClock) => `${c.year}-${pad(c.month)}-${pad(c.day)}`;

/**
 * holiday_jp.isHoliday(Date) formats with the process's local date, which is wrong on a UTC server
 * between 00:00 and 09:00 JST; a 'YYYY-MM-DD' string of the Japanese date avoids that.
 */
function isClosedDay(window: WindowSchedule, c: WallClock): boolean {
  const iso = isoDate(c);
  if (window.closedOnPublicHolidays && holidayJp.isHoliday(iso)) return true;
  const md = iso.slice(5);
  return window.closedDates.some((closed) => {
    if (typeof closed === 'string') return closed.length === 5 ? closed === md : closed === iso;
    if (closed.from.length === 10) return closed.from <= iso && iso <= closed.to;
    // A recurring range whose end comes before its start wraps the year end (12-29 to 01-03).
    return closed.from <= closed.to
      ? closed.from <= md && md <= closed.to
      : md >= closed.from || md <= closed.to;
  });
}

function rangesOf(window: WindowSchedule, c: WallClock) {
  const key = WEEKDAY_KEYS[c.weekday] ?? 'sun';
  return window.hours[key].map((r) => ({ open: toMinutes(r.open), close: toMinutes(r.close) }));
}

/** Whether the window is staffed at `at`; a range is open from `open` up to, not including, `close`. */
export function isOpen(window: WindowSchedule, at: Date, tz: string): boolean {
  const now = wallClock(at, tz);
  if (isClosedDay(window, now)) return false;
  return rangesOf(window, now).some((r) => r.open <= now.minutes && now.minutes < r.close);
}

/**
 * The earliest instant at or after `at` when the window is open: `at` itself while it is open.
 * null when nothing opens within about a month (a window with no hours, or a long closure).
 */
export function nextOpening(window: WindowSchedule, at: Date, tz: string): Date | null {
  const now = wallClock(at, tz);
  for (let offset = 0; offset <= SEARCH_DAYS; offset++) {
    const day = addDays(now, offset);
    if (isClosedDay(window, day)) continue;
    for (const r of rangesOf(window, day)) {
      if (offset > 0 || now.minutes < r.open) return toInstant(day, r.open, tz);
      if (now.minutes < r.close) return at;
    }
  }
  return null;
}

/** The next opening as data for a localized sentence ("火曜日 11月24日 8:30から"); no text here. */
export function describeNextOpening(window: WindowSchedule, at: Date, tz: string): NextOpening | null {
  const next = nextOpening(window, at, tz);
  if (!next) return null;
  const c = wallClock(next, tz);
  return {
    weekday: c.weekday,
    date: isoDate(c),
    time: `${pad(Math.floor(c.minutes / 60))}:${pad(c.minutes % 60)}`,
  };
}
