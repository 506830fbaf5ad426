import holidayJp from '@holiday-jp/holiday_jp';
import { z } from 'zod';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import { addDays, isoDate, toInstant, type WallClock, wallClock } from '../municipality/opening-hours.js';
import type { WatchPlan } from '../ports/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Far enough for "every 30 days" across a long pause. */
const SEARCH_DAYS = 400;

const weekday = z.number().int().min(0).max(6);

/** What staff may choose; the slot must be one of the city's (checked by planSchemaFor). */
export function planSchemaFor(config: MunicipalityConfig) {
  return z.strictObject({
    frequency: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('daily') }),
      z.strictObject({ kind: z.literal('weekdays'), days: z.array(weekday).min(1).max(7) }),
      z.strictObject({ kind: z.literal('every'), days: z.number().int().min(2).max(30) }),
    ]),
    slot: z.enum(config.watch.slots as [string, ...string[]]),
    durationDays: z.number().int().min(1).max(config.watch.maxDurationDays),
    missThreshold: z.number().int().min(1).max(10),
    daysOff: z.array(weekday).max(6).default([]),
  }) satisfies z.ZodType<WatchPlan, unknown>;
}

const minutesOf = (slot: string) => Number(slot.slice(0, 2)) * 60 + Number(slot.slice(3, 5));

/** Days between two civil dates (b - a), counted on the calendar alone. */
function daysBetween(a: WallClock, b: WallClock): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

/** Whether the plan checks in on this civil day: frequency, the resident's days off, public holidays. */
export function checksInOn(plan: WatchPlan, day: WallClock, start: WallClock): boolean {
  if (plan.daysOff.includes(day.weekday)) return false;
  if (holidayJp.isHoliday(isoDate(day))) return false;
  switch (plan.frequency.kind) {
    case 'daily':
      return true;
    case 'weekdays':
      return plan.frequency.days.includes(day.weekday);
    case 'every':
      return daysBetween(start, day) % plan.frequency.days === 0;
  }
}

/**
 * The first check-in strictly after `after` and before `endsAt`, on the municipality's wall clock:
 * at the plan's slot, on a day the plan checks in. null when there is none left. Pure: the same
 * inputs give the same instant on every instance, whatever its clock or TZ says.
 */
export function nextCheckIn(
  plan: WatchPlan,
  window: { startedAt: Date; endsAt: Date; after: Date },
  timezone: string,
): Date | null {
  const start = wallClock(window.startedAt, timezone);
  const from = wallClock(window.after, timezone);
  const slot = minutesOf(plan.slot);
  for (let offset = 0; offset <= SEARCH_DAYS; offset++) {
    const day = addDays(from, offset);
    const due = toInstant(day, slot, timezone);
    if (due.getTime() >= window.endsAt.getTime()) return null;
    if (due.getTime() <= window.after.getTime()) continue;
    if (checksInOn(plan, day, start)) return due;
  }
  return null;
}

/** When a sent check-in stops waiting for an answer: after answerHours, and before the next one. */
export function answerDeadline(dueAt: Date, next: Date | null, config: MunicipalityConfig): Date {
  const byHours = dueAt.getTime() + config.watch.answerHours * 60 * 60_000;
  const beforeNext = next ? next.getTime() - 60_000 : Number.POSITIVE_INFINITY;
  return new Date(Math.max(dueAt.getTime() + 60_000, Math.min(byHours, beforeNext)));
}

/** The check-in's id: one per watch and due time, so every instance names an occurrence the same. */
export function checkInId(watchId: string, dueAt: Date): string {
  return `${watchId}-${Math.floor(dueAt.getTime() / 60_000).toString(36)}`;
}

/** The watch a check-in id belongs to (the case id: a UUID). */
export function watchIdOf(checkInIdValue: string): string {
  return checkInIdValue.slice(0, checkInIdValue.lastIndexOf('-'));
}
