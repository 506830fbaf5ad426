import path from 'node:path';
import { createRiskAssessor } from '../../src/core/understanding/assess-risk.js';
import { loadFieldModel } from '../../src/core/understanding/field-model.js';
import { loadUnderstanding } from '../../src/core/understanding/load-understanding.js';
import { loadRiskModel } from '../../src/core/understanding/risk-model.js';
import { sharedLinderaMorphAnalyzer } from '../../src/understanding/lindera-morph-analyzer.js';
import type { UnderstandingUnderTest } from './evaluate-understanding.js';

/**
 * The service's own understanding, built as service.ts builds it (dictionaries with the Japanese
 * analyser, and the statistical detector), without the optional second opinion.
 * `model: false` measures the dictionaries alone; `fieldModel` names another field model file (one
 * trained with a development set held out) or `false` for routing by the dictionaries alone.
 */
export function loadUnderstandingUnderTest(
  root = process.cwd(),
  options: { model?: boolean; fieldModel?: string | false } = {},
): UnderstandingUnderTest {
  const fieldModel =
    options.model === false || options.fieldModel === false
      ? undefined
      : loadFieldModel(options.fieldModel ?? path.join(root, 'flows', 'model', 'field-model.json'));
  const classifier = loadUnderstanding(
    path.join(root, 'flows', 'lexicon'),
    sharedLinderaMorphAnalyzer(),
    fieldModel,
  );
  const model =
    options.model === false ? undefined : loadRiskModel(path.join(root, 'flows', 'model', 'risk-model.json'));
  const risk = createRiskAssessor({ classifier, model });
  return {
    assess: (text, profileLanguage) => risk.assessLocally(text, profileLanguage),
    classify: (text) => classifier.classify(text),
  };
}
