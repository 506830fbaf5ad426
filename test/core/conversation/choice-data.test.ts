import { describe, expect, it } from 'vitest';
import { type ChoiceData, decodeChoice, encodeChoice } from '../../../src/core/conversation/choice-data.js';

describe('choice data (what a tapped button carries back)', () => {
  const samples: ChoiceData[] = [
    { kind: 'option', flow: 'intake-self', step: 'who', option: 'self' },
    { kind: 'toggle', flow: 'intake-neighbour', step: 'observed', option: 'not_seen' },
    { kind: 'done', flow: 'intake-self', step: 'fields' },
    { kind: 'skip', flow: 'intake-self', step: 'words' },
    { kind: 'proposal', answer: 'yes' },
    { kind: 'resume', answer: 'restart' },
    { kind: 'command', command: 'language' },
    { kind: 'rating', caseId: '2f1e7c9a-3b4d-5e6f-8a9b-0c1d2e3f4a5b', score: 4 },
    { kind: 'consent', answer: 'no', caseId: '2f1e7c9a-3b4d-5e6f-8a9b-0c1d2e3f4a5b', window: 'kodomo-katei' },
    // The longest a consent button can be: 64-character ids both.
    { kind: 'consent', answer: 'yes', caseId: 'c'.repeat(64), window: 'w'.repeat(64) },
  ];

  it('round-trips every kind within LINE postback data limits', () => {
    for (const sample of samples) {
      const data = encodeChoice(sample);
      expect(data.length).toBeLessThanOrEqual(300);
      expect(decodeChoice(data)).toEqual(sample);
    }
  });

  it('refuses data it did not make', () => {
    for (const bad of [
      '',
      'x|y',
      'o|flow|step',
      'o|Flow|step|opt',
      'o|a|b|../c',
      'p|maybe',
      'c|delete',
      'q|id|9',
      'q|id|2.5',
      'g|maybe|case|window',
      'g|yes|case',
      'g|yes|case|Window.x',
    ]) {
      expect(decodeChoice(bad), bad).toBeNull();
    }
  });
});
