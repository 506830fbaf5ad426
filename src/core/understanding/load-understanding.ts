import path from 'node:path';
import { createTextClassifier, type TextClassifier } from './classify-text.js';
import { loadLexicon } from './lexicon-schema.js';

/**
 * Builds the classifier from the four lexicon files; throws a LexiconError if any is invalid.
 * The default directory is relative to where the service is started (the repository root).
 */
export function loadUnderstanding(dir: string = path.resolve('flows/lexicon')): TextClassifier {
  return createTextClassifier({
    fields: loadLexicon(path.join(dir, 'fields.yaml'), 'fields'),
    patterns: loadLexicon(path.join(dir, 'patterns.yaml'), 'patterns'),
    observations: loadLexicon(path.join(dir, 'observations.yaml'), 'observations'),
    crisis: loadLexicon(path.join(dir, 'crisis.yaml'), 'crisis'),
  });
}
