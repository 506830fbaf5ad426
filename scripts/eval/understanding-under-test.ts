import path from 'node:path';
import { createRiskAssessor } from '../../src/core/understanding/assess-risk.js';
import { loadUnderstanding } from '../../src/core/understanding/load-understanding.js';
import { loadRiskModel } from '../../src/core/understanding/risk-model.js';
import { sharedLinderaMorphAnalyzer } from '../../src/understanding/lindera-morph-analyzer.js';
import type { UnderstandingUnderTest } from './evaluate-understanding.js';

/**
 * The service's own understanding, built as service.ts builds it (dictionaries with the Japanese
 * analyser, and the statistical detector), without the optional second opinion.
 * `model: false` measures the dictionaries alone.
 */
export function loadUnderstandingUnderTest(
  root = process.cwd(),
  options: { model?: boolean } = {},
): UnderstandingUnderTest {
  const classifier = loadUnderstanding(path.join(root, 'flows', 'lexicon'), sharedLinderaMorphAnalyzer());
  const model =
    options.model === false ? undefined : loadRiskModel(path.join(root, 'flows', 'model', 'risk-model.json'));
  const risk = createRiskAssessor({ classifier, model });
  return {
    assess: (text, profileLanguage) => risk.assessLocally(text, profileLanguage),
    classify: (text) => classifier.classify(text),
  };
}
