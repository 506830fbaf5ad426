import { z } from 'zod';
import type { MunicipalityConfig } from '../core/municipality/municipality-config-schema.js';
import { isOpen } from '../core/municipality/opening-hours.js';
import type { CaseOrigin, CaseRecord } from '../core/ports/store.js';
import { KNOWN_FIELD_IDS, type KnownFieldId } from '../core/vocabulary.js';
import {
  type CellConstraint,
  derivedMark,
  type ShownCount,
  type SuppressionMark,
  suppressSmallNumbers,
} from './suppress-small-numbers.js';
import type { WatchFigures } from './watch-report.js';

/** A calendar month on the municipality's wall clock. */
export const reportMonthSchema = z
  .string()
  .regex(/^\d{4}-(?:0[1-9]|1[0-2])$/, { error: 'must be a month written YYYY-MM, such as 2026-11' });

/** A case with no known field (the coordinator's "unknown") is counted in this column. */
export const FIELD_COLUMNS = [...KNOWN_FIELD_IDS, 'unknown'] as const;
export type FieldColumn = (typeof FIELD_COLUMNS)[number];

export const ORIGINS = ['self', 'family', 'neighbour'] as const satisfies readonly CaseOrigin[];
export const SCORES = ['1', '2', '3', '4', '5'] as const;
export type Score = (typeof SCORES)[number];

/** A figure computed from counts: hidden with the mark of what it could reveal; null when there is nothing to compute. */
export type ShownFigure = number | SuppressionMark | null;

export interface WindowRow {
  id: string;
  /** The window's Japanese name from the config; the id itself for a window no longer configured. */
  name: string;
  /** Its name in each locale from the config (each falls back to the Japanese); empty for a window no longer configured. */
  names: Readonly<Record<string, string>>;
  configured: boolean;
  fields: Record<FieldColumn, ShownCount>;
  total: ShownCount;
}

/**
 * One month's figures, already suppressed: nothing in it can reveal a count from 1 to 4, so every
 * renderer (and anyone handed the object) publishes only safe numbers.
 */
export interface MonthlyReport {
  month: string;
  timezone: string;
  /** How many "<5" cells suppression could not protect from being worked out (normally 0): check before publishing. */
  exposedCells: number;
  municipality: { id: string; name: string };
  /** The municipality's name in each locale from the config (each falls back to the Japanese). */
  municipalityNames: Readonly<Record<string, string>>;
  cases: ShownCount;
  byWindow: WindowRow[];
  fieldTotals: Record<FieldColumn, ShownCount>;
  byOrigin: Record<CaseOrigin, ShownCount>;
  urgent: { urgent: ShownCount; notUrgent: ShownCount };
  /** By the case's current window's opening hours at createdAt; `unknown`: that window is no longer configured. */
  afterHours: { closed: ShownCount; open: ShownCount; unknown: ShownCount; sharePercent: ShownFigure };
  /** From createdAt to the (last) acceptance, in minutes, over accepted cases. */
  timeToAccept: {
    accepted: ShownCount;
    notAccepted: ShownCount;
    medianMinutes: ShownFigure;
    p90Minutes: ShownFigure;
  };
  reroutes: { cases: ShownCount; none: ShownCount; total: ShownFigure };
  reopened: { cases: ShownCount; none: ShownCount; total: ShownFigure };
  satisfaction: {
    rated: ShownCount;
    notRated: ShownCount;
    distribution: Record<Score, ShownCount>;
    mean: ShownFigure;
  };
  /** 見守り, when the caller read it (watch-report.ts). */
  watch?: WatchFigures | undefined;
}

