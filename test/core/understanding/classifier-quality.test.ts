import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadLexicon } from '../../../src/core/understanding/lexicon-schema.js';
import { loadUnderstanding } from '../../../src/core/understanding/load-understanding.js';
import {
  CRISIS_CATEGORIES,
  KNOWN_FIELD_IDS,
  MATCHABLE_OBSERVATION_IDS,
  PATTERN_IDS,
} from '../../../src/core/vocabulary.js';
import { sharedLinderaMorphAnalyzer } from '../../../src/understanding/lindera-morph-analyzer.js';

/**
 * Measures the shipped lexicons against test/fixtures/utterances.yaml and fails when quality drops
 * below the floors. The floors sit just under what the lexicons achieve today, so any regression
 * shows. These figures are on sentences the lexicon has been tuned against and flatter it: two
 * blind held-out rounds gave crisis recall 0.66 and 0.49 before they were folded in (see the
 * fixture). Measure new unseen sentences before trusting a change.
 */
//
// Since the concern tier (2026-11-30) these fixtures' "crisis" label is scored as "reaches the
// numbers": the dictionaries' crisis or concern tier. Ordinary sentences that now get the safety
// question count against precision, which is why it sits lower than before (P 0.98 → 0.939 on
// crisis); the blind sets (test/fixtures/eval/, blind-eval.test.ts) measure the tiers themselves.
const FLOORS = {
  crisis: { precision: 0.93, recall: 0.995 },
  crisisCategories: { precision: 0.92, recall: 0.99 },
  fields: { precision: 0.935, recall: 0.985 },
  fieldF1: 0.93,
  patterns: { precision: 0.95, recall: 0.99 },
  observations: { precision: 0.92, recall: 0.96 },
};

/**
 * Held-out round 3 (test/fixtures/utterances-heldout-3.yaml), reported on its own and scored on
 * crisis only. Before the lexicon was tuned on it, it gave CRISIS (any) P 0.883 R 0.611 and
 * categories P 0.832 R 0.562; its sealed part 3b, seen once after tuning on 3a, gave R 0.725 (see
 * the file's header). The floors sit just under today's figures (P 0.974 R 1.000, categories
 * P 0.963 R 0.995) so that a later change cannot quietly undo the round.
 */
const HELDOUT_3 = 'test/fixtures/utterances-heldout-3.yaml';
const HELDOUT_3_FLOORS = {
  crisis: { precision: 0.96, recall: 0.99 },
  crisisCategories: { precision: 0.935, recall: 0.98 },
};

const utteranceSchema = z.strictObject({
  text: z.string().min(1),
  speaker: z.enum(['self', 'family', 'neighbour']),
  fields: z.array(z.enum(KNOWN_FIELD_IDS)),
  patterns: z.array(z.enum(PATTERN_IDS)),
  observations: z.array(z.enum(MATCHABLE_OBSERVATION_IDS)),
  crisis: z.array(z.enum(CRISIS_CATEGORIES)),
  note: z.string().optional(),
});
type Utterance = z.infer<typeof utteranceSchema>;

const readUtterances = (file: string): Utterance[] =>
  z.array(utteranceSchema).parse(parse(readFileSync(file, 'utf8')));
const utterances = readUtterances('test/fixtures/utterances.yaml');
const heldout3 = readUtterances(HELDOUT_3);
const understanding = loadUnderstanding(undefined, sharedLinderaMorphAnalyzer());

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

class Score {
  private readonly byLabel = new Map<string, Counts>();

  add(expected: readonly string[], actual: readonly string[]): void {
    for (const label of new Set([...expected, ...actual])) {
      const counts = this.byLabel.get(label) ?? { tp: 0, fp: 0, fn: 0 };
      if (expected.includes(label) && actual.includes(label)) counts.tp++;
      else if (actual.includes(label)) counts.fp++;
      else counts.fn++;
      this.byLabel.set(label, counts);
    }
  }

