/**
 * The words 見守り's records and notices share: the plan staff chose and what became of a check-in.
 * Their own module so that the store port and the staff notices can both name them.
 */

/** How often a resident is checked on: every day, on chosen weekdays (0 = Sunday), or every N days. */
export type WatchFrequency =
  | { kind: 'daily' }
  | { kind: 'weekdays'; days: number[] }
  | { kind: 'every'; days: number };

/** What staff chose when they offered 見守り (see core/watch/watch-plan.ts for its rules). */
export interface WatchPlan {
  frequency: WatchFrequency;
  /** One of the city's fixed slots, "HH:MM" on the municipality's wall clock. */
  slot: string;
  durationDays: number;
  /** How many unanswered check-ins in a row alert the window. */
  missThreshold: number;
  /** Weekdays (0 = Sunday) the resident asked not to be checked on. */
  daysOff: number[];
}

export type CheckInStatus = 'sent' | 'answered' | 'missed' | 'skipped';
export type CheckInAnswer = 'fine' | 'worried' | 'talk' | 'wrote';