const monthFormatters = new Map<string, Intl.DateTimeFormat>();
/** 'YYYY-MM' of an instant on the wall clock of `tz`, whatever the server's TZ. */
function monthOf(at: Date, tz: string): string {
  let f = monthFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit' });
    monthFormatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}`;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Median: the middle value, or the mean of the two middle ones. */
function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Counts by cell id; every id is declared up front so absent categories show as 0. */
class Tally {
  readonly values = new Map<string, number>();
  declare(...ids: string[]): void {
    for (const id of ids) this.values.set(id, 0);
  }
  add(id: string, by = 1): void {
    this.values.set(id, (this.values.get(id) ?? 0) + by);
  }
  get(id: string): number {
    return this.values.get(id) ?? 0;
  }
}

const knownFields = new Set<string>(KNOWN_FIELD_IDS);
function fieldColumnsOf(record: CaseRecord): FieldColumn[] {
  const known = [...new Set(record.fields)].filter((f): f is KnownFieldId => knownFields.has(f));
  return known.length > 0 ? known : ['unknown'];
}

/**
 * The city's monthly figures for its 重層的支援会議 and the national programme reporting: the cases
 * opened in `month` (on the municipality's clock), counted by window × field (a case with several
 * fields counts in each), origin, urgency, opening hours, time to accept, reroutes, reopenings and
 * satisfaction. Pure: the caller reads the cases; the result is already suppressed.
 */
export function buildMonthlyReport(
  cases: readonly CaseRecord[],
  month: string,
  config: MunicipalityConfig,
): MonthlyReport {
  reportMonthSchema.parse(month);
  const tz = config.timezone;
  const inMonth = cases.filter((c) => monthOf(c.createdAt, tz) === month);
  const windowsById = new Map(config.windows.map((w) => [w.id, w]));
  const unconfigured = [...new Set(inMonth.map((c) => c.windowId))]
    .filter((id) => !windowsById.has(id))
    .sort();
  const windowIds = [...config.windows.map((w) => w.id), ...unconfigured];

  const t = new Tally();
  const cell = (w: string, f: string) => `window:${w}:${f}`;
  t.declare('cases', ...FIELD_COLUMNS.map((f) => `field:${f}`));
  for (const w of windowIds) t.declare(`window:${w}:total`, ...FIELD_COLUMNS.map((f) => cell(w, f)));
  t.declare(...ORIGINS.map((o) => `origin:${o}`), 'urgent', 'not-urgent', 'hours:closed', 'hours:open');
  t.declare('hours:unknown', 'accepted', 'not-accepted', 'rerouted', 'not-rerouted', 'reopened');
  t.declare('not-reopened', 'rated', 'not-rated', ...SCORES.map((s) => `score:${s}`));

  const minutesToAccept: number[] = [];
  let reroutes = 0;
  let reopenings = 0;
  let scoreSum = 0;
  for (const c of inMonth) {
    t.add('cases');
    t.add(`window:${c.windowId}:total`);
    for (const f of fieldColumnsOf(c)) {
      t.add(cell(c.windowId, f));
      t.add(`field:${f}`);
    }
    t.add(`origin:${c.origin}`);
    t.add(c.urgent ? 'urgent' : 'not-urgent');
    const window = windowsById.get(c.windowId);
    t.add(!window ? 'hours:unknown' : isOpen(window, c.createdAt, tz) ? 'hours:open' : 'hours:closed');
    if (c.acceptedAt) {
      t.add('accepted');
      minutesToAccept.push(Math.max(0, c.acceptedAt.getTime() - c.createdAt.getTime()) / 60_000);
    } else t.add('not-accepted');
    t.add(c.rerouteCount > 0 ? 'rerouted' : 'not-rerouted');
    reroutes += c.rerouteCount;
    t.add(c.reopenCount > 0 ? 'reopened' : 'not-reopened');
    reopenings += c.reopenCount;
    const score = c.satisfaction;
    if (score !== undefined && Number.isInteger(score) && score >= 1 && score <= 5) {
      t.add('rated');
      t.add(`score:${score}`);
      scoreSum += score;
    } else t.add('not-rated');
  }

  // What a reader knows about how the cells relate, so that no hidden cell can be worked out: the
  // exact sums, and the window rows and field totals, which only bound their cells (a case with
  // several fields counts in each column, and every case is in at least one).
  const pair = (...members: string[]): CellConstraint => ({ kind: 'sum', members, total: 'cases' });
  const constraints: CellConstraint[] = [
    ...FIELD_COLUMNS.map(
      (f): CellConstraint => ({
        kind: 'sum',
        members: windowIds.map((w) => cell(w, f)),
        total: `field:${f}`,
      }),
    ),
    pair(...windowIds.map((w) => `window:${w}:total`)),
    ...windowIds.map(
      (w): CellConstraint => ({
        kind: 'cover',
        members: FIELD_COLUMNS.map((f) => cell(w, f)),
        total: `window:${w}:total`,
      }),
    ),
    { kind: 'cover', members: FIELD_COLUMNS.map((f) => `field:${f}`), total: 'cases' },
    pair(...ORIGINS.map((o) => `origin:${o}`)),
    pair('urgent', 'not-urgent'),
    pair('hours:closed', 'hours:open', 'hours:unknown'),
    pair('accepted', 'not-accepted'),
    pair('rerouted', 'not-rerouted'),
    pair('reopened', 'not-reopened'),
    pair('rated', 'not-rated'),
    { kind: 'sum', members: SCORES.map((k) => `score:${k}`), total: 'rated' },
  ];
  const { shown, exposed } = suppressSmallNumbers(t.values, constraints);
  const s = (id: string): ShownCount => shown.get(id) ?? 0;
  const figure = (inputs: ShownCount[], compute: () => number | null): ShownFigure =>
    derivedMark(inputs) ?? compute();

  const sorted = [...minutesToAccept].sort((a, b) => a - b);
  // Percentiles of durations do not reveal how many cases there were; only a small base does.
  const acceptedBase = s('accepted') === '<5' ? ['<5' as const] : [];
  const rated = t.get('rated');

  return {
    month,
    timezone: tz,
    exposedCells: exposed.length,
    municipality: { id: config.municipality.id, name: config.municipality.names.ja },
    municipalityNames: config.municipality.names,
    cases: s('cases'),
    byWindow: windowIds.map((id) => ({
      id,
      name: windowsById.get(id)?.names.ja ?? id,
      names: windowsById.get(id)?.names ?? {},
      configured: windowsById.has(id),
      fields: Object.fromEntries(FIELD_COLUMNS.map((f) => [f, s(cell(id, f))])) as Record<
        FieldColumn,
        ShownCount
      >,
      total: s(`window:${id}:total`),
    })),
    fieldTotals: Object.fromEntries(FIELD_COLUMNS.map((f) => [f, s(`field:${f}`)])) as Record<
      FieldColumn,
      ShownCount
    >,
    byOrigin: Object.fromEntries(ORIGINS.map((o) => [o, s(`origin:${o}`)])) as Record<CaseOrigin, ShownCount>,
    urgent: { urgent: s('urgent'), notUrgent: s('not-urgent') },
    afterHours: {
      closed: s('hours:closed'),
      open: s('hours:open'),
      unknown: s('hours:unknown'),
      sharePercent: figure([s('hours:closed'), s('cases')], () =>
        t.get('cases') === 0 ? null : round1((100 * t.get('hours:closed')) / t.get('cases')),
      ),
    },
    timeToAccept: {
      accepted: s('accepted'),
      notAccepted: s('not-accepted'),
      medianMinutes: figure(acceptedBase, () => (sorted.length ? round1(median(sorted)) : null)),
      p90Minutes: figure(acceptedBase, () => (sorted.length ? round1(percentile(sorted, 90)) : null)),
    },
    reroutes: {
      cases: s('rerouted'),
      none: s('not-rerouted'),
      total: figure([s('rerouted')], () => reroutes),
    },
    reopened: {
      cases: s('reopened'),
      none: s('not-reopened'),
      total: figure([s('reopened')], () => reopenings),
    },
    satisfaction: {
      rated: s('rated'),
      notRated: s('not-rated'),
      distribution: Object.fromEntries(SCORES.map((k) => [k, s(`score:${k}`)])) as Record<Score, ShownCount>,
      // With the distribution and the count, a mean is one more equation: it could solve for hidden
      // scores, so it is shown only when every score is.
      mean: figure([s('rated'), ...SCORES.map((k) => s(`score:${k}`))], () =>
        rated === 0 ? null : Math.round((scoreSum / rated) * 100) / 100,
      ),
    },
  };
}
