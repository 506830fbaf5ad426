import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CodedError } from '../coded-error.js';
import {
  CRISIS_CATEGORIES,
  FRAME_IDS,
  KNOWN_FIELD_IDS,
  LOCALES,
  MATCHABLE_OBSERVATION_IDS,
  PATTERN_IDS,
  SPEAKER_IDS,
} from '../vocabulary.js';
import { normalizeText } from './normalize-text.js';

/**
 * The dictionaries behind free-text understanding (flows/lexicon/*.yaml), as data that a
 * municipality can review and extend without touching code. Every phrase is normalized here, at
 * load time, so authors may write katakana, full width or spaces as they like.
 */

const GROUP_NAME = /^[a-z][a-z0-9_]*$/;
const GROUP_REF_PREFIX = '@';

type Issues = { issues: z.core.$ZodRawIssue[] };

/**
 * Normalizes one dictionary phrase, reporting at `path` (relative to the value being transformed)
 * when nothing is left. Normalization runs after the shape has been checked, outside any union, so
 * that this message is not swallowed by the union's generic one.
 */
function normalizePhrase(raw: string, ctx: Issues, path: PropertyKey[] = []): string {
  const normalized = normalizeText(raw);
  if (normalized === '') {
    ctx.issues.push({ code: 'custom', message: `"${raw}" is empty after normalization`, input: raw, path });
  }
  return normalized;
}

/** "@name" only means a group inside requiresAll; anywhere else it would silently become the word "name". */
const notGroupReference = (raw: string, ctx: Issues): void => {
  if (raw.startsWith(GROUP_REF_PREFIX)) {
    ctx.issues.push({
      code: 'custom',
      message: `"${raw}" looks like a group reference, which only requiresAll can use`,
      input: raw,
    });
  }
};

const phrase = z.string().transform((raw, ctx) => {
  notGroupReference(raw, ctx);
  return normalizePhrase(raw, ctx);
});

/** A requiresAll part: a phrase, `@name` for any phrase of the group `name`, or inline alternatives. */
const rawFragment = z.union([z.string(), z.array(z.string()).min(1)]);

function normalizeFragment(fragment: string | string[], ctx: Issues, path: PropertyKey[]): string | string[] {
  if (Array.isArray(fragment)) return fragment.map((alt, i) => normalizePhrase(alt, ctx, [...path, i]));
  if (!fragment.startsWith(GROUP_REF_PREFIX)) return normalizePhrase(fragment, ctx, path);
  if (!GROUP_NAME.test(fragment.slice(GROUP_REF_PREFIX.length))) {
    ctx.issues.push({
      code: 'custom',
      message: `"${fragment}" is not a valid group reference`,
      input: fragment,
      path,
    });
  }
  return fragment;
}

// Weights only order results and let weak hints (below the file's threshold) need company; a
// negative weight would make "more evidence" mean "less likely", which nobody can review.
const weight = z.number().positive().max(100);

/** Most unions fail on the scalar form, so say what the common form is rather than "Invalid input". */
const scalarOrObject = (scalar: string, object: string) => (issue: { input?: unknown }) =>
  typeof issue.input === 'object' && issue.input !== null && !Array.isArray(issue.input) ? object : scalar;

const term = z
  .union([z.string(), z.strictObject({ term: z.string(), weight: weight.default(1) })], {
    error: scalarOrObject('expected string', 'expected { term, weight }'),
  })
  .transform((input, ctx) => {
    notGroupReference(typeof input === 'string' ? input : input.term, ctx);
    return typeof input === 'string'
      ? { term: normalizePhrase(input, ctx), weight: 1 }
      : { term: normalizePhrase(input.term, ctx, ['term']), weight: input.weight };
  });

const requirement = z
  .union(
    [
      z.array(rawFragment).min(2),
      z.strictObject({ all: z.array(rawFragment).min(2), weight: weight.default(1) }),
    ],
    {
      error: scalarOrObject('expected a list of at least two parts', 'expected { all, weight }'),
    },
  )
  .transform((input, ctx) => {
    const [parts, base, weightOf] = Array.isArray(input)
      ? [input, [], 1]
      : [input.all, ['all'], input.weight];
    return { all: parts.map((part, i) => normalizeFragment(part, ctx, [...base, i])), weight: weightOf };
  });

