import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { QuickReply } from '../ports/outgoing-message.js';
import type { RiskAssessment } from '../understanding/risk-assessment.js';
import type { CrisisCategory } from '../vocabulary.js';
import { encodeChoice, SAFETY_ANSWERS } from './choice-data.js';
import { callButtons } from './render-step.js';
import type { Turn } from './turn.js';

/** Harm done by someone: the question is about feeling unsafe rather than wanting to die. */
const HARM: CrisisCategory[] = ['violence', 'domestic_violence', 'child_abuse', 'elder_abuse'];

function questionKey(risk: Pick<RiskAssessment, 'categories' | 'aboutSomeoneElse'>): string {
  if (risk.aboutSomeoneElse) return 'safety-check.question.someone-else';
  const [first] = risk.categories;
  if (first === 'medical') return 'safety-check.question.medical';
  if (first && HARM.includes(first)) return 'safety-check.question.harm';
  return 'safety-check.question.suicide';
}

/**
 * The concern tier's answer: ask directly and kindly, as gatekeeper training teaches
 * ("いま、死にたいほどつらい気持ちがありますか?"), with answer buttons and the 24-hour numbers one
 * tap away. The words wait in the session until the answer decides where they go.
 */
export function askSafetyQuestion(
  turn: Turn,
  config: MunicipalityConfig,
  risk: Pick<RiskAssessment, 'categories' | 'aboutSomeoneElse'>,
  words: string,
  firstMessage: boolean,
): void {
  turn.state.safetyCheck = {
    categories: risk.categories,
    aboutSomeoneElse: risk.aboutSomeoneElse,
    words,
    firstMessage,
  };
  turn.state.proposal = undefined;
  const answers: QuickReply[] = SAFETY_ANSWERS.map((answer) => ({
    kind: 'choice',
    label: turn.t(`safety-check.answer.${answer}`),
    data: encodeChoice({ kind: 'safety', answer }),
  }));
  const allDay = config.emergencyNumbers.filter(
    (n) => n.twentyFourHours && (n.phone === '119' || n.categories.some((c) => risk.categories.includes(c))),
  );
  turn.sayText(
    [turn.t('safety-check.thanks'), turn.t(questionKey(risk)), turn.t('safety-check.numbers')].join('\n\n'),
    [...answers, ...callButtons(allDay, turn.language)].slice(0, 13),
  );
}
