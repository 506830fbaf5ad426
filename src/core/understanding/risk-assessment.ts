import type { CrisisCategory, Locale } from '../vocabulary.js';

/**
 * How much danger one message suggests, decided on every message in every state:
 * - `crisis`: danger now; the safety message goes out at once and staff are alerted;
 * - `concern`: possible risk; the resident is asked directly and kindly whether they are in danger;
 * - `none`.
 */
export const RISK_TIERS = ['none', 'concern', 'crisis'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

/** What raised the tier, for staff, metrics and the evaluation; never the words themselves. */
export type RiskSource = 'lexicon' | 'model' | 'second-opinion';

export interface RiskAssessment {
  tier: RiskTier;
  /** Strongest first; empty for `none`. */
  categories: CrisisCategory[];
  /** The writer is worried about someone else (友達が, my neighbour): the reply speaks about that person. */
  aboutSomeoneElse: boolean;
  /** The language the text is written in, when it can be told; it may differ from the profile's. */
  language: Locale | undefined;
  sources: RiskSource[];
}

export const NO_RISK: RiskAssessment = {
  tier: 'none',
  categories: [],
  aboutSomeoneElse: false,
  language: undefined,
  sources: [],
};

export function tierRank(tier: RiskTier): number {
  return RISK_TIERS.indexOf(tier);
}

export function higherTier(a: RiskTier, b: RiskTier): RiskTier {
  return tierRank(a) >= tierRank(b) ? a : b;
}
