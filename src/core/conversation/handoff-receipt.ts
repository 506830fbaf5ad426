import type { Intake } from '../cases/intake.js';
import type {
  ConsultationWindow,
  EmergencyNumber,
  MunicipalityConfig,
} from '../municipality/municipality-config-schema.js';
import { describeNextOpening } from '../municipality/opening-hours.js';
import type { CrisisCategory } from '../vocabulary.js';
import { isLifeLine } from './crisis-response.js';
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
    fields: readonly string[];
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
  const dayAndTime = nextOpeningText(turn, window, received.now, config.timezone) ?? '';
  turn.sayText(
    `${turn.t('handoff.after-hours', { when: dayAndTime })}\n${turn.t('handoff.after-hours-numbers')}`,
    callButtons(numbersFor(config, received.fields), turn.language).slice(0, 13),
  );
}

/** "火曜 8:30 以降": when a person at the window will next read, in the resident's language. */
export function nextOpeningText(
  turn: Turn,
  window: ConsultationWindow,
  now: Date,
  timezone: string,
): string | undefined {
  const next = describeNextOpening(window, now, timezone);
  if (!next) return undefined;
  return turn.t('handoff.next-opening', {
    weekday: turn.t(`time.weekday.${next.weekday}`),
    time: next.time.replace(/^0/, ''),
    date: next.date,
  });
}

/** The dangers each field's worries can turn into, to choose the 24-hour lines that fit a case. */
const FIELD_DANGERS: Record<string, CrisisCategory[]> = {
  isolation: ['suicide'],
  livelihood: ['suicide'],
  children: ['child_abuse'],
  violence: ['domestic_violence', 'violence'],
  elderly: ['elder_abuse'],
  disability: [],
};

/**
 * The 24-hour numbers that fit the case (こころの健康相談 and よりそい for distress, 189 for
 * children, DV相談＋ for partners), 119 and 110 always; every 24-hour number when nothing fits.
 */
function numbersFor(config: MunicipalityConfig, fields: readonly string[]): EmergencyNumber[] {
  const allDay = config.emergencyNumbers.filter((n) => n.twentyFourHours);
  const dangers = fields.flatMap((f) => FIELD_DANGERS[f] ?? []);
  const fitting = allDay.filter((n) => n.categories.some((c) => dangers.includes(c)));
  if (fitting.length === 0) return allDay;
  return allDay.filter((n) => isLifeLine(n.phone) || fitting.includes(n));
}
