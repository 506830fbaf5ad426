import type { Intake } from '../cases/intake.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import { describeNextOpening } from '../municipality/opening-hours.js';
import { callButtons } from './render-step.js';
import type { Turn } from './turn.js';

/**
 * What the resident is told once their case is with staff: its number and window, and when a person
 * will read it (now, or the window's next opening with the 24-hour numbers).
 */
export function tellCaseReceived(
  turn: Turn,
  config: MunicipalityConfig,
  received: {
    number: string;
    windowId: string;
    subject: Intake['subject'];
    contact: Intake['contact'];
    windowOpen: boolean;
    now: Date;
  },
): void {
  const window = config.windows.find((w) => w.id === received.windowId);
  const name = window ? ((window.names as Record<string, string>)[turn.language] ?? window.names.ja) : '';
  turn.say(received.subject === 'neighbour' ? 'handoff.received-neighbour' : 'handoff.received', {
    number: received.number,
    window: name,
  });
  if (!window) return;
  if (received.windowOpen) {
    turn.say(received.contact === 'none' ? 'handoff.no-reply' : 'handoff.open-now');
    return;
  }
  const next = describeNextOpening(window, received.now, config.timezone);
  const dayAndTime = next
    ? turn.t('handoff.next-opening', {
        weekday: turn.t(`time.weekday.${next.weekday}`),
        time: next.time.replace(/^0/, ''),
        date: next.date,
      })
    : '';
  const allDay = config.emergencyNumbers.filter((n) => n.twentyFourHours);
  turn.sayText(
    `${turn.t('handoff.after-hours', { when: dayAndTime })}\n${turn.t('handoff.after-hours-numbers')}`,
    callButtons(allDay, turn.language).slice(0, 13),
  );
}
