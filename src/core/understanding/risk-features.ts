import type { TextViews } from './text-views.js';

/**
 * The features the statistical risk detector reads from a message's views (text-views.ts): short
 * character sequences of the text as written and of its readings, and whole words where the text is
 * written in Latin letters. Character sequences carry meaning across spellings, conjugations and
 * unseen compounds that no dictionary lists (死に・しに・死ね, 飲んだ・のんだ, "unalive").
 */
const MASK = '\u0000';

function charGrams(prefix: string, text: string, into: Set<string>): void {
  const padded = `^${text}$`;
  for (let n = 2; n <= 3; n++) {
    for (let i = 0; i + n <= padded.length; i++) {
      const gram = padded.slice(i, i + n);
      if (!gram.includes(MASK)) into.add(`${prefix}${gram}`);
    }
  }
}

function latinWords(text: string, into: Set<string>): void {
  const words = text.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
  words.forEach((word, i) => {
    into.add(`w:${word}`);
    const next = words[i + 1];
    if (next) into.add(`w:${word}_${next}`);
  });
}

/** Dictionary forms of the words (飲んだ → 飲む) and pairs of them, from the analysed view. */
function lemmaWords(view: TextViews['lemmas'], into: Set<string>): void {
  const cuts = [...view.starts].sort((a, b) => a - b);
  const words = cuts.map((start, i) => view.text.slice(start, cuts[i + 1] ?? view.text.length));
  words.forEach((word, i) => {
    if (word.includes(MASK)) return;
    into.add(`l:${word}`);
    const next = words[i + 1];
    if (next && !next.includes(MASK)) into.add(`l:${word}_${next}`);
  });
}

export function riskFeatures(variants: TextViews[]): string[] {
  const features = new Set<string>();
  for (const views of variants) {
    charGrams('s:', views.surface, features);
    if (views.readings.text !== '') charGrams('r:', views.readings.text, features);
    if (views.lemmas.text !== '') lemmaWords(views.lemmas, features);
    latinWords(views.surface, features);
  }
  return [...features];
}
