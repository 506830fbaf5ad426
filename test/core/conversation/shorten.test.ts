import { describe, expect, it } from 'vitest';
import { shorten } from '../../../src/core/conversation/flow-runner.js';

describe('shorten (the resident’s words in a summary)', () => {
  it('keeps short text as it is', () => {
    expect(shorten('家賃が払えない', 80, 'ja')).toBe('家賃が払えない');
  });

  it('cuts at a word boundary, never inside a word', () => {
    const english = 'My mother has dementia and I cannot leave her alone during the day anymore';
    const cut = shorten(english, 30, 'en');
    expect(cut.endsWith('…')).toBe(true);
    expect(english.startsWith(cut.slice(0, -1))).toBe(true);
    expect(english.charAt(cut.length - 1)).toMatch(/[\s]/);
    const japanese = '母が認知症になってから一人にできなくて仕事にも行けなくなりました';
    const jcut = shorten(japanese, 12, 'ja');
    expect([...jcut].length).toBeLessThanOrEqual(13);
    expect(jcut).not.toMatch(/認…|知…/);
  });
});