  label(label: string): Counts {
    return this.byLabel.get(label) ?? { tp: 0, fp: 0, fn: 0 };
  }

  micro(): Counts {
    const total = { tp: 0, fp: 0, fn: 0 };
    for (const { tp, fp, fn } of this.byLabel.values()) {
      total.tp += tp;
      total.fp += fp;
      total.fn += fn;
    }
    return total;
  }
}

// An empty denominator means nothing was claimed or expected: count it as perfect, not as NaN.
const precision = ({ tp, fp }: Counts) => (tp + fp === 0 ? 1 : tp / (tp + fp));
const recall = ({ tp, fn }: Counts) => (tp + fn === 0 ? 1 : tp / (tp + fn));
const f1 = (c: Counts) => {
  const p = precision(c);
  const r = recall(c);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
};

function scoreCrisis(items: readonly Utterance[]): { binary: Score; categories: Score } {
  const binary = new Score();
  const categories = new Score();
  for (const item of items) {
    // These fixtures predate the concern tier: their "crisis" label means "show the numbers", which
    // the dictionaries' crisis and concern tiers both do (concern asks, then shows them).
    const risk = understanding.readRisk(item.text);
    const detected = [...new Set([...risk.crisis, ...risk.concern])];
    binary.add(item.crisis.length > 0 ? ['crisis'] : [], detected.length > 0 ? ['crisis'] : []);
    categories.add(item.crisis, detected);
  }
  return { binary, categories };
}

const fields = new Score();
const patterns = new Score();
const observations = new Score();
for (const item of utterances) {
  const classification = understanding.classify(item.text);
  fields.add(item.fields, classification.fields);
  patterns.add(item.patterns, classification.patterns);
  // The engine asks for observations only in a neighbour's report, so only those are measured.
  if (item.speaker === 'neighbour') observations.add(item.observations, classification.observations);
}
const { binary: crisisBinary, categories: crisisCategories } = scoreCrisis(utterances);
const heldout3Crisis = scoreCrisis(heldout3);

function row(name: string, counts: Counts): string {
  const n = counts.tp + counts.fn;
  const cells = [precision(counts), recall(counts), f1(counts)].map((v) => v.toFixed(3).padStart(6));
  return `${name.padEnd(22)}${String(n).padStart(5)}${cells.join('')}   tp ${counts.tp} fp ${counts.fp} fn ${counts.fn}`;
}

const header = `${'label'.padEnd(22)}${'n'.padStart(5)}${'P'.padStart(6)}${'R'.padStart(6)}${'F1'.padStart(6)}`;
const crisisRows = ({ binary, categories }: ReturnType<typeof scoreCrisis>) => [
  ...CRISIS_CATEGORIES.map((id) => row(`crisis ${id}`, categories.label(id))),
  row('crisis categories', categories.micro()),
  row('CRISIS (any)', binary.label('crisis')),
];

const table = [
  `utterances: ${utterances.length} (crisis ${utterances.filter((u) => u.crisis.length > 0).length}, ` +
    `neighbour ${utterances.filter((u) => u.speaker === 'neighbour').length})`,
  header,
  ...KNOWN_FIELD_IDS.map((id) => row(`field ${id}`, fields.label(id))),
  row('fields (micro)', fields.micro()),
  ...PATTERN_IDS.map((id) => row(`pattern ${id}`, patterns.label(id))),
  row('patterns (micro)', patterns.micro()),
  ...MATCHABLE_OBSERVATION_IDS.map((id) => row(`obs ${id}`, observations.label(id))),
  row('observations (micro)', observations.micro()),
  ...crisisRows({ binary: crisisBinary, categories: crisisCategories }),
];

const heldout3Table = [
  `${HELDOUT_3}: ${heldout3.length} (crisis ${heldout3.filter((u) => u.crisis.length > 0).length})`,
  header,
  ...crisisRows(heldout3Crisis),
];

