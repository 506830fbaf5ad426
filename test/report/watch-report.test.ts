import { describe, expect, it } from 'vitest';
import type { AuditEntry, CheckInRecord } from '../../src/core/ports/store.js';
import { buildWatchFigures } from '../../src/report/watch-report.js';

const checkIn = (
  watchId: string,
  n: number,
  status: CheckInRecord['status'],
  alerted?: boolean,
): CheckInRecord => ({
  id: `${watchId}-${n}`,
  watchId,
  caseId: watchId,
  dueAt: new Date(Date.UTC(2027, 0, n)),
  status,
  ...(alerted ? { alerted } : {}),
  expiresAt: new Date(Date.UTC(2027, 6, 1)),
});
const outcome = (o: string): AuditEntry => ({
  id: o,
  at: new Date(Date.UTC(2027, 0, 10)),
  actor: { kind: 'staff', id: 's' },
  action: 'watch.outcome',
  details: { outcome: o },
  expiresAt: new Date(Date.UTC(2030, 0, 1)),
});

describe('見守り in the monthly report', () => {
  it('counts people, check-ins, answers, alerts and pushes, hiding small numbers', () => {
    const checkIns = [
      ...Array.from({ length: 20 }, (_, i) =>
        checkIn(`w${i % 6}`, i + 1, i % 4 === 0 ? 'missed' : 'answered'),
      ),
      checkIn('w0', 25, 'missed', true),
      checkIn('w1', 26, 'skipped'),
    ];
    const figures = buildWatchFigures(checkIns, [outcome('visited'), outcome('phoned'), outcome('nonsense')]);
    expect(figures.people).toBe(6);
    expect(figures.sent).toBe(21);
    expect(figures.pushes).toBe(21);
    expect(figures.answered).toBe(15);
    expect(figures.missed).toBe(6);
    expect(figures.answeredSharePercent).toBe(71.4);
    // One alert and one of each outcome could point at a person: shown as "<5".
    expect(figures.alerts).toBe('<5');
    expect(figures.skipped).toBe('<5');
    expect(figures.outcomes).toEqual({ visited: '<5', phoned: '<5', hospital: 0, ended: 0 });
  });

  it('shows no share for a month without check-ins', () => {
    expect(buildWatchFigures([], []).answeredSharePercent).toBeNull();
  });
});
