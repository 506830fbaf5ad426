import { type MorphAnalyzer, noMorphAnalyzer } from '../ports/morph-analyzer.js';
import {
  CRISIS_CATEGORIES,
  type CrisisCategory,
  FRAME_IDS,
  type FrameId,
  KNOWN_FIELD_IDS,
  type KnownFieldId,
  type Locale,
  MATCHABLE_OBSERVATION_IDS,
  type MatchableObservationId,
  PATTERN_IDS,
  type PatternId,
  type SPEAKER_IDS,
} from '../vocabulary.js';
import { type FieldModel, withFieldModel } from './field-model.js';
import {
  type ConcernLexicon,
  type CrisisLexicon,
  type FieldsLexicon,
  type FramesLexicon,
  type LexiconFile,
  labelEntries,
  type ObservationsLexicon,
  type PatternsLexicon,
  type RewritesLexicon,
  type SpeakerLexicon,
} from './lexicon-schema.js';
import { normalizeText } from './normalize-text.js';
import { riskFeatures } from './risk-features.js';
import {
  maskViews,
  type PhraseForms,
  phraseForms,
  type TextViews,
  textViews,
  viewsContain,
} from './text-views.js';

/**
 * Channel-neutral reading of a free-text message: which windows it may concern, which household
 * patterns and neighbour observations it mentions, and how much danger its words show.
 *
 * Scoring over data-driven dictionaries (flows/lexicon/*.yaml, one file per kind and language), so
 * every decision can be traced to a line of YAML that staff can read. Phrases are matched on the
 * text as written, on its words' dictionary forms and on their readings (text-views.ts), and on the
 * text again after the slang and dialect rewrites. Results are proposals ordered strongest first;
 * the engine asks the resident to confirm and never routes on them silently.
 */

export interface Lexicons {
  fields: FieldsLexicon[];
  patterns: PatternsLexicon[];
  observations: ObservationsLexicon[];
  crisis: CrisisLexicon[];
  concern: ConcernLexicon[];
  speaker: SpeakerLexicon[];
  frames: FramesLexicon[];
  rewrites: RewritesLexicon[];
}

export interface TextClassification {
  /** Strongest first; never `unknown` (an empty list is what maps to it). */
  fields: KnownFieldId[];
  /** The weight of evidence for each field in `fields`. */
  fieldScores: Partial<Record<KnownFieldId, number>>;
  patterns: PatternId[];
  /** Strongest first; never `other`. */
  observations: MatchableObservationId[];
  /** Names someone outside the writer's family (a neighbour, a friend, a colleague, a client). */
  namesOutsider: boolean;
}

/** What the dictionaries alone say of the danger in a message. */
export interface LexiconRisk {
  /** Danger now, strongest first. */
  crisis: CrisisCategory[];
  /** Possible risk, strongest first (categories already in `crisis` are left out). */
  concern: CrisisCategory[];
  aboutSomeoneElse: boolean;
  /** How the message frames its words (history that is over, fiction, a question, a denial, now). */
  frames: FrameId[];
}

export interface TextClassifier {
  classify(text: string): TextClassification;
  readRisk(text: string): LexiconRisk;
  /**
   * The text as the risk dictionaries read it, for the statistical detector: every way of writing it,
   * with the risk files' false friends (死ぬほど笑った) masked out, so that only an explicit exclude
   * can lower what the detector sees.
   */
  riskViews(text: string): TextViews[];
  /**
   * What the statistical detectors (risk and fields) read of the text: risk-features.ts over
   * `riskViews`, worked out once per message.
   */
  features(text: string): string[];
}

interface CompiledLabel<Id extends string> {
  id: Id;
  /** Each term: its spellings that read alike (車いす, 車椅子), any one of which counts once. */
  terms: { spellings: PhraseForms[]; weight: number }[];
  exclude: PhraseForms[];
  /** Each requirement: one inner list of alternatives per fragment, all of which must be present. */
  requirements: { all: PhraseForms[][]; weight: number }[];
  impliesFields: KnownFieldId[];
}

interface CompiledLexicon<Id extends string> {
  labels: CompiledLabel<Id>[];
  exclude: PhraseForms[];
  threshold: number;
  /** Whether the file can match this normalized text at all (its language's script is in it). */
  canMatch: (normalized: string) => boolean;
}

