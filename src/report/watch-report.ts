import type { AuditEntry, CheckInRecord } from '../core/ports/store.js';
import { WATCH_OUTCOMES, type WatchOutcome } from '../core/ports/watch-notice.js';
import { derivedMark, type ShownCount, suppressSmallNumbers } from './suppress-small-numbers.js';

/** 見守り's month, already suppressed: people, check-ins, answers, alerts, outcomes and LINE pushes. */
export interface WatchFigures {
  /** People with at least one check-in due in the month. */
  people: ShownCount;
  sent: ShownCount;
  answered: ShownCount;
  missed: ShownCount;
  /** Sent and still waiting when the report was made. */
  waiting: ShownCount;
  skipped: ShownCount;
  /** Answered / sent, in percent; a mark when either is hidden. */
  answeredSharePercent: number | ShownCount | null;
  alerts: ShownCount;
  outcomes: Record<WatchOutcome, ShownCount>;
  /** Pushes LINE counts against the plan: check-ins sent (the replies to taps are free). */
  pushes: ShownCount;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The month's 見守り figures from its check-ins (due in the month) and the outcome entries staff
 * recorded in it. Pure, like the monthly report: the caller reads the store.
 */
export function buildWatchFigures(
  checkIns: readonly CheckInRecord[],
  outcomeEntries: readonly AuditEntry[],
): WatchFigures {
  const values = new Map<string, number>();
  const add = (id: string, by = 1) => values.set(id, (values.get(id) ?? 0) + by);
  for (const id of ['people', 'sent', 'answered', 'missed', 'waiting', 'skipped', 'alerts', 'pushes'])
    values.set(id, 0);
  for (const o of WATCH_OUTCOMES) values.set(`outcome:${o}`, 0);
  values.set('people', new Set(checkIns.map((c) => c.watchId)).size);
  for (const c of checkIns) {
    if (c.status === 'skipped') {
      add('skipped');
      continue;
    }
    add('sent');
    add('pushes');
    add(c.status === 'answered' ? 'answered' : c.status === 'missed' ? 'missed' : 'waiting');
    if (c.alerted) add('alerts');
  }
  for (const entry of outcomeEntries) {
    const outcome = entry.details?.outcome;
    if (typeof outcome === 'string' && (WATCH_OUTCOMES as readonly string[]).includes(outcome))
      add(`outcome:${outcome}`);
  }
  const { shown } = suppressSmallNumbers(values, [
    { kind: 'sum', members: ['answered', 'missed', 'waiting'], total: 'sent' },
  ]);
  const s = (id: string): ShownCount => shown.get(id) ?? 0;
  const sent = values.get('sent') ?? 0;
  return {
    people: s('people'),
    sent: s('sent'),
    answered: s('answered'),
    missed: s('missed'),
    waiting: s('waiting'),
    skipped: s('skipped'),
    answeredSharePercent:
      derivedMark([s('answered'), s('sent')]) ??
      (sent === 0 ? null : round1((100 * (values.get('answered') ?? 0)) / sent)),
    alerts: s('alerts'),
    outcomes: Object.fromEntries(WATCH_OUTCOMES.map((o) => [o, s(`outcome:${o}`)])) as Record<
      WatchOutcome,
      ShownCount
    >,
    pushes: s('pushes'),
  };
}
