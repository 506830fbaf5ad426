import { answerText } from '../cases/answer-values.js';
import { INTAKE_FIELDS, type Intake, SUBJECTS } from '../cases/intake.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import { resolveArea } from '../municipality/route-to-window.js';
import type { IntakeBindings, StepOfType } from './flow-schema.js';
import type { SessionState } from './session-state.js';

/** The intake fields a flow can bind: the bindings schema and the intake must agree. */
type BindableField = Exclude<keyof IntakeBindings, 'ownWords'>;
const BINDABLE: Record<BindableField, true> = {
  fields: true,
  observations: true,
  urgency: true,
  contact: true,
  phone: true,
  area: true,
  location: true,
};

export interface BoundIntake {
  intake: Intake;
  /** Everything the resident wrote in their own words: outside questions first, then the answer. */
  ownWords: string | undefined;
}

/**
 * Maps a flow's answers into the case's intake through the handoff step's bindings, with what the
 * engine heard beside them. A value the intake does not accept is left out (loadFlows has checked
 * the option ids, so that only happens with stale session data).
 */
export function bindIntake(
  step: StepOfType<'handoff'>,
  state: Pick<SessionState, 'answers' | 'heard'>,
  config: Pick<MunicipalityConfig, 'areas'>,
): BoundIntake {
  const { answers, heard } = state;
  const origin = step.origin;
  const subject =
    typeof origin === 'string' ? origin : SUBJECTS.find((s) => s === answerText(answers[origin.answer]));
  const raw: Record<string, unknown> = { subject: subject ?? 'self' };
  for (const name of Object.keys(BINDABLE) as BindableField[]) {
    const answer = step.intake[name];
    if (answer !== undefined) raw[name] = answers[answer];
  }
  // Typed text that names one of the city's areas is routed by it; other text stays as written.
  const areaText = answerText(raw.area);
  if (areaText !== undefined) {
    const area = resolveArea(config, areaText);
    raw.area = area;
    if (!area && areaText !== answerText(raw.location)) raw.areaText = areaText;
  }
  raw.attachments = heard.attachments;
  raw.concern = heard.concern;

  const intake: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const parsed = INTAKE_FIELDS[name as keyof typeof INTAKE_FIELDS].schema.safeParse(value);
    if (parsed.success && !(Array.isArray(parsed.data) && parsed.data.length === 0))
      intake[name] = parsed.data;
  }
  const ownWordsAnswer = step.intake.ownWords ? answerText(answers[step.intake.ownWords]) : undefined;
  const words = [heard.words, ownWordsAnswer].filter((w): w is string => Boolean(w));
  return {
    intake: intake as Intake,
    ownWords: words.length > 0 ? [...new Set(words)].join('\n') : undefined,
  };
}
