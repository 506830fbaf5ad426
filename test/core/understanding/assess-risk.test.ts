import { describe, expect, it } from 'vitest';
import type { RiskSecondOpinion } from '../../../src/core/ports/risk-second-opinion.js';
import { createRiskAssessor } from '../../../src/core/understanding/assess-risk.js';
import type { LexiconRisk, TextClassifier } from '../../../src/core/understanding/classify-text.js';
import type { RiskModel, RiskPrediction } from '../../../src/core/understanding/risk-model.js';

function classifierSaying(risk: Partial<LexiconRisk>): TextClassifier {
  return {
    classify: () => ({ fields: [], fieldScores: {}, patterns: [], observations: [], namesOutsider: false }),
    readRisk: () => ({ crisis: [], concern: [], aboutSomeoneElse: false, frames: [], ...risk }),
    riskViews: () => [],
    features: () => [],
  };
}
const modelSaying = (prediction: Partial<RiskPrediction>): RiskModel => ({
  predict: () => ({ tier: 'none', probabilities: [1, 0, 0], category: 'medical', ...prediction }),
});
const never: RiskSecondOpinion = {
  assess: (_text, signal) =>
    new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
};

describe('createRiskAssessor', () => {
  it('takes the dictionaries alone when there is no model', () => {
    const risk = createRiskAssessor({ classifier: classifierSaying({ concern: ['suicide'] }) });
    expect(risk.assessLocally('x')).toMatchObject({
      tier: 'concern',
      categories: ['suicide'],
      sources: ['lexicon'],
    });
  });

  it('lets either detector raise the tier, and takes the model category only when the dictionaries have none', () => {
    const risk = createRiskAssessor({
      classifier: classifierSaying({ concern: ['suicide'] }),
      model: modelSaying({ tier: 'crisis', category: 'medical' }),
    });
    expect(risk.assessLocally('x')).toMatchObject({
      tier: 'crisis',
      categories: ['suicide', 'medical'],
      sources: ['lexicon', 'model'],
    });
    const lexiconOnly = createRiskAssessor({
      classifier: classifierSaying({ crisis: ['violence'] }),
      model: modelSaying({ tier: 'none' }),
    });
    expect(lexiconOnly.assessLocally('x')).toMatchObject({ tier: 'crisis', categories: ['violence'] });
  });

  it('never lowers what the dictionaries found', () => {
    const risk = createRiskAssessor({
      classifier: classifierSaying({ crisis: ['suicide'] }),
      model: modelSaying({ tier: 'none' }),
    });
    expect(risk.assessLocally('x').tier).toBe('crisis');
  });

  it('lowers a tier only for a frame that shows the danger is not now, unless the danger is present', () => {
    const model = modelSaying({ tier: 'crisis' });
    const tierWith = (frames: LexiconRisk['frames']) =>
      createRiskAssessor({
        classifier: classifierSaying({ crisis: ['suicide'], frames }),
        model,
      }).assessLocally('x').tier;
    expect(tierWith(['resolved_past'])).toBe('none');
    expect(tierWith(['fiction_news'])).toBe('none');
    expect(tierWith(['question'])).toBe('concern');
    expect(tierWith(['negated'])).toBe('concern');
    expect(tierWith(['resolved_past', 'present'])).toBe('crisis');
    expect(tierWith([])).toBe('crisis');
  });

  it('does not ask about control within a relationship told with "no danger now", and lowers nothing else for it', () => {
    const tierWith = (risk: Partial<LexiconRisk>) =>
      createRiskAssessor({ classifier: classifierSaying(risk) }).assessLocally('x').tier;
    expect(tierWith({ concern: ['domestic_violence'], frames: ['safe_now'] })).toBe('none');
    expect(tierWith({ concern: ['domestic_violence', 'violence'], frames: ['safe_now'] })).toBe('none');
    expect(tierWith({ concern: ['domestic_violence'], frames: ['negated'] })).toBe('concern');
    // still asked: the danger is said to be now, or the worry is not only a relationship's
    expect(tierWith({ concern: ['domestic_violence'], frames: ['safe_now', 'present'] })).toBe('concern');
    expect(tierWith({ concern: ['suicide'], frames: ['safe_now'] })).toBe('concern');
    expect(tierWith({ concern: ['domestic_violence', 'suicide'], frames: ['safe_now'] })).toBe('concern');
    // a denied crisis is still asked
    expect(tierWith({ crisis: ['domestic_violence'], frames: ['negated'] })).toBe('concern');
  });

  it("sends a consultation question over a relationship's harm worth asking to the window, never a crisis", () => {
    const tierWith = (risk: Partial<LexiconRisk>) =>
      createRiskAssessor({ classifier: classifierSaying(risk) }).assessLocally('x').tier;
    expect(tierWith({ concern: ['domestic_violence'], frames: ['consultation'] })).toBe('none');
    expect(tierWith({ concern: ['domestic_violence'], frames: ['question'] })).toBe('none');
    // a crisis asking where to get help, a fresh or present harm, or another worry is left as it is
    expect(tierWith({ crisis: ['domestic_violence'], frames: ['consultation'] })).toBe('crisis');
    expect(tierWith({ concern: ['domestic_violence'], frames: ['consultation', 'recent'] })).toBe('concern');
    expect(tierWith({ concern: ['domestic_violence'], frames: ['consultation', 'present'] })).toBe('concern');
    expect(tierWith({ concern: ['suicide'], frames: ['consultation'] })).toBe('concern');
  });

  it("weighs the detector's concern over a message routed to violence as that harm", () => {
    const classifier = (field: 'violence' | 'isolation'): TextClassifier => ({
      ...classifierSaying({ frames: ['safe_now'] }),
      classify: () => ({
        fields: [field],
        fieldScores: {},
        patterns: [],
        observations: [],
        namesOutsider: false,
      }),
    });
    const model = modelSaying({ tier: 'concern', category: 'suicide' });
    expect(createRiskAssessor({ classifier: classifier('violence'), model }).assessLocally('x').tier).toBe(
      'none',
    );
    expect(createRiskAssessor({ classifier: classifier('isolation'), model }).assessLocally('x').tier).toBe(
      'concern',
    );
  });

  it("sends a relationship's violence said to be safe now to the window, unless it is fresh or now", () => {
    const tierWith = (risk: Partial<LexiconRisk>) =>
      createRiskAssessor({ classifier: classifierSaying(risk) }).assessLocally('x').tier;
    expect(tierWith({ crisis: ['domestic_violence'], frames: ['safe_now'] })).toBe('none');
    expect(tierWith({ crisis: ['domestic_violence', 'violence'], frames: ['question', 'safe_now'] })).toBe(
      'none',
    );
    // fresh (昨日, last night): alerted as before, and only a question or denial lowers it, to asking
    expect(tierWith({ crisis: ['domestic_violence'], frames: ['safe_now', 'recent'] })).toBe('crisis');
    expect(tierWith({ crisis: ['domestic_violence'], frames: ['negated', 'safe_now', 'recent'] })).toBe(
      'concern',
    );
    expect(tierWith({ concern: ['domestic_violence'], frames: ['safe_now', 'recent'] })).toBe('concern');
    // the danger said to be now, or a crisis that is not only a relationship's, stays a crisis
    expect(tierWith({ crisis: ['domestic_violence'], frames: ['safe_now', 'present'] })).toBe('crisis');
    expect(tierWith({ crisis: ['suicide'], frames: ['safe_now'] })).toBe('crisis');
    expect(tierWith({ crisis: ['domestic_violence', 'suicide'], frames: ['safe_now'] })).toBe('crisis');
    expect(tierWith({ crisis: ['child_abuse'], frames: ['question', 'safe_now'] })).toBe('concern');
    // `recent` alone lowers nothing
    expect(tierWith({ crisis: ['domestic_violence'], frames: ['recent'] })).toBe('crisis');
  });

  it('lets a care situation lower only what the detector alone saw, unless it is fresh', () => {
    const tierOf = (risk: Partial<LexiconRisk>, model: RiskPrediction['tier']) =>
      createRiskAssessor({
        classifier: classifierSaying(risk),
        model: modelSaying({ tier: model }),
      }).assessLocally('x').tier;
    expect(tierOf({ frames: ['care_situation'] }, 'crisis')).toBe('none');
    expect(tierOf({ frames: ['care_situation'] }, 'concern')).toBe('none');
    expect(tierOf({ frames: ['care_situation', 'present'] }, 'crisis')).toBe('none');
    // fresh, or seen by the dictionaries: never lowered by it
    expect(tierOf({ frames: ['care_situation', 'recent'] }, 'crisis')).toBe('crisis');
    expect(tierOf({ crisis: ['medical'], frames: ['care_situation'] }, 'none')).toBe('crisis');
    expect(tierOf({ concern: ['elder_abuse'], frames: ['care_situation'] }, 'crisis')).toBe('crisis');
    expect(tierOf({ concern: ['elder_abuse'], frames: ['care_situation'] }, 'none')).toBe('concern');
    // it is no frame of its own for the others: it lowers no dictionary crisis to concern
    expect(tierOf({ crisis: ['suicide'], frames: ['care_situation'] }, 'crisis')).toBe('crisis');
  });

  it('asks the second opinion only below crisis, and lets it raise but never lower', async () => {
    let asked = 0;
    const raising: RiskSecondOpinion = {
      assess: async () => {
        asked++;
        return { tier: 'crisis', categories: ['domestic_violence'] };
      },
    };
    const onCrisis = createRiskAssessor({
      classifier: classifierSaying({ crisis: ['suicide'] }),
      secondOpinion: raising,
    });
    expect((await onCrisis.assess('x')).sources).toEqual(['lexicon']);
    expect(asked).toBe(0);

    const raised = createRiskAssessor({ classifier: classifierSaying({}), secondOpinion: raising });
    expect(await raised.assess('x')).toMatchObject({
      tier: 'crisis',
      categories: ['domestic_violence'],
      sources: ['second-opinion'],
    });

    const lowering: RiskSecondOpinion = { assess: async () => ({ tier: 'none', categories: [] }) };
    const kept = createRiskAssessor({
      classifier: classifierSaying({ concern: ['suicide'] }),
      secondOpinion: lowering,
    });
    expect((await kept.assess('x')).tier).toBe('concern');
  });

  it('keeps the local answer when the second opinion fails or runs past its budget', async () => {
    const outcomes: string[] = [];
    const slow = createRiskAssessor({
      classifier: classifierSaying({ concern: ['suicide'] }),
      secondOpinion: never,
      secondOpinionBudgetMs: 20,
      onSecondOpinion: (o) => outcomes.push(o),
    });
    expect((await slow.assess('x')).tier).toBe('concern');
    const failing = createRiskAssessor({
      classifier: classifierSaying({}),
      secondOpinion: { assess: async () => Promise.reject(new Error('boom')) },
      onSecondOpinion: (o) => outcomes.push(o),
    });
    expect((await failing.assess('x')).tier).toBe('none');
    expect(outcomes).toEqual(['failed', 'failed']);
  });
});
