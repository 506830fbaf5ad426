import { encodeChoice } from '../conversation/choice-data.js';
import type { QuickReply } from '../ports/outgoing-message.js';
import type { Translate } from '../ports/translator.js';

/** The optional 1-5 satisfaction question after a case is closed. */
export function ratingChoices(caseId: string, t: Translate): QuickReply[] {
  return [5, 4, 3, 2, 1].map((score) => ({
    kind: 'choice',
    label: t(`handoff.rating.${score}`),
    data: encodeChoice({ kind: 'rating', caseId, score }),
  }));
}
