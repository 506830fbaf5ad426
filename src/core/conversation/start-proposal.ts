import type { TextClassification } from '../understanding/classify-text.js';
import type { KnownFieldId, MatchableObservationId } from '../vocabulary.js';

/** Fields this close to the strongest are proposed with it; weaker ones are passing mentions. */
const CLOSE_TO_STRONGEST = 0.7;

export type StartProposal =
  | { kind: 'start-neighbour'; values: MatchableObservationId[] }
  | { kind: 'start-self'; values: KnownFieldId[] };

/**
 * What to offer a resident whose free text starts a consultation: what a neighbour noticed when the
 * text reads as a neighbour's worry, else the fields it is mostly about. A field mentioned in
 * passing ("年金だけでは生活できない" names old age but is about money) is left out, so the proposal
 * names the window a counsellor would pick rather than the coordinator for everything mentioned.
 *
 * Signs a neighbour might notice (lost on the way home, a baby crying for hours, shouting) are also
 * what a daughter tells of her father or a mother of her own night: the neighbour's report is
 * offered only when the text names someone outside the family, or names no field at all.
 */
export function startProposal(result: TextClassification): StartProposal | null {
  const aboutAHousehold = result.namesOutsider || result.fields.length === 0;
  if (result.observations.length > 0 && aboutAHousehold)
    return { kind: 'start-neighbour', values: result.observations };
  const top = result.fields[0];
  if (!top) return null;
  const strongest = result.fieldScores[top] ?? 0;
  const values = result.fields.filter((f) => (result.fieldScores[f] ?? 0) >= strongest * CLOSE_TO_STRONGEST);
  return { kind: 'start-self', values };
}
