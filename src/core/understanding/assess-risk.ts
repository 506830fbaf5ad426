import type { Logger } from '../../logger.js';
import type { RiskSecondOpinion } from '../ports/risk-second-opinion.js';
import type { CrisisCategory, FrameId } from '../vocabulary.js';
import type { TextClassifier } from './classify-text.js';
import { detectLanguage } from './detect-language.js';
import {
  higherTier,
  type RiskAssessment,
  type RiskSource,
  type RiskTier,
  tierRank,
} from './risk-assessment.js';
import type { RiskModel } from './risk-model.js';

export interface RiskAssessorDeps {
  classifier: TextClassifier;
  /** The statistical detector; without it only the dictionaries decide. */
  model?: RiskModel | undefined;
  secondOpinion?: RiskSecondOpinion | undefined;
  /** How long the second opinion may take before the local answer stands (default 1.5 s). */
  secondOpinionBudgetMs?: number;
  logger?: Logger;
  onSecondOpinion?: (outcome: 'raised' | 'agreed' | 'failed') => void;
}

export interface RiskAssessor {
  /** Dictionaries and the statistical detector, synchronously. */
  assessLocally(text: string, profileLanguage?: string): RiskAssessment;
  /** The local answer, raised by the second opinion when one is configured and the local answer is not a crisis. */
  assess(text: string, profileLanguage?: string): Promise<RiskAssessment>;
}

const unique = <T>(items: T[]) => [...new Set(items)];

/** Harm within a relationship that a resident may tell as a consultation, without danger now. */
const RELATIONSHIP_HARMS: ReadonlySet<CrisisCategory> = new Set(['domestic_violence', 'violence']);

/**
 * The explicit excludes of the dictionaries' frames (frames.yaml): history that is over and fiction
 * or news are not danger now; a question about a word or a denied danger is at most worth asking
 * about. Any sign that the danger is now (`present`: また, 今も, again) keeps the tier as it is.
 *
 * Harm within a relationship (a partner's or family member's violence or control) told with a plain
 * "safe now" (`safe_now`: 今は安全です, we live apart now, he never hit me) goes to the consultation
 * window, not to the safety question or a staff alert, unless the harm is fresh (`recent`: 昨日,
 * last night) - then only an explicit question, denial or history frame lowers it, as for any tier.
 * The same harm worth only the safety question (no crisis phrase, nothing fresh) told with a question
 * or with a request for where to consult (`consultation`: どこに相談すれば, is there a shelter, 有中文吗)
 * goes to the consultation window too; `consultation` lowers nothing else (a crisis asking where to
 * get help is still a crisis).
 * `safe_now` never lowers anything else ("死にたい、今は大丈夫" is still a crisis).
 */
function lowerForFrames(tier: RiskTier, allFrames: FrameId[], categories: CrisisCategory[]): RiskTier {
  // `care_situation` lowers only what the detector alone saw (lowerForCareSituation).
  const frames = allFrames.filter((frame) => frame !== 'care_situation');
  if (frames.length === 0 || frames.includes('present')) return tier;
  let lowered = tier;
  if (frames.some((frame) => frame !== 'safe_now' && frame !== 'recent' && frame !== 'consultation')) {
    const ceiling: RiskTier =
      frames.includes('resolved_past') || frames.includes('fiction_news') ? 'none' : 'concern';
    if (tierRank(lowered) > tierRank(ceiling)) lowered = ceiling;
  }
  const saysSafeNow = frames.includes('safe_now') && !frames.includes('recent');
  const onlyRelationshipHarm =
    categories.length > 0 && categories.every((category) => RELATIONSHIP_HARMS.has(category));
  const asksWhereToConsult =
    (frames.includes('question') || frames.includes('consultation')) &&
    !frames.includes('recent') &&
    tier === 'concern';
  return (saysSafeNow || asksWhereToConsult) && onlyRelationshipHarm ? 'none' : lowered;
}

