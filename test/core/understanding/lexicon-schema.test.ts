import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LexiconError,
  lexiconFileSchema,
  loadLexicon,
} from '../../../src/core/understanding/lexicon-schema.js';

const BROKEN = 'test/fixtures/lexicon-broken';

function loadError(file: string, kind?: 'fields'): LexiconError {
  try {
    if (kind) loadLexicon(file, kind);
    else loadLexicon(file);
  } catch (error) {
    expect(error).toBeInstanceOf(LexiconError);
    return error as LexiconError;
  }
  throw new Error(`${file} loaded without error`);
}

describe('loadLexicon', () => {
  it('loads every shipped lexicon', () => {
    for (const kind of ['fields', 'patterns', 'observations', 'crisis'] as const) {
      expect(loadLexicon(`flows/lexicon/${kind}.yaml`, kind).kind).toBe(kind);
    }
  });

  it('normalizes terms at load time so authors may write katakana or full width', () => {
    const lexicon = lexiconFileSchema.parse({
      version: 1,
      kind: 'fields',
      fields: { elderly: { terms: ['ケアマネ', { term: 'ﾃﾞｲｻｰﾋﾞｽ', weight: 2 }], exclude: ['ネボケ'] } },
    });
    expect(lexicon.kind === 'fields' && lexicon.fields.elderly).toEqual({
      terms: [
        { term: 'けあまね', weight: 1 },
        { term: 'でいさーびす', weight: 2 },
      ],
      exclude: ['ねぼけ'],
      requiresAll: [],
    });
  });

  it.each([
    ['term-not-string.yaml', 'fields.elderly.terms[3]: expected string'],
    ['unknown-label.yaml', 'fields: Unrecognized key: "elderley"'],
    ['unknown-group.yaml', 'crisis.domestic_violence.requiresAll[0]: unknown group "@partners"'],
    ['empty-after-normalization.yaml', 'observations.smell.terms[1]: "！？" is empty after normalization'],
    ['bad-weight.yaml', 'fields.children.terms[1].weight: Too small'],
    ['pattern-without-fields.yaml', 'patterns.hoarding.impliesFields: expected array'],
    ['unknown-kind.yaml', 'kind: Invalid discriminator value'],
  ])('%s: names the file and the path inside it', (name, expected) => {
    const error = loadError(path.join(BROKEN, name));
    expect(error.code).toBe('LEXICON_INVALID');
    expect(error.file).toBe(`${BROKEN}/${name}`);
    expect(error.message).toContain(`${BROKEN}/${name}: ${expected}`);
  });

  it('refuses a valid file of another kind when a kind is expected', () => {
    const error = loadError('flows/lexicon/patterns.yaml', 'fields');
    expect(error.message).toBe('flows/lexicon/patterns.yaml: kind: expected "fields", found "patterns"');
  });

  it('reports YAML syntax errors with the file name', () => {
    // Written at run time: a syntactically broken file in the tree would trip the formatter.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lexicon-')), 'fields.yaml');
    writeFileSync(file, 'version: 1\nkind: fields\nfields:\n  elderly:\n    terms: [介護, 認知症\n');
    const error = loadError(file);
    expect(error.message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid YAML: `),
    );
  });

  it('reports a missing file as unreadable', () => {
    const error = loadError(path.join(BROKEN, 'does-not-exist.yaml'));
    expect(error.code).toBe('LEXICON_UNREADABLE');
    expect(error.message).toContain(`${BROKEN}/does-not-exist.yaml: cannot read`);
  });

  it('lists every problem of a file, not only the first', () => {
    const result = lexiconFileSchema.safeParse({
      version: 1,
      kind: 'fields',
      fields: { elderly: { terms: [1, 2] }, children: { terms: ['子ども'], extra: true } },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(
      expect.arrayContaining(['fields.elderly.terms.0', 'fields.elderly.terms.1', 'fields.children']),
    );
  });

  it('refuses the unknown field and the other observation, which text never maps to', () => {
    for (const data of [
      { version: 1, kind: 'fields', fields: { unknown: { terms: ['x'] } } },
      { version: 1, kind: 'observations', observations: { other: { terms: ['x'] } } },
    ]) {
      expect(lexiconFileSchema.safeParse(data).success).toBe(false);
    }
  });

  it('accepts requiresAll as a list of phrases, @groups and inline alternatives, or with a weight', () => {
    const result = lexiconFileSchema.safeParse({
      version: 1,
      kind: 'crisis',
      groups: { partner: ['夫'] },
      crisis: {
        domestic_violence: {
          requiresAll: [['@partner', ['殴', 'ナグ']], { all: ['逃げたい', '暴力'], weight: 2 }],
        },
      },
    });
    expect(result.success).toBe(true);
    expect(result.data?.kind === 'crisis' && result.data.crisis.domestic_violence?.requiresAll).toEqual([
      { all: ['@partner', ['殴', 'なぐ']], weight: 1 },
      { all: ['逃げたい', '暴力'], weight: 2 },
    ]);
  });
});
