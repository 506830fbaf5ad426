/**
 * The fixed vocabulary shared by flows, routing, free-text understanding, storage and reports: the
 * one definition of every id list. Ids never change once published (reports count by them); their
 * labels live in locales, and the words that point at them in flows/lexicon/*.yaml.
 */

/** Fields a window can serve, and what text can be matched to: every field except `unknown`. */
export const KNOWN_FIELD_IDS = [
  'elderly',
  'disability',
  'children',
  'livelihood',
  'isolation',
  'violence',
] as const;
/** `unknown` is what "no match" maps to: it always goes to the coordination window. */
export const FIELD_IDS = [...KNOWN_FIELD_IDS, 'unknown'] as const;

/** Household patterns that span several fields (8050: a parent in their 80s supporting a recluse in their 50s). */
export const PATTERN_IDS = ['8050', 'double_care', 'hoarding', 'hikikomori'] as const;

/** What a neighbour may have noticed. */
export const OBSERVATION_IDS = [
  'not_seen',
  'mail_piling',
  'smell',
  'shouting',
  'child_crying',
  'rubbish',
  'unwell_confused',
  'child_alone',
  'other',
] as const;
/** `other` is a menu choice for the neighbour, never something text can be matched to. */
export const MATCHABLE_OBSERVATION_IDS = OBSERVATION_IDS.filter(
  (id): id is MatchableObservationId => id !== 'other',
);

export const CRISIS_CATEGORIES = [
  'suicide',
  'violence',
  'child_abuse',
  'elder_abuse',
  'domestic_violence',
  'medical',
] as const;

export const LOCALES = ['ja', 'en', 'ja-easy', 'zh', 'vi', 'pt-BR', 'ko'] as const;

export type FieldId = (typeof FIELD_IDS)[number];
export type KnownFieldId = (typeof KNOWN_FIELD_IDS)[number];
export type PatternId = (typeof PATTERN_IDS)[number];
export type ObservationId = (typeof OBSERVATION_IDS)[number];
export type MatchableObservationId = Exclude<ObservationId, 'other'>;
export type CrisisCategory = (typeof CRISIS_CATEGORIES)[number];
export type Locale = (typeof LOCALES)[number];
