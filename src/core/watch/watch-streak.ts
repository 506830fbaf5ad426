import type { CheckInRecord } from '../ports/store.js';

/**
 * How many check-ins in a row went unanswered, counting back from `upTo` (included): an answer ends
 * the streak; a skipped check-in (a holiday run, a conversation going on) neither ends nor extends it.
 */
export function missedStreak(history: CheckInRecord[], upTo: string): number {
  const end = history.findIndex((c) => c.id === upTo);
  let streak = 0;
  for (let i = end; i >= 0; i--) {
    const c = history[i];
    if (!c || c.status === 'skipped') continue;
    if (c.status !== 'missed') break;
    streak++;
  }
  return streak;
}