/** Every field a labelled pattern or crisis category implies must be among the item's fields. */
function inconsistentFields(items: readonly Utterance[]): string[] {
  const patternLexicon = loadLexicon('flows/lexicon/patterns.yaml', 'patterns');
  const crisisLexicon = loadLexicon('flows/lexicon/crisis.yaml', 'crisis');
  return items.flatMap((u) => {
    const implied = [
      ...u.patterns.flatMap((id) => patternLexicon.patterns[id]?.impliesFields ?? []),
      ...u.crisis.flatMap((id) => crisisLexicon.crisis[id]?.impliesFields ?? []),
    ];
    const missing = implied.filter((field) => !u.fields.includes(field));
    return missing.length > 0 ? [`${u.text}: missing ${missing.join(', ')}`] : [];
  });
}

describe('classifier quality on test/fixtures/utterances.yaml', () => {
  it('prints the quality table, with a score for every field, pattern and observation', () => {
    console.log(table.join('\n'));
    for (const id of KNOWN_FIELD_IDS) expect(table.some((l) => l.includes(`field ${id}`))).toBe(true);
    for (const id of PATTERN_IDS) expect(table.some((l) => l.includes(`pattern ${id}`))).toBe(true);
    for (const id of MATCHABLE_OBSERVATION_IDS) expect(table.some((l) => l.includes(`obs ${id}`))).toBe(true);
    expect(table.join('\n')).not.toMatch(/NaN|undefined/);
  });

  it('has the fixture the brief asks for', () => {
    expect(utterances.length).toBeGreaterThanOrEqual(240);
    expect(utterances.filter((u) => u.crisis.length > 0).length).toBeGreaterThanOrEqual(60);
    expect(utterances.filter((u) => u.crisis.length === 0).length).toBeGreaterThanOrEqual(40);
    for (const category of CRISIS_CATEGORIES) {
      expect(
        utterances.some((u) => u.crisis.includes(category)),
        category,
      ).toBe(true);
    }
    for (const pattern of PATTERN_IDS) {
      expect(
        utterances.some((u) => u.patterns.includes(pattern)),
        pattern,
      ).toBe(true);
    }
    expect(new Set(utterances.map((u) => u.text)).size).toBe(utterances.length);
  });

  it('labels every utterance with the fields its patterns and crisis categories imply', () => {
    expect(inconsistentFields(utterances)).toEqual([]);
  });

  it('detects crises with the required recall and precision', () => {
    const counts = crisisBinary.label('crisis');
    expect(recall(counts)).toBeGreaterThanOrEqual(FLOORS.crisis.recall);
    expect(precision(counts)).toBeGreaterThanOrEqual(FLOORS.crisis.precision);
    const categories = crisisCategories.micro();
    expect(recall(categories)).toBeGreaterThanOrEqual(FLOORS.crisisCategories.recall);
    expect(precision(categories)).toBeGreaterThanOrEqual(FLOORS.crisisCategories.precision);
  });

  it('classifies fields with the required micro-averaged precision and recall', () => {
    const counts = fields.micro();
    expect(recall(counts)).toBeGreaterThanOrEqual(FLOORS.fields.recall);
    expect(precision(counts)).toBeGreaterThanOrEqual(FLOORS.fields.precision);
    for (const id of KNOWN_FIELD_IDS) {
      expect(f1(fields.label(id)), id).toBeGreaterThanOrEqual(FLOORS.fieldF1);
    }
  });

  it('recognises household patterns and neighbour observations', () => {
    expect(recall(patterns.micro())).toBeGreaterThanOrEqual(FLOORS.patterns.recall);
    expect(precision(patterns.micro())).toBeGreaterThanOrEqual(FLOORS.patterns.precision);
    expect(recall(observations.micro())).toBeGreaterThanOrEqual(FLOORS.observations.recall);
    expect(precision(observations.micro())).toBeGreaterThanOrEqual(FLOORS.observations.precision);
  });
});

