import { describe, expect, it } from 'vitest';
import { noMorphAnalyzer } from '../../../src/core/ports/morph-analyzer.js';
import { normalizeText } from '../../../src/core/understanding/normalize-text.js';
import {
  containsPhrase,
  maskViews,
  phraseForms,
  textViews,
  viewsContain,
} from '../../../src/core/understanding/text-views.js';
import { sharedLinderaMorphAnalyzer } from '../../../src/understanding/lindera-morph-analyzer.js';

const analyzer = sharedLinderaMorphAnalyzer();
const views = (text: string) => textViews(normalizeText(text), analyzer);
const phrase = (text: string) => phraseForms(normalizeText(text), analyzer);
const matches = (text: string, entry: string) => viewsContain(views(text), phrase(entry));

describe('reading-aware matching', () => {
  it('meets a phrase written in kanji in hiragana-only and spaced writing', () => {
    expect(matches('きょう しにたい', '死にたい')).toBe(true);
    expect(matches('くすりを ぜんぶ のんだ', '飲んだ')).toBe(true);
    expect(matches('ｸｽﾘ', '薬')).toBe(true);
  });

  it('reads only words written in kana, and only readings long enough to mean something', () => {
    // 行きたくない is written in kanji: its reading いきたくない must not meet 生きたくない.
    expect(matches('学校に行きたくない', '生きたくない')).toBe(false);
    expect(matches('もう いきたくない', '生きたくない')).toBe(true);
    // 死 reads し, as in 確認し: a one-kana reading is never matched.
    expect(matches('確認しました', '死')).toBe(false);
  });

  it('meets a phrase in dictionary form in any conjugation', () => {
    expect(matches('橋から飛び降りた', '飛び降りる')).toBe(true);
    expect(matches('首を吊ろうと思った', '吊る')).toBe(true);
  });

  it('keeps short phrases to whole words in the analysed views', () => {
    // くすり is a whole word in くすりを, not inside ぞくすりょう.
    expect(matches('くすりをのんだ', '薬')).toBe(true);
    expect(matches('かぞくすりょう', '薬')).toBe(false);
  });

  it('masks false friends in every view, keeping word positions', () => {
    const masked = maskViews(views('しにたいくらい わらった'), [phrase('死にたいくらい')]);
    expect(viewsContain(masked, phrase('死にたい'))).toBe(false);
    const both = maskViews(views('しにたいくらい わらった、でも本当にしにたい'), [phrase('死にたいくらい')]);
    expect(viewsContain(both, phrase('死にたい'))).toBe(true);
  });

  it('matches Latin phrases as words: at a word start, and short ones as whole words', () => {
    expect(containsPhrase(normalizeText('I will kms tonight'), 'kms')).toBe(true);
    expect(containsPhrase(normalizeText('walked 5kms today'), 'kms')).toBe(false);
    expect(containsPhrase(normalizeText('feeling suicidal'), 'suicid')).toBe(true);
    expect(containsPhrase(normalizeText('Não aguento mais'), normalizeText('nao aguento'))).toBe(true);
    expect(containsPhrase(normalizeText('tôi muốn chết'), normalizeText('muon chet'))).toBe(true);
  });

  it('works without an analyser for text that has no Japanese', () => {
    const v = textViews(normalizeText('help me'), noMorphAnalyzer);
    expect(v.readings.text).toBe('');
    expect(viewsContain(v, phraseForms('help me', noMorphAnalyzer))).toBe(true);
  });
});
