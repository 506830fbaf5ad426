import { z } from 'zod';
import { CodedError } from '../coded-error.js';
import { KNOWN_FIELD_IDS, type KnownFieldId } from '../vocabulary.js';
import { readModelFile } from './model-file.js';
import { linearScores, softmax, weightTable } from './risk-model.js';

/**
 * The statistical field detector: a small multinomial logistic regression over the features of
 * risk-features.ts (character sequences of the text and its readings, dictionary forms, Latin words)
 * that says which window an ordinary worry is about, with a last class `none` for messages about no
 * field at all. Trained by `npm run train` (scripts/train-field-model.ts) from the labelled fixtures.
 * The dictionaries stay first: the model's probabilities are added to their scores (classify-text.ts
 * through `withFieldModel`), so it decides where they are silent or split and lets wording no
 * dictionary lists ("每天都没人说话") still reach its window; where they name one field clearly ahead
 * of the others (`combine.dictionaryLead`), it adds nothing. It never reads or changes risk.
 */
const FIELD_CLASSES = [...KNOWN_FIELD_IDS, 'none'] as const;

const weightsSchema = z.record(z.string(), z.array(z.number()).length(FIELD_CLASSES.length));

export const fieldModelFileSchema = z.strictObject({
  version: z.literal(1),
  classes: z.tuple([
    z.literal('elderly'),
    z.literal('disability'),
    z.literal('children'),
    z.literal('livelihood'),
    z.literal('isolation'),
    z.literal('violence'),
    z.literal('none'),
  ]),
  bias: z.array(z.number()).length(FIELD_CLASSES.length),
  weights: weightsSchema,
  /** How the probabilities join the dictionaries' scores (see `withFieldModel`). */
  combine: z.strictObject({
    /** A field's probability at or over this adds to its score. */
    minProbability: z.number().min(0).max(1),
    /** What a probability of 1 is worth against the dictionaries' weights. */
    weight: z.number().min(0),
    /**
     * When the dictionaries' top field scores at least this much over their runner-up (or over
     * nothing, when it is the only one), the model adds nothing: the dictionaries named the field and
     * a confident model may not outvote them ("chồng" in a care-insurance question, a dorm in a rent
     * question). Silent or split dictionaries are decided with the model as before. Chosen on wording
     * the dictionaries had not been tuned on (docs/understanding-eval.md, round 15); absent, the model
     * adds wherever it is confident enough, whatever the dictionaries' lead (the rule until round 14).
     */
    dictionaryLead: z.number().positive().optional(),
  }),
  trainedOn: z.strictObject({
    items: z.number().int(),
    files: z.array(z.string()),
    features: z.number().int(),
  }),
});
export type FieldModelFile = z.infer<typeof fieldModelFileSchema>;

export interface FieldModel {
  /** The probability of each known field (KNOWN_FIELD_IDS order; `none` takes the rest). */
  predict(features: string[]): number[];
  readonly combine: FieldModelFile['combine'];
}

export function createFieldModel(file: FieldModelFile): FieldModel {
  // Only the table and the small fields are kept: the file's record becomes garbage.
  const { bias, combine } = file;
  const weights = weightTable(file.weights, FIELD_CLASSES.length);
  return {
    predict: (features) => softmax(linearScores(bias, weights, features)).slice(0, KNOWN_FIELD_IDS.length),
    combine,
  };
}

/** How far the dictionaries' top field scores over their runner-up (0 when they are silent). */
export function dictionaryLead(scores: Map<KnownFieldId, number>): number {
  const [top = 0, second = 0] = [...scores.values()].sort((a, b) => b - a);
  return Math.max(top, 0) - Math.max(second, 0);
}

/**
 * The dictionaries' field scores with the model's probabilities added: a field the model holds
 * likely enough gains `weight × probability`, so the model chooses among fields the dictionaries
 * scored alike, and proposes one alone where they found none. Where the dictionaries lead by
 * `combine.dictionaryLead` or more, their scores stand as they are.
 */
export function withFieldModel(
  scores: Map<KnownFieldId, number>,
  probabilities: number[],
  combine: FieldModelFile['combine'],
): Map<KnownFieldId, number> {
  const combined = new Map(scores);
  if (combine.dictionaryLead !== undefined && dictionaryLead(scores) >= combine.dictionaryLead)
    return combined;
  KNOWN_FIELD_IDS.forEach((field, i) => {
    const p = probabilities[i] ?? 0;
    if (combine.weight > 0 && p >= combine.minProbability)
      combined.set(field, (combined.get(field) ?? 0) + combine.weight * p);
  });
  return combined;
}

export class FieldModelError extends CodedError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('FIELD_MODEL_INVALID', 'permanent', `${file}: ${message}`, options);
  }
}

export function loadFieldModel(filePath: string): FieldModel {
  return createFieldModel(
    readModelFile(
      filePath,
      fieldModelFileSchema,
      (message, cause) => new FieldModelError(filePath, message, { cause }),
    ),
  );
}

export { FIELD_CLASSES };
