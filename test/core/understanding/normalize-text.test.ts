import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/core/understanding/normalize-text.js';

describe('normalizeText', () => {
  it('folds half-width katakana and full-width letters (NFKC) and lower-cases', () => {
    expect(normalizeText('ﾆﾝﾁｼｮｳ')).toBe('にんちしょう');
    expect(normalizeText('ＡＤＨＤ')).toBe('adhd');
    expect(normalizeText('I Want To Die')).toBe('i want to die');
  });

  it('turns katakana into hiragana but keeps the long vowel mark', () => {
    expect(normalizeText('ケアマネ')).toBe('けあまね');
    expect(normalizeText('ヘルパー')).toBe('へるぱー');
    expect(normalizeText('ヴァ')).toBe('ゔぁ');
  });

  it('joins a voiced mark to its kana even when spaces came between them', () => {
    expect(normalizeText('ﾅ ｸ ﾞ ﾗ ﾚ ﾀ')).toBe('なぐられた');
    expect(normalizeText('か゛')).toBe('が');
  });

  it('leaves kanji alone', () => {
    expect(normalizeText('認知症の母')).toBe('認知症の母');
  });

  it('removes all whitespace, including the ideographic space and newlines', () => {
    expect(normalizeText('死に　たい')).toBe('死にたい');
    expect(normalizeText(' し に た い \n')).toBe('しにたい');
    expect(normalizeText('おかねが\tありません')).toBe('おかねがありません');
  });

  it('removes punctuation, quotes, symbols and emoji', () => {
    expect(normalizeText('「死にたい」…！？')).toBe('死にたい');
    expect(normalizeText('たすけて!!??・〜~')).toBe('たすけて');
    expect(normalizeText("I don't know")).toBe('i dont know');
    expect(normalizeText('『つらい』♪😢')).toBe('つらい');
    expect(normalizeText('“quoted” ‘text’')).toBe('quoted text');
  });

  it('collapses stretched long vowels and small tsu runs', () => {
    expect(normalizeText('つらーーーい')).toBe('つらーい');
    expect(normalizeText('つらｰｰい')).toBe('つらーい');
    expect(normalizeText('やばっっっ')).toBe('やばっ');
    expect(normalizeText('ヤバッッ')).toBe('やばっ');
  });

  it('keeps one space between words in Latin letters, so phrases match as words', () => {
    expect(normalizeText('5kms,  ok.')).toBe('5kms ok');
    expect(normalizeText('help!me')).toBe('help me');
    expect(normalizeText('死にたい help')).toBe('死にたいhelp');
  });

  it('folds the accents of Latin letters, as people type Vietnamese and Portuguese without them', () => {
    expect(normalizeText('Tôi muốn chết')).toBe('toi muon chet');
    expect(normalizeText('Đau quá')).toBe('dau qua');
    expect(normalizeText('Não aguento mais')).toBe('nao aguento mais');
    // Japanese voiced marks are not accents: they stay.
    expect(normalizeText('がぎぐ ヴァ')).toBe('がぎぐゔぁ');
  });

  it('is idempotent', () => {
    for (const text of ['ﾊﾊｵﾔｶﾞ ﾆﾝﾁｼｮｳ', 'つらーーい！', 'Ｉ　ｄｏｎ’ｔ']) {
      expect(normalizeText(normalizeText(text))).toBe(normalizeText(text));
    }
  });

  it('returns an empty string for punctuation only', () => {
    expect(normalizeText('！？…　')).toBe('');
  });
});