const rewriteRule = z.strictObject({
  match: z.string().superRefine((source, ctx) => {
    try {
      new RegExp(source, 'gu');
    } catch (cause) {
      ctx.addIssue({
        code: 'custom',
        message: `not a valid regular expression: ${(cause as Error).message}`,
      });
    }
  }),
  to: z.string(),
  note: z.string().optional(),
});

const labelShape = {
  /** Substrings of the normalized message; each distinct one found adds its weight. */
  terms: z.array(term).default([]),
  /** Phrases masked out before matching this label, so a term inside them does not count. */
  exclude: z.array(phrase).default([]),
  /** Each entry adds its weight when every part is present (any one alternative of a list or @group). */
  requiresAll: z.array(requirement).default([]),
};

const labelSchema = z.strictObject(labelShape);
// `unknown` is what "no match" maps to, so no dictionary may claim it.
const impliesFields = z.array(z.enum(KNOWN_FIELD_IDS));
const patternLabelSchema = z.strictObject({ ...labelShape, impliesFields: impliesFields.min(1) });
const crisisLabelSchema = z.strictObject({ ...labelShape, impliesFields: impliesFields.default([]) });

const fileShape = {
  version: z.literal(1),
  /**
   * The language of the file's phrases; the loader takes it from the folder (flows/lexicon/en/) when
   * absent, and files at the top level are Japanese. Only Japanese phrases are read by the Japanese
   * analyser: a Chinese phrase read in Japanese (想死 → そうし) would match unrelated Japanese words.
   */
  language: z.enum(LOCALES).optional(),
  /** Named phrase lists that requiresAll fragments can refer to as `@name`. */
  groups: z
    .record(z.string().regex(GROUP_NAME, 'group names are lower_snake_case'), z.array(phrase).min(1))
    .default({}),
  /** Masked out for every label of the file: false friends that no label should ever see. */
  exclude: z.array(phrase).default([]),
  /** A label is reported when its score reaches this; weights below it are hints needing company. */
  threshold: z.number().positive().default(1),
};

/** One lexicon file as written in flows/lexicon/*.yaml, parsed into its normalized form. */
export const lexiconFileSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      ...fileShape,
      kind: z.literal('fields'),
      fields: z.partialRecord(z.enum(KNOWN_FIELD_IDS), labelSchema),
    }),
    z.strictObject({
      ...fileShape,
      kind: z.literal('patterns'),
      patterns: z.partialRecord(z.enum(PATTERN_IDS), patternLabelSchema),
    }),
    z.strictObject({
      ...fileShape,
      kind: z.literal('observations'),
      observations: z.partialRecord(z.enum(MATCHABLE_OBSERVATION_IDS), labelSchema),
    }),
    z.strictObject({
      ...fileShape,
      kind: z.literal('crisis'),
      crisis: z.partialRecord(z.enum(CRISIS_CATEGORIES), crisisLabelSchema),
    }),
    /** Possible risk: the resident is asked directly whether they are in danger. */
    z.strictObject({
      ...fileShape,
      kind: z.literal('concern'),
      concern: z.partialRecord(z.enum(CRISIS_CATEGORIES), crisisLabelSchema),
    }),
    /** Who the message is about: words that show the writer speaks of someone else (友達が, my neighbour). */
    z.strictObject({
      ...fileShape,
      kind: z.literal('speaker'),
      speaker: z.partialRecord(z.enum(SPEAKER_IDS), labelSchema),
    }),
    /** How a message frames its words: history that is over, fiction or news, a question, a denial, or now. */
    z.strictObject({
      ...fileShape,
      kind: z.literal('frames'),
      frames: z.partialRecord(z.enum(FRAME_IDS), labelSchema),
    }),
    /**
     * Spellings folded before matching: slang, leetspeak and dialect endings (ﾀﾋ → 死, 死にたか →
     * 死にたい). Each rule is a regular expression over the normalized text; a message is matched both
     * as written and as rewritten, so a rule can only add readings, never hide one.
     */
    z.strictObject({
      ...fileShape,
      kind: z.literal('rewrites'),
      rules: z.array(rewriteRule).default([]),
    }),
  ])
  .superRefine((file, ctx) => {
    for (const [labelId, label] of labelEntries(file)) {
      label.requiresAll.forEach((req, index) => {
        for (const part of req.all) {
          if (
            typeof part === 'string' &&
            part.startsWith(GROUP_REF_PREFIX) &&
            !(part.slice(1) in file.groups)
          ) {
            ctx.addIssue({
              code: 'custom',
              message: `unknown group "${part}"`,
              path: [file.kind, labelId, 'requiresAll', index],
            });
          }
        }
      });
    }
  });

