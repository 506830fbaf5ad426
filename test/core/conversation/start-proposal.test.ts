import { describe, expect, it } from 'vitest';
import { startProposal } from '../../../src/core/conversation/start-proposal.js';

const classification = (fieldScores: Record<string, number>, observations: string[] = []) =>
  ({
    fields: Object.keys(fieldScores).sort((a, b) => (fieldScores[b] ?? 0) - (fieldScores[a] ?? 0)),
    fieldScores,
    patterns: [],
    observations,
  }) as Parameters<typeof startProposal>[0];

describe('startProposal', () => {
  it('offers what a neighbour noticed first', () => {
    expect(startProposal(classification({ elderly: 2 }, ['not_seen']))).toEqual({
      kind: 'start-neighbour',
      values: ['not_seen'],
    });
  });

  it('leaves out a field mentioned in passing, and keeps fields of similar weight together', () => {
    expect(startProposal(classification({ livelihood: 3, elderly: 1 }))?.values).toEqual(['livelihood']);
    expect(startProposal(classification({ livelihood: 2, elderly: 2 }))?.values).toEqual([
      'livelihood',
      'elderly',
    ]);
  });

  it('offers nothing when nothing was recognised', () => {
    expect(startProposal(classification({}))).toBeNull();
  });
});
