/**
 * Folds the ways one word can be typed on a phone into one spelling, so that a dictionary term
 * written once matches them all: full/half width (NFKC), case, katakana/hiragana, spacing
 * (やさしい日本語 puts spaces between words; people type "死に たい"), punctuation, emoji, accents
 * on Latin letters (people type Vietnamese and Portuguese without them: "muon chet", "nao aguento"),
 * and stretched sounds ("つらーーい", "やばっっ").
 *
 * Words written in Latin letters keep one space between them, so that a dictionary term can be
 * matched as a word ("kms" is not the end of "5kms"); every other space goes. Kanji are left alone:
 * their readings come from the morphological analyser (see text-views.ts).
 */

// ァ (U+30A1) .. ヶ (U+30F6) sit exactly 0x60 above ぁ .. ゖ; ー and ・ are outside the range.
const KATAKANA = /[\u30a1-\u30f6]/g;
const KANA_OFFSET = 0x60;

// Every Unicode punctuation and symbol (、。！？・…〜~ quotes, brackets, emoji, ♪), plus whitespace
// including U+3000. ー is a letter modifier (Lm), not punctuation, so it survives.
const REMOVABLE = /[\s\p{P}\p{S}]+/gu;
// The accents of Latin letters once decomposed (NFD); Japanese voiced marks (U+3099) are not in it.
const LATIN_ACCENTS = /[\u0300-\u036f]/g;
// Apostrophes inside a word ("don't", "i'm") join rather than split it.
const INNER_APOSTROPHE = /(?<=[a-z])['’](?=[a-z])/g;
const LATIN_WORD_GAP = /(?<=[a-z0-9]) (?=[a-z0-9])/g;
// Marks a kept space while every other space is removed (a private-use character no text has).
const WORD_GAP = '\ue000';

const LONG_VOWEL_RUN = /ー{2,}/g;
const SMALL_TSU_RUN = /っ{2,}/g;

/** True for a character that belongs to a word written in Latin letters or digits (after folding). */
export function isLatinWordChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const code = ch.charCodeAt(0);
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
}

export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(INNER_APOSTROPHE, '')
      .normalize('NFD')
      .replace(LATIN_ACCENTS, '')
      .replace(/đ/g, 'd')
      .replace(REMOVABLE, ' ')
      .replace(LATIN_WORD_GAP, WORD_GAP)
      .replace(/ /g, '')
      .replaceAll(WORD_GAP, ' ')
      // Composing again joins a voiced mark to its kana once the space that separated them is gone
      // ("ｸ ﾞ", or "か゛" whose ゛ NFKC turns into a space plus a combining mark).
      .normalize('NFKC')
      .replace(KATAKANA, (ch) => String.fromCharCode(ch.charCodeAt(0) - KANA_OFFSET))
      .replace(LONG_VOWEL_RUN, 'ー')
      .replace(SMALL_TSU_RUN, 'っ')
  );
}
