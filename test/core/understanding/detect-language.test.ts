import { describe, expect, it } from 'vitest';
import { detectLanguage, unmistakableLanguage } from '../../../src/core/understanding/detect-language.js';

describe('detectLanguage', () => {
  it('tells scripts apart', () => {
    expect(detectLanguage('죽고 싶어요')).toBe('ko');
    expect(detectLanguage('もう無理かも')).toBe('ja');
    expect(detectLanguage('我不想活了')).toBe('zh');
  });

  it('reads Japanese kanji-only text as Japanese for a Japanese profile, unless it has Chinese function words', () => {
    expect(detectLanguage('自殺', 'ja')).toBe('ja');
    expect(detectLanguage('我想死', 'ja')).toBe('zh');
    expect(detectLanguage('自殺', 'zh')).toBe('zh');
  });

  it('tells Latin-script languages apart by letters and common words', () => {
    expect(detectLanguage('tôi muốn chết')).toBe('vi');
    expect(detectLanguage('toi khong muon song nua')).toBe('vi');
    expect(detectLanguage('eu não aguento mais', 'ja')).toBe('pt-BR');
    expect(detectLanguage('I want to die', 'ja')).toBe('en');
    expect(detectLanguage('socorro')).toBe('pt-BR');
  });

  it('falls back to the profile for Latin text with no hint, and says nothing for emoji', () => {
    expect(detectLanguage('kms', 'pt-BR')).toBe('pt-BR');
    expect(detectLanguage('kms', 'ja')).toBe('en');
    expect(detectLanguage('😢😢')).toBeUndefined();
  });
});

describe('unmistakableLanguage', () => {
  it('names a language its script or two of its common words leave no doubt about', () => {
    expect(unmistakableLanguage('하루 종일 아무하고도 말을 안 해요')).toBe('ko');
    expect(unmistakableLanguage('かいごほけん の こと')).toBe('ja');
    expect(unmistakableLanguage('我妈妈一个人在家')).toBe('zh');
    expect(unmistakableLanguage('mẹ tôi sống một mình')).toBe('vi');
    expect(unmistakableLanguage('my mother lives alone and she is not eating')).toBe('en');
    expect(unmistakableLanguage('eu nao tenho dinheiro para o aluguel')).toBe('pt-BR');
  });

  it('names none for a term or a word any resident may write', () => {
    for (const text of ['介護保険', '生活保護', 'OK', 'help', 'kaigo hoken', '👍', '']) {
      expect(unmistakableLanguage(text)).toBeUndefined();
    }
  });
});
