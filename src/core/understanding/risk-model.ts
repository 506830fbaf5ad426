import { z } from 'zod';
import { CodedError } from '../coded-error.js';
import { CRISIS_CATEGORIES, type CrisisCategory } from '../vocabulary.js';
import { readModelFile } from './model-file.js';
import { RISK_TIERS, type RiskTier } from './risk-assessment.js';

/**
 * The statistical second detector: two small multinomial logistic regressions over the features of
 * risk-features.ts, one for the tier (none / concern / crisis) and one for the category, trained by
 * `npm run train` (scripts/train-risk-model.ts) from the labelled fixtures. It generalises beyond the
 * dictionaries' exact phrases; combined with them, either can raise a tier (assess-risk.ts).
 */
const weightsSchema = z.record(z.string(), z.array(z.number()));

export const riskModelFileSchema = z.strictObject({
  version: z.literal(1),
  tiers: z.tuple([z.literal('none'), z.literal('concern'), z.literal('crisis')]),
  categories: z.array(z.enum(CRISIS_CATEGORIES)),
  tierBias: z.array(z.number()).length(3),
  tierWeights: weightsSchema,
  categoryBias: z.array(z.number()),
  categoryWeights: weightsSchema,
  /** p(crisis) at or over `crisis` raises crisis; p(concern) + p(crisis) at or over `concern` raises concern. */
  thresholds: z.strictObject({ crisis: z.number().min(0).max(1), concern: z.number().min(0).max(1) }),
  trainedOn: z.strictObject({
    items: z.number().int(),
    files: z.array(z.string()),
    features: z.number().int(),
  }),
});
export type RiskModelFile = z.infer<typeof riskModelFileSchema>;

export interface RiskPrediction {
  tier: RiskTier;
  /** Probabilities in RISK_TIERS order. */
  probabilities: number[];
  /** The most likely category, if the text were a risk. */
  category: CrisisCategory;
}

export interface RiskModel {
  predict(features: string[]): RiskPrediction;
}

export function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * A model's weights as the process keeps them: each feature's row number, and every row in one
 * Float64Array. The file's record of arrays, kept as it is, takes about three times the heap
 * (the risk and field models: 24 MB as records).
 */
export interface WeightTable {
  rows: Map<string, number>;
  values: Float64Array;
  width: number;
}

export function weightTable(weights: Record<string, number[]>, width: number): WeightTable {
  const features = Object.keys(weights);
  const rows = new Map<string, number>();
  const values = new Float64Array(features.length * width);
  features.forEach((feature, row) => {
    rows.set(feature, row);
    values.set((weights[feature] as number[]).slice(0, width), row * width);
  });
  return { rows, values, width };
}

export function linearScores(bias: number[], table: WeightTable, features: string[]): number[] {
  const scores = [...bias];
  for (const feature of features) {
    const row = table.rows.get(feature);
    if (row === undefined) continue;
    const at = row * table.width;
    for (let k = 0; k < scores.length && k < table.width; k++)
      scores[k] = (scores[k] as number) + (table.values[at + k] as number);
  }
  return scores;
}

export function createRiskModel(file: RiskModelFile): RiskModel {
  // Only the tables and the small fields are kept: the file's records become garbage.
  const { tierBias, categoryBias, categories, thresholds } = file;
  const tierWeights = weightTable(file.tierWeights, tierBias.length);
  const categoryWeights = weightTable(file.categoryWeights, categoryBias.length);
  return {
    predict(features) {
      const probabilities = softmax(linearScores(tierBias, tierWeights, features));
      const [, concern = 0, crisis = 0] = probabilities;
      const tier: RiskTier =
        crisis >= thresholds.crisis ? 'crisis' : concern + crisis >= thresholds.concern ? 'concern' : 'none';
      const categoryScores = linearScores(categoryBias, categoryWeights, features);
      const best = categoryScores.indexOf(Math.max(...categoryScores));
      return { tier, probabilities, category: categories[best] ?? 'suicide' };
    },
  };
}

export class RiskModelError extends CodedError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('RISK_MODEL_INVALID', 'permanent', `${file}: ${message}`, options);
  }
}

export function loadRiskModel(filePath: string): RiskModel {
  return createRiskModel(
    readModelFile(
      filePath,
      riskModelFileSchema,
      (message, cause) => new RiskModelError(filePath, message, { cause }),
    ),
  );
}

export { RISK_TIERS };
