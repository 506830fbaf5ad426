import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { QuickReply } from '../ports/outgoing-message.js';
import type { CrisisCategory } from '../vocabulary.js';
import { encodeChoice } from './choice-data.js';
import { callButtons } from './render-step.js';
import type { Turn } from './turn.js';

/** The national lines every crisis message starts with: a life in danger comes before anything else. */
const ALWAYS_FIRST = ['119', '110'];

/** 119 or 110: offered wherever a life may be in danger, whatever else fits the case. */
export function isLifeLine(phone: string): boolean {
  return ALWAYS_FIRST.includes(phone);
}
/** Distress that someone may rather write than say: the text counselling link is offered for these. */
const TEXT_COUNSELLING: CrisisCategory[] = ['suicide', 'domestic_violence'];

/**
 * The fixed safety message, in two short bubbles: first the kind sentence (one thank-you), then what
 * to do now with the numbers that fit what was detected (119 and 110 first), a text option for
 * someone who cannot phone, and a way to keep talking here. When the writer is worried about
 * someone else, it speaks about that person. It depends on nothing that can be closed: no opening
 * hours, no staff.
 */
export function writeSafetyMessage(
  turn: Turn,
  config: MunicipalityConfig,
  categories: CrisisCategory[],
  aboutSomeoneElse = false,
): void {
  const relevant = config.emergencyNumbers.filter(
    (n) => isLifeLine(n.phone) || n.categories.some((c) => categories.includes(c)),
  );
  relevant.sort((a, b) => rank(a.phone) - rank(b.phone));
  const kind = aboutSomeoneElse
    ? 'crisis.kind.someone-else'
    : categories.includes('suicide')
      ? 'crisis.kind.suicide'
      : 'crisis.kind.self';
  turn.say(kind);

  const textOption = !aboutSomeoneElse && categories.some((c) => TEXT_COUNSELLING.includes(c));
  const lines = [
    turn.t(aboutSomeoneElse ? 'crisis.now.someone-else' : 'crisis.now.self'),
    ...unique(categories).map((c) => turn.t(`crisis.${c}`)),
    ...(textOption ? [turn.t('crisis.sns')] : []),
    turn.t('crisis.staff-told'),
  ];
  const link: QuickReply[] = textOption
    ? [{ kind: 'link', label: turn.t('crisis.sns-link'), url: config.textCounsellingUrl }]
    : [];
  const back: QuickReply = {
    kind: 'choice',
    label: turn.t('crisis.continue'),
    data: encodeChoice({ kind: 'resume', answer: 'continue' }),
  };
  turn.sayText(lines.join('\n\n'), [...callButtons(relevant, turn.language).slice(0, 11), ...link, back]);
}

function rank(phone: string): number {
  const i = ALWAYS_FIRST.indexOf(phone);
  return i === -1 ? ALWAYS_FIRST.length : i;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
