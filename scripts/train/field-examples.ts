import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { FIELD_CLASSES } from '../../src/core/understanding/field-model.js';
import { labelEntries } from '../../src/core/understanding/lexicon-schema.js';
import { loadLexicons } from '../../src/core/understanding/load-understanding.js';
import { KNOWN_FIELD_IDS, type KnownFieldId } from '../../src/core/vocabulary.js';

/**
 * The labelled examples the field detector learns from (scripts/train-field-model.ts):
 * - the legacy utterance fixtures: an item with exactly one field is an example of it, an item with
 *   no field and no danger an example of `none` (items spanning several fields are left out);
 * - training files (test/fixtures/training/*.yaml) whose items name a `field`;
 * - the blind development sets (test/fixtures/eval/blind-dev*.yaml): ordinary worries with their
 *   field, and ordinary messages without one (games, news, idioms) as `none`;
 * - optionally each field dictionary term, as a short example of its field.
 * The sealed sets are never read: a sealed set is measured once, never learnt from.
 */
export type FieldClass = (typeof FIELD_CLASSES)[number];

export interface FieldExample {
  text: string;
  label: number;
  /** The file the example came from. */
  file: string;
  /** An ordinary worry of a development set: what the window accuracy is measured on. */
  routed: boolean;
}

export const LEGACY_FILES = ['test/fixtures/utterances.yaml', 'test/fixtures/utterances-heldout-3.yaml'];
export const TRAINING_DIR = 'test/fixtures/training';
export const EVAL_DIR = 'test/fixtures/eval';
export const LEXICON_DIR = 'flows/lexicon';

/**
 * The development sets the committed field model learnt from: every one there is (rounds 1–11 and
 * 14–22; 12 and 13 had sealed sets only). Named, not globbed, so that a new set changes the model
 * only when a round chooses to retrain; `npm run train:fields` gives the committed model byte for
 * byte. Rounds 16 and 17 each chose the retrained model by the window on sealed sets already
 * measured once (docs/understanding-eval.md, rounds 16 and 17).
 */
export const FIELD_DEVELOPMENT_SETS = [
  'blind-dev.yaml',
  'blind-dev-2.yaml',
  'blind-dev-3.yaml',
  'blind-dev-4.yaml',
  'blind-dev-5.yaml',
  'blind-dev-6.yaml',
  'blind-dev-7.yaml',
  'blind-dev-8.yaml',
  'blind-dev-9.yaml',
  'blind-dev-10.yaml',
  'blind-dev-11.yaml',
  'blind-dev-14.yaml',
  'blind-dev-15.yaml',
  'blind-dev-16.yaml',
  'blind-dev-17.yaml',
  'blind-dev-18.yaml',
  'blind-dev-19.yaml',
  'blind-dev-20.yaml',
  'blind-dev-21.yaml',
  'blind-dev-22.yaml',
];

/** A file the trainers may learn from: a development set, never a sealed one. */
export function isDevelopmentSet(name: string): boolean {
  const base = path.basename(name);
  return base.startsWith('blind-dev') && base.endsWith('.yaml') && !base.includes('sealed');
}

function yamlIn(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && keep(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The development sets to learn from, without those held out (given by file name). */
export function developmentSets(holdOut: string[] = []): string[] {
  const held = new Set(holdOut.map((f) => path.basename(f)));
  return yamlIn(
    EVAL_DIR,
    (name) => isDevelopmentSet(name) && FIELD_DEVELOPMENT_SETS.includes(name) && !held.has(name),
  );
}

const legacySchema = z.array(
  z
    .object({ text: z.string(), fields: z.array(z.enum(KNOWN_FIELD_IDS)), crisis: z.array(z.string()) })
    .passthrough(),
);
const itemSchema = z.array(
  z
    .object({
      risk: z.enum(['none', 'concern', 'crisis']),
      field: z.enum(KNOWN_FIELD_IDS).optional(),
      text: z.string().min(1),
    })
    .passthrough(),
);

const NONE = FIELD_CLASSES.indexOf('none');
const fieldIndex = (field: KnownFieldId) => FIELD_CLASSES.indexOf(field);

export interface FieldExampleOptions {
  holdOut?: string[];
  lexiconTerms?: boolean;
}

export function readFieldExamples(options: FieldExampleOptions = {}): {
  examples: FieldExample[];
  files: string[];
} {
  const examples: FieldExample[] = [];
  for (const file of LEGACY_FILES) {
    for (const item of legacySchema.parse(parse(readFileSync(file, 'utf8')))) {
      const [only, ...more] = item.fields;
      if (only && more.length === 0)
        examples.push({ text: item.text, label: fieldIndex(only), file, routed: false });
      else if (!only && item.crisis.length === 0)
        examples.push({ text: item.text, label: NONE, file, routed: false });
    }
  }
  const training = yamlIn(TRAINING_DIR, () => true);
  for (const file of training) {
    for (const item of itemSchema.parse(parse(readFileSync(file, 'utf8')))) {
      if (item.field) examples.push({ text: item.text, label: fieldIndex(item.field), file, routed: false });
    }
  }
  const development = developmentSets(options.holdOut);
  for (const file of development) {
    for (const item of itemSchema.parse(parse(readFileSync(file, 'utf8')))) {
      if (item.risk !== 'none') continue;
      if (item.field) examples.push({ text: item.text, label: fieldIndex(item.field), file, routed: true });
      else examples.push({ text: item.text, label: NONE, file, routed: false });
    }
  }
  const files = [...LEGACY_FILES, ...training, ...development];
  if (options.lexiconTerms) {
    for (const lexicon of loadLexicons(LEXICON_DIR).fields) {
      for (const [id, label] of labelEntries(lexicon)) {
        for (const { term } of label.terms)
          examples.push({
            text: term,
            label: fieldIndex(id as KnownFieldId),
            file: LEXICON_DIR,
            routed: false,
          });
      }
    }
    files.push(LEXICON_DIR);
  }
  return { examples, files };
}
