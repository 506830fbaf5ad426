import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { QuickReply } from '../outgoing-message.js';
import type { CrisisCategory } from '../vocabulary.js';
import { encodeChoice } from './choice-data.js';
import { callButtons } from './render-step.js';
import type { Turn } from './turn.js';

/** The national lines every crisis message starts with: a life in danger comes before anything else. */
const ALWAYS_FIRST = ['119', '110'];

/**
 * The fixed safety message: short, calm, with tap-to-call buttons for the numbers that fit what was
 * detected (from the city's config), 119 and 110 always first, and a way back to the conversation.
 * It depends on nothing that can be closed: no opening hours, no staff.
 */
export function writeSafetyMessage(
  turn: Turn,
  config: MunicipalityConfig,
  categories: CrisisCategory[],
): void {
  const relevant = config.emergencyNumbers.filter(
    (n) => ALWAYS_FIRST.includes(n.phone) || n.categories.some((c) => categories.includes(c)),
  );
  relevant.sort((a, b) => rank(a.phone) - rank(b.phone));
  const keys = categories.length > 0 ? categories.map((c) => `crisis.${c}`) : ['crisis.general'];
  const text = [
    turn.t('crisis.intro'),
    ...unique(keys).map((k) => turn.t(k)),
    turn.t('crisis.staff-told'),
  ].join('\n\n');
  const back: QuickReply = {
    kind: 'choice',
    label: turn.t('crisis.continue'),
    data: encodeChoice({ kind: 'resume', answer: 'continue' }),
  };
  turn.sayText(text, [...callButtons(relevant, turn.language).slice(0, 12), back]);
}

function rank(phone: string): number {
  const i = ALWAYS_FIRST.indexOf(phone);
  return i === -1 ? ALWAYS_FIRST.length : i;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