// A file of another language can only match text that has its script: skipping the rest keeps a
// message's reading to the dictionaries that can speak to it (most messages are Japanese only).
const SCRIPT_OF: Partial<Record<Locale, RegExp>> = {
  en: /[a-z]/,
  'pt-BR': /[a-z]/,
  vi: /[a-z]/,
  ko: /[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/,
  zh: /[\u4e00-\u9fff]/,
};

function byLengthDescending(phrases: string[]): string[] {
  // Longest first so a long false friend is masked before a shorter one eats part of it.
  return [...new Set(phrases)].sort((a, b) => b.length - a.length);
}

function compile<Id extends string>(file: LexiconFile, analyzer: MorphAnalyzer): CompiledLexicon<Id> {
  const japanese = file.language === undefined || file.language === 'ja' || file.language === 'ja-easy';
  const forms = (phrase: string) => phraseForms(phrase, japanese ? analyzer : noMorphAnalyzer);
  const resolve = (fragment: string | string[]): PhraseForms[] => {
    if (Array.isArray(fragment)) return fragment.map(forms);
    return (fragment.startsWith('@') ? (file.groups[fragment.slice(1)] ?? []) : [fragment]).map(forms);
  };
  const labels = labelEntries(file).map(([id, label]) => ({
    id: id as Id,
    terms: onePerReading(label.terms.map(({ term, weight }) => ({ term: forms(term), weight }))),
    exclude: byLengthDescending(label.exclude).map(forms),
    requirements: label.requiresAll.map((req) => ({ all: req.all.map(resolve), weight: req.weight })),
    impliesFields: 'impliesFields' in label ? (label.impliesFields as KnownFieldId[]) : [],
  }));
  const script = file.language ? SCRIPT_OF[file.language] : undefined;
  return {
    labels,
    exclude: byLengthDescending(file.exclude).map(forms),
    threshold: file.threshold,
    canMatch: script ? (normalized) => script.test(normalized) : () => true,
  };
}

/**
 * One term per way of being read: 楽になりたい and らくになりたい are the same words, and must not add
 * up to a threshold that each alone does not reach. The heavier weight is kept, and every spelling
 * still matches: a word written in kanji in a message is matched as written, not by its reading, so
 * dropping 子供 for 子ども (both こども) would leave 子供 unrecognised.
 */
function onePerReading(
  terms: { term: PhraseForms; weight: number }[],
): { spellings: PhraseForms[]; weight: number }[] {
  const byKey = new Map<string, { spellings: PhraseForms[]; weight: number }>();
  for (const { term, weight } of terms) {
    const key = term.readings ?? term.surface;
    const kept = byKey.get(key);
    if (!kept) byKey.set(key, { spellings: [term], weight });
    else {
      kept.spellings.push(term);
      kept.weight = Math.max(kept.weight, weight);
    }
  }
  return [...byKey.values()];
}

function scoreLabel(label: CompiledLabel<string>, views: TextViews): number {
  const visible = label.exclude.length > 0 ? maskViews(views, label.exclude) : views;
  let score = 0;
  for (const { spellings, weight } of label.terms) {
    if (spellings.some((term) => viewsContain(visible, term))) score += weight;
  }
  for (const { all, weight } of label.requirements) {
    if (all.every((alternatives) => alternatives.some((part) => viewsContain(visible, part))))
      score += weight;
  }
  return score;
}

/** Every label at or over its file's threshold, summed over the files (one per language) and variants. */
function scoreAll<Id extends string>(
  lexicons: CompiledLexicon<Id>[],
  variants: TextViews[],
): Map<Id, number> {
  const scores = new Map<Id, number>();
  for (const lexicon of lexicons) {
    if (!variants.some((views) => lexicon.canMatch(views.surface))) continue;
    const best = new Map<Id, number>();
    for (const views of variants) {
      const visible = maskViews(views, lexicon.exclude);
      for (const label of lexicon.labels) {
        const score = scoreLabel(label, visible);
        if (score >= lexicon.threshold && score > (best.get(label.id) ?? 0)) best.set(label.id, score);
      }
    }
    for (const [id, score] of best) scores.set(id, (scores.get(id) ?? 0) + score);
  }
  return scores;
}

/** Ids by score, highest first (the order a classification lists its fields, patterns and observations in). */
export function ranked<Id extends string>(scores: Map<Id, number>, order: readonly Id[]): Id[] {
  // Ties keep the vocabulary's order so that the same message always gives the same list.
  return [...scores.keys()].sort(
    (a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || order.indexOf(a) - order.indexOf(b),
  );
}

/** The fields each label implies, over all files of a kind: a label defined in several files (one per language) implies its fields once. */
function impliedFields<Id extends string>(lexicons: CompiledLexicon<Id>[]): Map<Id, Set<KnownFieldId>> {
  const implied = new Map<Id, Set<KnownFieldId>>();
  for (const lexicon of lexicons) {
    for (const label of lexicon.labels) {
      const fields = implied.get(label.id) ?? new Set<KnownFieldId>();
      for (const field of label.impliesFields) fields.add(field);
      implied.set(label.id, fields);
    }
  }
  return implied;
}

function addImplied<Id extends string>(
  into: Map<KnownFieldId, number>,
  matched: Map<Id, number>,
  implied: Map<Id, Set<KnownFieldId>>,
): void {
  for (const [id, score] of matched) {
    for (const field of implied.get(id) ?? []) into.set(field, (into.get(field) ?? 0) + score);
  }
}

/** How many recent messages keep their analysis (a message is read a few times in one turn). */
const RECENT_TEXTS = 32;

function compileRewrites(files: RewritesLexicon[]): { match: RegExp; to: string }[] {
  return files.flatMap((file) =>
    file.rules.map((rule) => ({ match: new RegExp(rule.match, 'gu'), to: rule.to })),
  );
}

export function createTextClassifier(
  lexicons: Lexicons,
  analyzer: MorphAnalyzer = noMorphAnalyzer,
  /** The statistical field detector; without it only the dictionaries propose fields. */
  fieldModel?: FieldModel,
): TextClassifier {
  const compileAll = <Id extends string>(files: LexiconFile[]) => files.map((f) => compile<Id>(f, analyzer));
  const fields = compileAll<KnownFieldId>(lexicons.fields);
  const patterns = compileAll<PatternId>(lexicons.patterns);
  const observations = compileAll<MatchableObservationId>(lexicons.observations);
  const crisis = compileAll<CrisisCategory>(lexicons.crisis);
  const concern = compileAll<CrisisCategory>(lexicons.concern);
  const speaker = compileAll<(typeof SPEAKER_IDS)[number]>(lexicons.speaker);
  const frames = compileAll<FrameId>(lexicons.frames);
  const rewrites = compileRewrites(lexicons.rewrites);

  const implied = {
    patterns: impliedFields(patterns),
    crisis: impliedFields(crisis),
    concern: impliedFields(concern),
  };

  // One message is read several times in a turn (risk, the statistical detector, fields): analyse
  // it once, and score each kind of dictionary against it once.
  interface Reading {
    variants: TextViews[];
    scores: Map<CompiledLexicon<string>[], Map<string, number>>;
    features?: string[];
  }
  const recent = new Map<string, Reading>();
  function readingOf(text: string): Reading {
    const known = recent.get(text);
    if (known) return known;
    const reading: Reading = { variants: readVariants(text), scores: new Map() };
    if (recent.size >= RECENT_TEXTS) recent.delete(recent.keys().next().value as string);
    recent.set(text, reading);
    return reading;
  }
  const variantsOf = (text: string) => readingOf(text).variants;
  function scored<Id extends string>(lexiconsOfKind: CompiledLexicon<Id>[], text: string): Map<Id, number> {
    const reading = readingOf(text);
    const known = reading.scores.get(lexiconsOfKind);
    if (known) return known as Map<Id, number>;
    const scores = scoreAll(lexiconsOfKind, reading.variants);
    reading.scores.set(lexiconsOfKind, scores);
    return scores;
  }

  function readVariants(text: string): TextViews[] {
    const normalized = normalizeText(text);
    let rewritten = normalized;
    for (const { match, to } of rewrites) rewritten = rewritten.replace(match, to);
    const variants = [textViews(normalized, analyzer)];
    if (rewritten !== normalized) variants.push(textViews(rewritten, analyzer));
    return variants;
  }

  const riskExcludes = [...crisis, ...concern].flatMap((lexicon) => lexicon.exclude);
  const riskViews = (text: string) => variantsOf(text).map((views) => maskViews(views, riskExcludes));
  function features(text: string): string[] {
    const reading = readingOf(text);
    reading.features ??= riskFeatures(riskViews(text));
    return reading.features;
  }

  return {
    riskViews,
    features,
    classify(text) {
      // A copy: the implied fields are added to it, and the cached scores stay as scored.
      let fieldScores = new Map(scored(fields, text));
      const patternScores = scored(patterns, text);
      // A household pattern or a crisis says which windows are involved even when no field word
      // was used ("ひきこもりの弟", "死にたい"); patterns.yaml and crisis.yaml say which.
      addImplied(fieldScores, patternScores, implied.patterns);
      addImplied(fieldScores, scored(crisis, text), implied.crisis);
      addImplied(fieldScores, scored(concern, text), implied.concern);
      // The field detector reads the same features as the risk detector; it weighs fields only.
      if (fieldModel)
        fieldScores = withFieldModel(fieldScores, fieldModel.predict(features(text)), fieldModel.combine);
      return {
        fields: ranked(fieldScores, KNOWN_FIELD_IDS),
        fieldScores: Object.fromEntries(fieldScores),
        patterns: ranked(patternScores, PATTERN_IDS),
        observations: ranked(scored(observations, text), MATCHABLE_OBSERVATION_IDS),
        namesOutsider: scored(speaker, text).has('outsider'),
      };
    },
    readRisk(text) {
      const now = ranked(scored(crisis, text), CRISIS_CATEGORIES);
      const possible = ranked(scored(concern, text), CRISIS_CATEGORIES).filter((c) => !now.includes(c));
      return {
        crisis: now,
        concern: possible,
        aboutSomeoneElse: scored(speaker, text).has('someone_else'),
        frames: ranked(scored(frames, text), FRAME_IDS),
      };
    },
  };
}
