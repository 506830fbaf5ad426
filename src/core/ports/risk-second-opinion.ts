import type { RiskTier } from '../understanding/risk-assessment.js';
import type { CrisisCategory } from '../vocabulary.js';

/**
 * An optional external classifier (for example a model the city runs itself behind an
 * OpenAI-compatible endpoint). It is asked only when the local detectors found less than a crisis,
 * within a short budget; it can raise a tier, never lower one.
 */
export interface SecondOpinion {
  tier: RiskTier;
  categories: CrisisCategory[];
}

export interface RiskSecondOpinion {
  /** Resolves null when it has no usable answer; must stop when `signal` aborts. */
  assess(text: string, signal: AbortSignal): Promise<SecondOpinion | null>;
}
