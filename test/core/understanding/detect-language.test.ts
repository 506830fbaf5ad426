import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/core/understanding/detect-language.js';

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
