import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTextClassifier, type Lexicons } from '../../../src/core/understanding/classify-text.js';
import {
  createFieldModel,
  dictionaryLead,
  type FieldModelFile,
  loadFieldModel,
  withFieldModel,
} from '../../../src/core/understanding/field-model.js';
import { loadLexicons } from '../../../src/core/understanding/load-understanding.js';
import type { KnownFieldId } from '../../../src/core/vocabulary.js';

const file = (
  weights: FieldModelFile['weights'],
  combine: FieldModelFile['combine'] = { minProbability: 0.5, weight: 4 },
) =>
  ({
    version: 1,
    classes: ['elderly', 'disability', 'children', 'livelihood', 'isolation', 'violence', 'none'],
    bias: [0, 0, 0, 0, 0, 0, 3],
    weights,
    combine,
    trainedOn: { items: 1, files: [], features: Object.keys(weights).length },
  }) satisfies FieldModelFile;

describe('field model', () => {
  it('gives each known field a probability, leaving the rest to none', () => {
    const model = createFieldModel(file({ 's:寂し': [0, 0, 0, 0, 9, 0, 0] }));
    const [elderly, , , , isolation] = model.predict(['s:寂し', 's:unknown feature']);
    expect(isolation).toBeGreaterThan(0.9);
    expect(elderly).toBeLessThan(0.01);
    expect(model.predict([]).reduce((a, b) => a + b, 0)).toBeLessThan(0.5);
  });

  it('adds a likely field to the dictionaries’ scores and leaves unlikely ones out', () => {
    const scores = new Map<KnownFieldId, number>([['elderly', 2]]);
    const combined = withFieldModel(scores, [0.05, 0, 0, 0, 0.9, 0, 0], { minProbability: 0.5, weight: 4 });
    expect(combined.get('isolation')).toBeCloseTo(3.6);
    expect(combined.get('elderly')).toBe(2);
    expect(combined.has('disability')).toBe(false);
    expect(scores.has('isolation')).toBe(false);
  });

  it('lets a classifier propose what the model holds likely when the dictionaries are silent', () => {
    const lexicons: Lexicons = loadLexicons(path.resolve('flows/lexicon'));
    const model = createFieldModel(file({ 'w:xyzzy': [0, 0, 0, 0, 0, 9, 0] }));
    const text = 'xyzzy xyzzy';
    expect(createTextClassifier(lexicons).classify(text).fields).toEqual([]);
    expect(createTextClassifier(lexicons, undefined, model).classify(text).fields).toEqual(['violence']);
  });

  it('measures the dictionaries’ lead of their top field over the runner-up', () => {
    expect(dictionaryLead(new Map())).toBe(0);
    expect(dictionaryLead(new Map<KnownFieldId, number>([['elderly', 4]]))).toBe(4);
    expect(
      dictionaryLead(
        new Map<KnownFieldId, number>([
          ['livelihood', 2],
          ['elderly', 1.5],
        ]),
      ),
    ).toBe(0.5);
  });

  it('adds nothing where the dictionaries lead by the combine’s dictionary lead, and decides where they are split or silent', () => {
    const confidentViolence = [0, 0, 0, 0, 0, 0.95, 0];
    const combine = { minProbability: 0.5, weight: 8, dictionaryLead: 2 };
    const led = withFieldModel(new Map<KnownFieldId, number>([['elderly', 4]]), confidentViolence, combine);
    expect([...led]).toEqual([['elderly', 4]]);
    const split = withFieldModel(
      new Map<KnownFieldId, number>([
        ['elderly', 3],
        ['isolation', 2],
      ]),
      confidentViolence,
      combine,
    );
    expect(split.get('violence')).toBeCloseTo(7.6);
    expect(withFieldModel(new Map(), confidentViolence, combine).get('violence')).toBeCloseTo(7.6);
    // Without a dictionary lead the model may overturn any lead (the rule until round 14).
    const { dictionaryLead: _, ...unbounded } = combine;
    expect(
      withFieldModel(new Map<KnownFieldId, number>([['elderly', 4]]), confidentViolence, unbounded).get(
        'violence',
      ),
    ).toBeCloseTo(7.6);
  });

  it('keeps the field the dictionaries named clearly when a confident model says another', () => {
    const lexicons: Lexicons = loadLexicons(path.resolve('flows/lexicon'));
    const weights = { 'w:xyzzy': [0, 0, 0, 0, 0, 9, 0] };
    const led = createFieldModel(file(weights, { minProbability: 0.5, weight: 8, dictionaryLead: 2 }));
    const unbounded = createFieldModel(file(weights, { minProbability: 0.5, weight: 8 }));
    const named = 'I want to apply for long-term care insurance for my mother xyzzy';
    expect(createTextClassifier(lexicons).classify(named).fields[0]).toBe('elderly');
    expect(createTextClassifier(lexicons, undefined, unbounded).classify(named).fields[0]).toBe('violence');
    expect(createTextClassifier(lexicons, undefined, led).classify(named).fields[0]).toBe('elderly');
    // Split between two fields (care and money), the model still decides.
    const split = 'my mother needs care and we are short of money xyzzy';
    expect(createTextClassifier(lexicons, undefined, led).classify(split).fields[0]).toBe('violence');
    expect(createTextClassifier(lexicons, undefined, led).classify('xyzzy xyzzy').fields).toEqual([
      'violence',
    ]);
  });

  it('refuses a dictionary lead that is not positive', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'field-model-'));
    const bad = path.join(dir, 'field-model.json');
    writeFileSync(bad, JSON.stringify(file({}, { minProbability: 0.5, weight: 8, dictionaryLead: 0 })));
    expect(() => loadFieldModel(bad)).toThrow(/field-model\.json: combine\.dictionaryLead/);
  });

  it('refuses a file that does not match the schema, naming the file and the path inside it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'field-model-'));
    const bad = path.join(dir, 'field-model.json');
    writeFileSync(bad, JSON.stringify({ ...file({ 's:ab': [1, 2] }) }));
    expect(() => loadFieldModel(bad)).toThrow(/field-model\.json: weights\.s:ab/);
    expect(() => loadFieldModel(path.join(dir, 'missing.json'))).toThrow(/run npm run train/);
  });

  it('loads the committed model', () => {
    const model = loadFieldModel(path.resolve('flows/model/field-model.json'));
    expect(model.predict([])).toHaveLength(6);
  });
});
