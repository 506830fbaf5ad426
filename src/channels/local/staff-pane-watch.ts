import type { SummaryContext } from '../../core/cases/case-summary.js';
import { WATCH_OUTCOMES, type WatchNote } from '../../core/ports/watch-notice.js';
import { describePlan } from '../../core/watch/watch-messages.js';

/** A 見守り note as the staff pane draws it: its lines already in the pane's language. */
export interface WatchEntryView {
  type: 'watch';
  kind: WatchNote['kind'];
  lines: string[];
  /** A missed streak: drawn as an alert, with the outcome buttons. */
  alert: boolean;
  outcomes: Array<{ id: string; label: string }>;
}

export function renderWatchEntry(note: WatchNote, ctx: SummaryContext): WatchEntryView {
  const { t } = ctx;
  // The pane's people have names ("相談員A"); an id it does not know is shown as it is.
  const staffName = (id: string) => {
    const name = t(`playground.staff.${id}`);
    return name === `playground.staff.${id}` ? id : name;
  };
  const base = { type: 'watch' as const, kind: note.kind, alert: false, outcomes: [] };
  switch (note.kind) {
    case 'proposed':
      return {
        ...base,
        lines: [
          t('staff.watch.proposed', {
            staff: staffName(note.staffId),
            plan: describePlan(note.plan, t),
            threshold: note.plan.missThreshold,
          }),
        ],
      };
    case 'answer':
      return { ...base, lines: [t(`staff.watch.answer.${note.answer}`)] };
    case 'alert': {
      const when = new Intl.DateTimeFormat(ctx.language, {
        timeZone: ctx.config.timezone,
        month: 'numeric',
        day: 'numeric',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
      return {
        ...base,
        alert: true,
        lines: [
          t('staff.watch.alert', { mention: '@here', missed: note.missed }),
          t('staff.watch.history'),
          ...note.history.map(
            (line) =>
              `${when.format(new Date(line.dueAt))} ${t(`staff.watch.status.${line.status}`)}${
                line.answer ? ` (${t(`staff.watch.answer-label.${line.answer}`)})` : ''
              }`,
          ),
          t('staff.watch.outcome-prompt'),
        ],
        outcomes: WATCH_OUTCOMES.map((id) => ({ id, label: t(`staff.watch.outcome.${id}`) })),
      };
    }
    case 'outcome':
      return {
        ...base,
        lines: [
          t('staff.watch.outcome-recorded', {
            staff: staffName(note.staffId),
            outcome: t(`staff.watch.outcome.${note.outcome}`),
          }),
        ],
      };
    default:
      return { ...base, lines: [t(`staff.watch.${note.kind}`)] };
  }
}
