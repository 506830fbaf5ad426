import { startProposal } from '../../src/core/conversation/start-proposal.js';
import type { MunicipalityConfig } from '../../src/core/municipality/municipality-config-schema.js';
import { routeToWindow } from '../../src/core/municipality/route-to-window.js';
import type { TextClassification } from '../../src/core/understanding/classify-text.js';
import { type RiskAssessment, tierRank } from '../../src/core/understanding/risk-assessment.js';
import type { BlindItem } from './blind-set.js';

/** What the evaluation needs of the service's understanding: the two questions asked of a first message. */
export interface UnderstandingUnderTest {
  assess(text: string, profileLanguage: string): RiskAssessment;
  classify(text: string): TextClassification;
}

export interface ItemResult {
  item: BlindItem;
  tier: RiskAssessment['tier'];
  sources: RiskAssessment['sources'];
  /** The window the first proposal leads to, for ordinary worries with a field. */
  window?: string;
  expectedWindow?: string;
}

export interface Rate {
  hits: number;
  total: number;
}

export interface Evaluation {
  results: ItemResult[];
  crisisReachNumbers: Rate;
  crisisReachCrisis: Rate;
  concernReachNumbers: Rate;
  ordinaryConcern: Rate;
  ordinaryCrisis: Rate;
  windowAccuracy: Rate;
}

const rate = (results: ItemResult[], hit: (r: ItemResult) => boolean): Rate => ({
  hits: results.filter(hit).length,
  total: results.length,
});

export const ratio = ({ hits, total }: Rate): number => (total === 0 ? Number.NaN : hits / total);

/** The window a resident's first message is proposed for, as the engine proposes it (see proposeStart). */
export function firstProposalWindow(config: MunicipalityConfig, result: TextClassification): string {
  const proposal = startProposal(result);
  if (proposal?.kind === 'start-neighbour') {
    return routeToWindow(config, {
      fields: result.fields,
      patterns: result.patterns,
      observations: proposal.values,
      origin: 'neighbour',
    }).windowId;
  }
  return routeToWindow(config, {
    fields: proposal?.values ?? ['unknown'],
    patterns: result.patterns,
    origin: 'self',
  }).windowId;
}

export function evaluate(
  understanding: UnderstandingUnderTest,
  config: MunicipalityConfig,
  items: BlindItem[],
): Evaluation {
  const results: ItemResult[] = items.map((item) => {
    const assessment = understanding.assess(item.text, item.profile ?? item.lang);
    const result: ItemResult = { item, tier: assessment.tier, sources: assessment.sources };
    if (item.risk === 'none' && item.field) {
      result.window = firstProposalWindow(config, understanding.classify(item.text));
      result.expectedWindow = routeToWindow(config, {
        fields: [item.field],
        patterns: [],
        origin: 'self',
      }).windowId;
    }
    return result;
  });
  return summarize(results);
}

export function summarize(results: ItemResult[]): Evaluation {
  const of = (risk: BlindItem['risk']) => results.filter((r) => r.item.risk === risk);
  const atLeast = (tier: RiskAssessment['tier']) => (r: ItemResult) => tierRank(r.tier) >= tierRank(tier);
  const routed = results.filter((r) => r.expectedWindow !== undefined);
  return {
    results,
    crisisReachNumbers: rate(of('crisis'), atLeast('concern')),
    crisisReachCrisis: rate(of('crisis'), atLeast('crisis')),
    concernReachNumbers: rate(of('concern'), atLeast('concern')),
    ordinaryConcern: rate(of('none'), (r) => r.tier === 'concern'),
    ordinaryCrisis: rate(of('none'), (r) => r.tier === 'crisis'),
    windowAccuracy: rate(routed, (r) => r.window === r.expectedWindow),
  };
}