export type LexiconFile = z.infer<typeof lexiconFileSchema>;
export type LexiconKind = LexiconFile['kind'];
export type LexiconLabel = z.infer<typeof labelSchema>;
export type FieldsLexicon = Extract<LexiconFile, { kind: 'fields' }>;
export type PatternsLexicon = Extract<LexiconFile, { kind: 'patterns' }>;
export type ObservationsLexicon = Extract<LexiconFile, { kind: 'observations' }>;
export type CrisisLexicon = Extract<LexiconFile, { kind: 'crisis' }>;
export type ConcernLexicon = Extract<LexiconFile, { kind: 'concern' }>;
export type SpeakerLexicon = Extract<LexiconFile, { kind: 'speaker' }>;
export type FramesLexicon = Extract<LexiconFile, { kind: 'frames' }>;
export type RewritesLexicon = Extract<LexiconFile, { kind: 'rewrites' }>;

/** The labels of any lexicon file with the fields every kind shares (impliesFields aside). */
export function labelEntries(file: LexiconFile): [string, LexiconLabel][] {
  const labels: Partial<Record<string, LexiconLabel>> = (() => {
    switch (file.kind) {
      case 'fields':
        return file.fields;
      case 'patterns':
        return file.patterns;
      case 'observations':
        return file.observations;
      case 'crisis':
        return file.crisis;
      case 'concern':
        return file.concern;
      case 'speaker':
        return file.speaker;
      case 'frames':
        return file.frames;
      case 'rewrites':
        return {};
    }
  })();
  return Object.entries(labels).filter((entry): entry is [string, LexiconLabel] => entry[1] !== undefined);
}

export type LexiconErrorCode = 'LEXICON_UNREADABLE' | 'LEXICON_INVALID';

export class LexiconError extends CodedError {
  declare readonly code: LexiconErrorCode;
  constructor(
    code: LexiconErrorCode,
    readonly file: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(code, 'permanent', problems.map((problem) => `${file}: ${problem}`).join('\n'), options);
  }
}

/** fields.elderly.terms[3] */
function formatPath(issuePath: readonly PropertyKey[]): string {
  let out = '';
  for (const key of issuePath) {
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

function displayName(filePath: string): string {
  const relative = path.relative(process.cwd(), filePath);
  return relative.startsWith('..') || path.isAbsolute(relative)
    ? filePath
    : relative.split(path.sep).join('/');
}

/**
 * Reads and validates one lexicon file; throws a LexiconError naming the file and every bad path.
 * With `expectedKind`, a file of another kind is refused too (a copied file with the wrong kind
 * would otherwise leave a whole vocabulary silently empty).
 */
export function loadLexicon(filePath: string): LexiconFile;
export function loadLexicon<K extends LexiconKind>(
  filePath: string,
  expectedKind: K,
): Extract<LexiconFile, { kind: K }>;
export function loadLexicon(filePath: string, expectedKind?: LexiconKind): LexiconFile {
  const file = displayName(filePath);
  let source: string;
  try {
    source = readFileSync(filePath, 'utf8');
  } catch (cause) {
    throw new LexiconError('LEXICON_UNREADABLE', file, [`cannot read: ${(cause as Error).message}`], {
      cause,
    });
  }
  let data: unknown;
  try {
    data = parse(source);
  } catch (cause) {
    throw new LexiconError('LEXICON_INVALID', file, [`invalid YAML: ${(cause as Error).message}`], { cause });
  }
  const result = lexiconFileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${formatPath(issue.path)}: ${issue.message.replace(/^Invalid input: /, '')}`,
    );
    throw new LexiconError('LEXICON_INVALID', file, problems, { cause: result.error });
  }
  if (expectedKind !== undefined && result.data.kind !== expectedKind) {
    throw new LexiconError('LEXICON_INVALID', file, [
      `kind: expected "${expectedKind}", found "${result.data.kind}"`,
    ]);
  }
  return result.data;
}
