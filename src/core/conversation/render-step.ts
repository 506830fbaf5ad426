import type { EmergencyNumber, MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { QuickReply } from '../ports/outgoing-message.js';
import { encodeChoice } from './choice-data.js';
import type { Flow, StepOfType } from './flow-schema.js';
import { MAX_LABEL_LENGTH } from './load-flows.js';
import type { Turn } from './turn.js';

const SELECTED_MARK = '✓ ';

/** Tap-to-call buttons for emergency numbers, labelled "119 救急" in the resident's language. */
export function callButtons(numbers: EmergencyNumber[], language: string): QuickReply[] {
  return numbers.map((n) => {
    const name = (n.names as Record<string, string>)[language] ?? n.names.ja;
    // A button has room for 20 characters and must always show what it dials: the city's own
    // label, else number and name when both fit, else the number alone.
    const own = (n.buttonLabels as Partial<Record<string, string>>)[language];
    const candidates = [own, `${n.phone} ${name}`, n.phone].filter((c): c is string => c !== undefined);
    const label = candidates.find((c) => [...c].length <= MAX_LABEL_LENGTH) ?? n.phone;
    return { kind: 'call', label, phone: n.phone };
  });
}

export function emergencyNumbersFor(
  config: MunicipalityConfig,
  which: 'all' | string[] | undefined,
): EmergencyNumber[] {
  if (!which) return [];
  if (which === 'all') return config.emergencyNumbers;
  return which.flatMap((id) => config.emergencyNumbers.filter((n) => n.id === id));
}

export function renderChoice(
  turn: Turn,
  flow: Flow,
  stepId: string,
  step: StepOfType<'choice'>,
  config: MunicipalityConfig,
  summary?: string,
): void {
  for (const key of step.intro ?? []) turn.say(key);
  if (summary) turn.sayText(summary);
  const options: QuickReply[] = step.options.map((o) => ({
    kind: 'choice',
    label: turn.t(o.label),
    data: encodeChoice({ kind: 'option', flow: flow.id, step: stepId, option: o.id }),
  }));
  const calls = callButtons(emergencyNumbersFor(config, step.callButtons), turn.language);
  turn.sayText(turn.t(step.prompt), [...calls, ...options].slice(0, 13));
}

export function renderMultiChoice(
  turn: Turn,
  flow: Flow,
  stepId: string,
  step: StepOfType<'multi-choice'>,
  selected: string[],
  options: { again?: boolean } = {},
): void {
  if (!options.again) for (const key of step.intro ?? []) turn.say(key);
  const toggles: QuickReply[] = step.options.map((o) => ({
    kind: 'choice',
    label: `${selected.includes(o.id) ? SELECTED_MARK : ''}${turn.t(o.label)}`,
    data: encodeChoice({ kind: 'toggle', flow: flow.id, step: stepId, option: o.id }),
  }));
  const done: QuickReply = {
    kind: 'choice',
    label: turn.t(step.doneLabel),
    data: encodeChoice({ kind: 'done', flow: flow.id, step: stepId }),
  };
  const chosen = step.options.filter((o) => selected.includes(o.id)).map((o) => turn.t(o.label));
  const status = chosen.length > 0 ? turn.t('common.selected', { items: turn.list(chosen) }) : '';
  // After a tap only the new state and what to do next; the question itself was asked already.
  const text = options.again
    ? [
        status || turn.t('common.choose-one-or-more'),
        chosen.length > 0 ? turn.t('common.done-hint', { done: turn.t(step.doneLabel) }) : '',
      ]
        .filter(Boolean)
        .join('\n')
    : `${turn.t(step.prompt)}${status ? `\n${status}` : ''}`;
  turn.sayText(text, selected.length > 0 ? [done, ...toggles] : toggles);
}

export function renderText(turn: Turn, flow: Flow, stepId: string, step: StepOfType<'text'>): void {
  for (const key of step.intro ?? []) turn.say(key);
  const skip: QuickReply[] = step.skipLabel
    ? [
        {
          kind: 'choice',
          label: turn.t(step.skipLabel),
          data: encodeChoice({ kind: 'skip', flow: flow.id, step: stepId }),
        },
      ]
    : [];
  turn.sayText(turn.t(step.prompt), skip);
}