describe(`crisis detection on ${HELDOUT_3}`, () => {
  it('prints the crisis table, with a score on every row', () => {
    console.log(heldout3Table.join('\n'));
    expect(heldout3Table.length).toBeGreaterThan(2);
    expect(heldout3Table.join('\n')).not.toMatch(/NaN|undefined/);
  });

  it('is a held-out set of the size the brief asks for, apart from the main fixture', () => {
    const crisis = heldout3.filter((u) => u.crisis.length > 0);
    expect(heldout3.length).toBeGreaterThanOrEqual(120);
    expect(crisis.length).toBeGreaterThanOrEqual(70);
    expect(heldout3.length - crisis.length).toBeGreaterThanOrEqual(50);
    for (const category of CRISIS_CATEGORIES) {
      expect(
        crisis.some((u) => u.crisis.includes(category)),
        category,
      ).toBe(true);
    }
    expect(new Set(heldout3.map((u) => u.text)).size).toBe(heldout3.length);
    const main = new Set(utterances.map((u) => u.text));
    expect(heldout3.filter((u) => main.has(u.text)).map((u) => u.text)).toEqual([]);
  });

  it('labels every utterance with the fields its crisis categories imply', () => {
    expect(inconsistentFields(heldout3)).toEqual([]);
  });

  it('detects crises with the recall and precision reached when the round was folded in', () => {
    const counts = heldout3Crisis.binary.label('crisis');
    expect(recall(counts)).toBeGreaterThanOrEqual(HELDOUT_3_FLOORS.crisis.recall);
    expect(precision(counts)).toBeGreaterThanOrEqual(HELDOUT_3_FLOORS.crisis.precision);
    const categories = heldout3Crisis.categories.micro();
    expect(recall(categories)).toBeGreaterThanOrEqual(HELDOUT_3_FLOORS.crisisCategories.recall);
    expect(precision(categories)).toBeGreaterThanOrEqual(HELDOUT_3_FLOORS.crisisCategories.precision);
  });
});

// やさしい日本語 and hurried typing put spaces between kana and kanji; nobody spaces out the letters
// of a word written in Latin letters, whose spaces mark words (normalize-text.ts keeps them).
/** The categories a message reaches the numbers for: crisis at once, or concern after asking. */
const reached = (text: string) => {
  const risk = understanding.readRisk(text);
  return [...new Set([...risk.crisis, ...risk.concern])].sort();
};

const LATIN_WORD = /[\p{Script=Latin}\p{M}'’＇]/u;
const spaced = (text: string) =>
  Array.from(text).reduce(
    (out, ch) =>
      out === '' ? ch : LATIN_WORD.test(out.at(-1) ?? '') && LATIN_WORD.test(ch) ? out + ch : `${out} ${ch}`,
    '',
  );
const fullWidth = (text: string) =>
  text.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
const katakana = (text: string) =>
  text.replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));

describe('crisis detection robustness', () => {
  const transforms = {
    'spaces between letters': spaced,
    'full width': fullWidth,
    'hiragana to katakana': katakana,
    'all three': (text: string) => spaced(fullWidth(katakana(text))),
  };

  const everything = [...utterances, ...heldout3];
  const missedUntransformed = crisisBinary.label('crisis').fn + heldout3Crisis.binary.label('crisis').fn;

  it.each(Object.entries(transforms))('gives the same answer after %s', (_name, transform) => {
    const changed = everything.flatMap((u) => {
      const before = reached(u.text);
      const after = reached(transform(u.text));
      return JSON.stringify(before) === JSON.stringify(after) ? [] : [`${u.text}: ${before} -> ${after}`];
    });
    expect(changed).toEqual([]);
  });

  it('still detects every crisis utterance after the transforms', () => {
    const missed = everything
      .filter((u) => u.crisis.length > 0)
      .flatMap((u) => Object.values(transforms).map((transform) => transform(u.text)))
      .filter((text) => reached(text).length === 0);
    // Only what the lexicon misses untransformed may be missed here (none today).
    expect(missed.length).toBeLessThanOrEqual(4 * missedUntransformed);
  });
});
