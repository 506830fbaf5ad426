import {
  CRISIS_CATEGORIES,
  type CrisisCategory,
  KNOWN_FIELD_IDS,
  type KnownFieldId,
  MATCHABLE_OBSERVATION_IDS,
  type MatchableObservationId,
  PATTERN_IDS,
  type PatternId,
} from '../vocabulary.js';
import {
  type CrisisLexicon,
  type FieldsLexicon,
  type LexiconFile,
  labelEntries,
  type ObservationsLexicon,
  type PatternsLexicon,
} from './lexicon-schema.js';
import { normalizeText } from './normalize-text.js';

/**
 * Channel-neutral reading of a free-text message: which windows it may concern, which household
 * patterns and neighbour observations it mentions, and whether a life may be in danger.
 *
 * Deliberately simple substring scoring over data-driven dictionaries: every decision can be
 * traced to a line of YAML that staff can read. Results are proposals ordered strongest first; the
 * engine asks the resident to confirm and never routes on them silently.
 */

export interface Lexicons {
  fields: FieldsLexicon;
  patterns: PatternsLexicon;
  observations: ObservationsLexicon;
  crisis: CrisisLexicon;
}

export interface TextClassification {
  /** Strongest first; never `unknown` (an empty list is what maps to it). */
  fields: KnownFieldId[];
  patterns: PatternId[];
  /** Strongest first; never `other`. */
  observations: MatchableObservationId[];
}

export interface CrisisDetection {
  crisis: boolean;
  /** Strongest first. */
  categories: CrisisCategory[];
}

export interface TextClassifier {
  classify(text: string): TextClassification;
  detectCrisis(text: string): CrisisDetection;
}

interface CompiledLabel<Id extends string> {
  id: Id;
  terms: { term: string; weight: number }[];
  exclude: string[];
  /** Each requirement: one inner list of alternatives per fragment, all of which must be present. */
  requirements: { all: string[][]; weight: number }[];
  impliesFields: KnownFieldId[];
}

interface CompiledLexicon<Id extends string> {
  labels: CompiledLabel<Id>[];
  exclude: string[];
  threshold: number;
  order: readonly Id[];
}

// A character no normalized phrase contains, so a masked span can never be part of a match.
const MASK = '\u0000';

function byLengthDescending(phrases: string[]): string[] {
  // Longest first so a long false friend is masked before a shorter one eats part of it.
  return [...new Set(phrases)].sort((a, b) => b.length - a.length);
}

function compile<Id extends string>(file: LexiconFile, order: readonly Id[]): CompiledLexicon<Id> {
  const resolve = (fragment: string | string[]): string[] => {
    if (Array.isArray(fragment)) return fragment;
    return fragment.startsWith('@') ? (file.groups[fragment.slice(1)] ?? []) : [fragment];
  };
  const labels = labelEntries(file).map(([id, label]) => ({
    id: id as Id,
    terms: label.terms,
    exclude: byLengthDescending(label.exclude),
    requirements: label.requiresAll.map((req) => ({ all: req.all.map(resolve), weight: req.weight })),
    impliesFields: 'impliesFields' in label ? (label.impliesFields as KnownFieldId[]) : [],
  }));
  return { labels, exclude: byLengthDescending(file.exclude), threshold: file.threshold, order };
}

function mask(text: string, phrases: string[]): string {
  let out = text;
  for (const phrase of phrases) {
    if (out.includes(phrase)) out = out.split(phrase).join(MASK);
  }
  return out;
}

function scoreLabel(label: CompiledLabel<string>, text: string): number {
  const visible = label.exclude.length > 0 ? mask(text, label.exclude) : text;
  let score = 0;
  for (const { term, weight } of label.terms) {
    if (visible.includes(term)) score += weight;
  }
  for (const { all, weight } of label.requirements) {
    if (all.every((alternatives) => alternatives.some((part) => visible.includes(part)))) score += weight;
  }
  return score;
}

function scoreAll<Id extends string>(lexicon: CompiledLexicon<Id>, normalized: string): Map<Id, number> {
  const text = mask(normalized, lexicon.exclude);
  const scores = new Map<Id, number>();
  for (const label of lexicon.labels) {
    const score = scoreLabel(label, text);
    if (score >= lexicon.threshold) scores.set(label.id, score);
  }
  return scores;
}

function ranked<Id extends string>(scores: Map<Id, number>, order: readonly Id[]): Id[] {
  // Ties keep the vocabulary's order so that the same message always gives the same list.
  return [...scores.keys()].sort(
    (a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || order.indexOf(a) - order.indexOf(b),
  );
}

function addImplied<Id extends string>(
  into: Map<KnownFieldId, number>,
  matched: Map<Id, number>,
  lexicon: CompiledLexicon<Id>,
): void {
  for (const label of lexicon.labels) {
    const score = matched.get(label.id);
    if (score === undefined) continue;
    for (const field of label.impliesFields) into.set(field, (into.get(field) ?? 0) + score);
  }
}

export function createTextClassifier(lexicons: Lexicons): TextClassifier {
  const fields = compile(lexicons.fields, KNOWN_FIELD_IDS);
  const patterns = compile(lexicons.patterns, PATTERN_IDS);
  const observations = compile(lexicons.observations, MATCHABLE_OBSERVATION_IDS);
  const crisis = compile(lexicons.crisis, CRISIS_CATEGORIES);

  return {
    classify(text) {
      const normalized = normalizeText(text);
      const fieldScores = scoreAll(fields, normalized);
      const patternScores = scoreAll(patterns, normalized);
      // A household pattern or a crisis says which windows are involved even when no field word
      // was used ("ひきこもりの弟", "死にたい"); patterns.yaml and crisis.yaml say which.
      addImplied(fieldScores, patternScores, patterns);
      addImplied(fieldScores, scoreAll(crisis, normalized), crisis);
      return {
        fields: ranked(fieldScores, fields.order),
        patterns: ranked(patternScores, patterns.order),
        observations: ranked(scoreAll(observations, normalized), observations.order),
      };
    },
    detectCrisis(text) {
      const categories = ranked(scoreAll(crisis, normalizeText(text)), crisis.order);
      return { crisis: categories.length > 0, categories };
    },
  };
}
