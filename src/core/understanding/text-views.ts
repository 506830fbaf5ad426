import { type MorphAnalyzer, noMorphAnalyzer } from '../ports/morph-analyzer.js';
import { isLatinWordChar } from './normalize-text.js';

/**
 * One message seen three ways, so that a dictionary phrase meets every way of writing it:
 * - `surface`: the normalized text itself (normalize-text.ts);
 * - `lemmas`: every word in its dictionary form (飛び降りた → 飛び降りるた), so a phrase written in
 *   dictionary form matches any conjugation;
 * - `readings`: every word in hiragana (今日死ぬ → きょうしぬ), so hiragana-only and katakana
 *   writing meet phrases written in kanji.
 * Analysed views remember where words begin and end: a short phrase must match whole words there
 * (しに is 死に only when it is not the end of わたし + に).
 */
export interface AnalysedView {
  text: string;
  starts: Set<number>;
  ends: Set<number>;
}

export interface TextViews {
  surface: string;
  lemmas: AnalysedView;
  readings: AnalysedView;
}

/** A phrase of a dictionary, in the three forms it can be matched in. */
export interface PhraseForms {
  surface: string;
  /** Written in Latin letters: must start at a word start (and, when short, end at a word end). */
  latinStart?: boolean;
  latinEnd?: boolean;
  lemmas?: string;
  readings?: string;
}

const HAS_JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
// Only text with kana is analysed: kanji alone may be Chinese, whose Japanese readings would meet
// unrelated Japanese phrases, and Japanese written in kanji alone is matched as written.
const HAS_KANA = /[\u3040-\u30ff]/;
const HAS_KANJI = /[\u4e00-\u9fff々]/;
/** Phrases this short in an analysed view must cover whole words, or they hide inside others. */
const SHORT_PHRASE = 3;
/**
 * Readings this short are everywhere (死 → し as in 確認し, 泣い → ない): a phrase is matched by its
 * reading only when the reading is at least this long. Short words are listed in kana instead.
 */
const MIN_READING = 3;

const KANA_ONLY = /^[\u3040-\u30ffー]+$/;

function analysedView(parts: string[]): AnalysedView {
  const starts = new Set<number>();
  const ends = new Set<number>();
  let text = '';
  for (const part of parts) {
    starts.add(text.length);
    text += part;
    ends.add(text.length);
  }
  return { text, starts, ends };
}

const EMPTY_VIEW: AnalysedView = { text: '', starts: new Set(), ends: new Set() };

export function textViews(normalized: string, analyzer: MorphAnalyzer): TextViews {
  if (!HAS_KANA.test(normalized)) return { surface: normalized, lemmas: EMPTY_VIEW, readings: EMPTY_VIEW };
  const tokens = analyzer.tokenize(normalized);
  return {
    surface: normalized,
    lemmas: analysedView(tokens.map((t) => t.lemma)),
    // Only words written in kana are read: a word written in kanji already meets the phrases written
    // in kanji, and its reading would meet unrelated ones (行きたくない is not 生きたくない).
    readings: analysedView(tokens.map((t) => (KANA_ONLY.test(t.surface) ? t.reading : t.surface))),
  };
}

/**
 * The forms a normalized phrase is matched in. Only phrases with kanji have a reading different from
 * themselves, and only they are worth analysing (analysis costs about a millisecond a phrase at boot).
 */
export function phraseForms(phrase: string, analyzer: MorphAnalyzer): PhraseForms {
  const forms = formsOf(phrase, analyzer);
  if (isLatinWordChar(phrase[0])) forms.latinStart = true;
  if (phrase.length <= 4 && isLatinWordChar(phrase.at(-1))) forms.latinEnd = true;
  return forms;
}

function formsOf(phrase: string, analyzer: MorphAnalyzer): PhraseForms {
  if (analyzer === noMorphAnalyzer || !HAS_KANJI.test(phrase)) {
    return HAS_JAPANESE.test(phrase) && analyzer !== noMorphAnalyzer && phrase.length >= MIN_READING
      ? { surface: phrase, readings: phrase }
      : { surface: phrase };
  }
  const tokens = analyzer.tokenize(phrase);
  const readings = tokens.map((t) => t.reading).join('');
  return {
    surface: phrase,
    lemmas: tokens.map((t) => t.lemma).join(''),
    ...(readings.length >= MIN_READING ? { readings } : {}),
  };
}

/** `term` found in `text` as a word when it is written in Latin letters ("kms" not in "5kms"). */
export function containsPhrase(
  text: string,
  term: string,
  latinStart = isLatinWordChar(term[0]),
  latinEnd = term.length <= 4 && isLatinWordChar(term.at(-1)),
): boolean {
  if (term === '') return false;
  if (!latinStart && !latinEnd) return text.includes(term);
  for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + 1)) {
    if (latinStart && isLatinWordChar(text[at - 1])) continue;
    if (latinEnd && isLatinWordChar(text[at + term.length])) continue;
    return true;
  }
  return false;
}

function inView(view: AnalysedView, term: string | undefined): boolean {
  if (!term || view.text === '') return false;
  if (term.length > SHORT_PHRASE) return view.text.includes(term);
  for (let at = view.text.indexOf(term); at !== -1; at = view.text.indexOf(term, at + 1)) {
    if (view.starts.has(at) && view.ends.has(at + term.length)) return true;
  }
  return false;
}

export function viewsContain(views: TextViews, phrase: PhraseForms): boolean {
  return (
    containsPhrase(views.surface, phrase.surface, phrase.latinStart === true, phrase.latinEnd === true) ||
    inView(views.lemmas, phrase.lemmas) ||
    inView(views.readings, phrase.readings)
  );
}

// A character no normalized phrase contains, so a masked span can never be part of a match.
const MASK = '\u0000';

function maskView(view: AnalysedView, term: string | undefined): AnalysedView {
  // Masking keeps the length, so word boundaries stay where they were.
  if (!term || !view.text.includes(term)) return view;
  return { ...view, text: view.text.split(term).join(MASK.repeat(term.length)) };
}

/** The views with every occurrence of the phrases blanked out: false friends no term may see. */
export function maskViews(views: TextViews, phrases: PhraseForms[]): TextViews {
  let { surface, lemmas, readings } = views;
  for (const phrase of phrases) {
    if (surface.includes(phrase.surface)) surface = surface.split(phrase.surface).join(MASK);
    lemmas = maskView(lemmas, phrase.lemmas);
    readings = maskView(readings, phrase.readings);
  }
  return { surface, lemmas, readings };
}
