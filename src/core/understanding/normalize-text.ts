/**
 * Folds the ways one word can be typed on a phone into one spelling, so that a dictionary term
 * written once matches them all: full/half width (NFKC), case, katakana/hiragana, spacing
 * (やさしい日本語 puts spaces between words; people type "死に たい"), punctuation, emoji, and
 * stretched sounds ("つらーーい", "やばっっ").
 *
 * Kanji are left alone: reading kanji into kana needs a dictionary, so lexicons list kana
 * spellings of important words explicitly.
 */

// ァ (U+30A1) .. ヶ (U+30F6) sit exactly 0x60 above ぁ .. ゖ; ー and ・ are outside the range.
const KATAKANA = /[\u30a1-\u30f6]/g;
const KANA_OFFSET = 0x60;

// Every Unicode punctuation and symbol (、。！？・…〜~ quotes, brackets, emoji, ♪), plus whitespace
// including U+3000. ー is a letter modifier (Lm), not punctuation, so it survives.
const REMOVABLE = /[\s\p{P}\p{S}]/gu;

const LONG_VOWEL_RUN = /ー{2,}/g;
const SMALL_TSU_RUN = /っ{2,}/g;

export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(REMOVABLE, '')
      // Composing again joins a voiced mark to its kana once the space that separated them is gone
      // ("ｸ ﾞ", or "か゛" whose ゛ NFKC turns into a space plus a combining mark).
      .normalize('NFKC')
      .toLowerCase()
      .replace(KATAKANA, (ch) => String.fromCharCode(ch.charCodeAt(0) - KANA_OFFSET))
      .replace(LONG_VOWEL_RUN, 'ー')
      .replace(SMALL_TSU_RUN, 'っ')
  );
}