/**
 * A care or welfare arrangement told as such (`care_situation`: a nursing-home waiting list, a
 * discharge from hospital, day service, a sheltered workshop) is the ordinary business of the
 * windows, which it reaches by its field: a tier that the statistical detector alone raised over it
 * (no crisis or concern phrase of the dictionaries) is not kept, unless what happened is fresh
 * (`recent`). A phrase of the dictionaries (a fall with no answer, a person with dementia gone
 * missing in the cold, bruises on someone in care) is never lowered by it. Lowering only to concern
 * was tried first: it moved alerts into questions past the asked ceilings of the sealed sets.
 */
function lowerForCareSituation(tier: RiskTier, frames: FrameId[], dictionariesSawRisk: boolean): RiskTier {
  if (tier === 'none' || dictionariesSawRisk) return tier;
  return frames.includes('care_situation') && !frames.includes('recent') ? 'none' : tier;
}

/**
 * Decides the risk tier of one message: the dictionaries (crisis and concern phrases, situation
 * patterns) and the statistical detector each propose a tier and either can raise it; only an
 * explicit exclude in the dictionaries can lower what they see. Categories come from the
 * dictionaries first, then from the detector.
 */
export function createRiskAssessor(deps: RiskAssessorDeps): RiskAssessor {
  const budget = deps.secondOpinionBudgetMs ?? 1500;

  function assessLocally(text: string, profileLanguage?: string): RiskAssessment {
    const lexicon = deps.classifier.readRisk(text);
    const sources: RiskSource[] = [];
    const dictionariesSawRisk = lexicon.crisis.length > 0 || lexicon.concern.length > 0;
    let tier: RiskTier = lexicon.crisis.length > 0 ? 'crisis' : dictionariesSawRisk ? 'concern' : 'none';
    if (dictionariesSawRisk) sources.push('lexicon');
    let categories: CrisisCategory[] = [...lexicon.crisis, ...lexicon.concern];
    if (deps.model) {
      const prediction = deps.model.predict(deps.classifier.features(text));
      if (tierRank(prediction.tier) > tierRank(tier)) {
        tier = prediction.tier;
        sources.push('model');
        categories = unique([...categories, prediction.category]);
      }
    }
    // The detector alone names no harm the frames can weigh; a concern it raises over a message the
    // dictionaries route to the violence field (a partner's violence named without a sign of danger)
    // is weighed as that harm, so "safe now" or a consultation question lowers it as it would the
    // dictionaries' own.
    const detectorOnlyConcern = tier === 'concern' && !dictionariesSawRisk;
    const weighedAs =
      detectorOnlyConcern &&
      lexicon.frames.length > 0 &&
      deps.classifier.classify(text).fields[0] === 'violence'
        ? (['violence'] as CrisisCategory[])
        : categories;
    tier = lowerForFrames(tier, lexicon.frames, weighedAs);
    tier = lowerForCareSituation(tier, lexicon.frames, dictionariesSawRisk);
    return {
      tier,
      categories: tier === 'none' ? [] : categories,
      aboutSomeoneElse: lexicon.aboutSomeoneElse,
      language: detectLanguage(text, profileLanguage),
      sources,
    };
  }

  async function assess(text: string, profileLanguage?: string): Promise<RiskAssessment> {
    const local = assessLocally(text, profileLanguage);
    if (!deps.secondOpinion || local.tier === 'crisis') return local;
    try {
      const opinion = await deps.secondOpinion.assess(text, AbortSignal.timeout(budget));
      if (!opinion || tierRank(opinion.tier) <= tierRank(local.tier)) {
        deps.onSecondOpinion?.(opinion ? 'agreed' : 'failed');
        return local;
      }
      deps.onSecondOpinion?.('raised');
      return {
        ...local,
        tier: higherTier(local.tier, opinion.tier),
        categories: unique([...local.categories, ...opinion.categories]),
        sources: [...local.sources, 'second-opinion'],
      };
    } catch (error) {
      // Never the text: only that the second opinion was not had, and why.
      deps.logger?.warn(
        { err: { name: (error as Error).name, code: (error as { code?: string }).code } },
        'risk second opinion failed',
      );
      deps.onSecondOpinion?.('failed');
      return local;
    }
  }

  return { assess, assessLocally };
}
