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

/**
 * Who a message is about, as far as words can tell: `someone_else` makes safety replies speak of that
 * person; `outsider` (a neighbour, a friend, a colleague, a client: someone outside the writer's
 * family) lets a worry about what was seen be offered the neighbour's report.
 */
export const SPEAKER_IDS = ['someone_else', 'outsider'] as const;

/**
 * How a message frames what it says, as far as words can tell; the risk assessor lowers a tier for
 * a frame that shows the danger is not now (assess-risk.ts), unless `present` says it is:
 * - `resolved_past`: told as history that is over (10年前に…今は元気, back in college… doing great now);
 * - `fiction_news`: a drama, film, book or the news;
 * - `question`: a question about a word, a law or how the service works;
 * - `consultation`: asks where to consult or what a place is like (どこに相談すれば, is there a shelter,
 *   有中文吗): lowers only a partner's or family member's harm worth the safety question, never a crisis;
 * - `negated`: the danger is denied (暴力はない, he never hit me, I'm not in danger);
 * - `safe_now`: said plainly to be safe now, or that a relationship's violence is over (今は安全です,
 *   別居して, he never hit me): lowers only a partner's or family member's harm;
 * - `recent`: what happened is fresh (昨日, ゆうべ, last night): a relationship's violence told as
 *   "safe now" the day after is still alerted;
 * - `present`: the danger is now or again (また, 今も, 今夜, again, still);
 * - `care_situation`: the message is about a care or welfare arrangement (a nursing-home waiting
 *   list, a discharge from hospital, day service, a sheltered workshop): a crisis only the
 *   statistical detector alone raised is not kept, unless what happened is fresh.
 */
export const FRAME_IDS = [
  'resolved_past',
  'fiction_news',
  'question',
  'consultation',
  'negated',
  'safe_now',
  'recent',
  'present',
  'care_situation',
] as const;

export const LOCALES = ['ja', 'en', 'ja-easy', 'zh', 'vi', 'pt-BR', 'ko'] as const;

export type FieldId = (typeof FIELD_IDS)[number];
export type KnownFieldId = (typeof KNOWN_FIELD_IDS)[number];
export type PatternId = (typeof PATTERN_IDS)[number];
export type ObservationId = (typeof OBSERVATION_IDS)[number];
export type MatchableObservationId = Exclude<ObservationId, 'other'>;
export type CrisisCategory = (typeof CRISIS_CATEGORIES)[number];
export type FrameId = (typeof FRAME_IDS)[number];
export type SpeakerId = (typeof SPEAKER_IDS)[number];
export type Locale = (typeof LOCALES)[number];
