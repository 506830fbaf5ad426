import type { Locale } from '../vocabulary.js';
import { normalizeText } from './normalize-text.js';

/**
 * The language a message is written in, from its script and a few very common words. Language
 * identification libraries need more text than a LINE message ("help", "socorro", "救命") to be
 * reliable; here the profile's language breaks ties, and a message in another script or with the
 * words of another language wins over it (a foreign resident whose phone is set to Japanese).
 */
const HANGUL = /[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/;
const KANA = /[\u3040-\u30ff]/;
const HAN = /[\u4e00-\u9fff]/;
const LATIN = /[a-z]/i;
// Letters only Vietnamese uses among the supported languages (checked before accents are folded).
const VIETNAMESE_LETTERS = /[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;
// Common function characters of Chinese that Japanese writing rarely has.
const CHINESE_CHARACTERS = /[的了吗呢们这那么没我你他她啊吧说还过对]/;

const HINT_WORDS: Record<'en' | 'pt-BR' | 'vi', Set<string>> = {
  en: new Set(
    'i me my you he she we they is am are was not dont cant want help please the a to and it this im'.split(
      ' ',
    ),
  ),
  'pt-BR': new Set(
    'eu nao voce meu minha estou quero ajuda socorro que com uma um para esta mais ele ela de'.split(' '),
  ),
  vi: new Set('toi khong muon ban cua duoc nguoi minh em anh chi la co va cho roi nha oi giup'.split(' ')),
};

/** How many common words of each Latin-script language the text has, most first (ties in HINT_WORDS' order). */
function hintWordCounts(nfkc: string): Array<{ language: Locale; n: number }> {
  const words = normalizeText(nfkc).split(' ');
  return (Object.entries(HINT_WORDS) as [Locale, Set<string>][])
    .map(([language, hints]) => ({ language, n: words.filter((w) => hints.has(w)).length }))
    .sort((a, b) => b.n - a.n);
}

/**
 * The language the text itself leaves no doubt about, with no profile to lean on: a script only one
 * supported language writes (Hangul, kana, Vietnamese letters, Chinese function characters), or at
 * least two common words of one Latin-script language and fewer of any other. A term alone ("介護保険",
 * "OK", "help") says nothing: a resident may write it in any language.
 */
export function unmistakableLanguage(text: string): Locale | undefined {
  const nfkc = text.normalize('NFKC');
  if (HANGUL.test(nfkc)) return 'ko';
  if (KANA.test(nfkc)) return 'ja';
  if (HAN.test(nfkc)) return CHINESE_CHARACTERS.test(nfkc) ? 'zh' : undefined;
  if (!LATIN.test(nfkc)) return undefined;
  if (VIETNAMESE_LETTERS.test(nfkc)) return 'vi';
  const [best, next] = hintWordCounts(nfkc);
  return best && best.n >= 2 && best.n > (next?.n ?? 0) ? best.language : undefined;
}

/**
 * The language to answer a message in: what the text leaves no doubt about (`unmistakableLanguage`),
 * else the profile breaks the tie: kanji alone are Japanese unless the profile names another
 * language, and Latin letters take the language with the most common words, then the profile's
 * Latin-script language, then English. やさしい日本語 is kept for a resident who has it.
 */
export function detectLanguage(text: string, profileLanguage?: string): Locale | undefined {
  const sure = unmistakableLanguage(text);
  if (sure === 'ja') return profileLanguage === 'ja-easy' ? 'ja-easy' : 'ja';
  if (sure) return sure;
  const nfkc = text.normalize('NFKC');
  if (HAN.test(nfkc)) {
    const japaneseProfile =
      profileLanguage === 'ja' || profileLanguage === 'ja-easy' || profileLanguage === undefined;
    return japaneseProfile ? 'ja' : 'zh';
  }
  if (!LATIN.test(nfkc)) return undefined;
  const [best] = hintWordCounts(nfkc);
  if (best && best.n > 0) return best.language;
  return profileLanguage === 'pt-BR' || profileLanguage === 'vi' ? profileLanguage : 'en';
}
