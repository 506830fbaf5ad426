import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type MorphAnalyzer, noMorphAnalyzer } from '../ports/morph-analyzer.js';
import { LOCALES } from '../vocabulary.js';
import { createTextClassifier, type Lexicons, type TextClassifier } from './classify-text.js';
import type { FieldModel } from './field-model.js';
import { type LexiconFile, loadLexicon } from './lexicon-schema.js';

/** Every lexicon file under `dir` (flows/lexicon/*.yaml and one folder per language), sorted by path. */
export function lexiconFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => path.join(dir, name))
    .sort();
}

/** Loads and groups every lexicon file by kind; throws a LexiconError naming the first invalid file. */
export function loadLexicons(dir: string): Lexicons {
  const lexicons: Lexicons = {
    fields: [],
    patterns: [],
    observations: [],
    crisis: [],
    concern: [],
    speaker: [],
    frames: [],
    rewrites: [],
  };
  for (const file of lexiconFiles(dir)) {
    const lexicon: LexiconFile = loadLexicon(file);
    const folder = path.relative(dir, path.dirname(file)).split(path.sep)[0];
    const language = lexicon.language ?? LOCALES.find((l) => l === folder) ?? 'ja';
    (lexicons[lexicon.kind] as LexiconFile[]).push({ ...lexicon, language });
  }
  return lexicons;
}

/**
 * Builds the classifier from the lexicon files (and the field detector, when given); throws a
 * LexiconError if any file is invalid.
 * The default directory is relative to where the service is started (the repository root).
 */
export function loadUnderstanding(
  dir: string = path.resolve('flows/lexicon'),
  analyzer: MorphAnalyzer = noMorphAnalyzer,
  fieldModel?: FieldModel,
): TextClassifier {
  return createTextClassifier(loadLexicons(dir), analyzer, fieldModel);
}
