/**
 * A Japanese morphological analyser, as the core needs it: each word of a text with its dictionary
 * form and its reading, so that 死にたか, しにたい and シニタイ can meet the same dictionary entry.
 */
export interface MorphToken {
  surface: string;
  /** Dictionary form (飲んだ → 飲む); the surface when the analyser does not know the word. */
  lemma: string;
  /** Reading in hiragana (薬 → くすり); the surface when unknown. */
  reading: string;
}

export interface MorphAnalyzer {
  tokenize(text: string): MorphToken[];
}

/** For languages and tests without Japanese analysis: every text is one unknown word. */
export const noMorphAnalyzer: MorphAnalyzer = {
  tokenize: (text) => (text === '' ? [] : [{ surface: text, lemma: text, reading: text }]),
};
