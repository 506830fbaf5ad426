import { describe, expect, it } from 'vitest';
import { startProposal } from '../../../src/core/conversation/start-proposal.js';

const classification = (
  fieldScores: Record<string, number>,
  observations: string[] = [],
  namesOutsider = false,
) =>
  ({
    fields: Object.keys(fieldScores).sort((a, b) => (fieldScores[b] ?? 0) - (fieldScores[a] ?? 0)),
    fieldScores,
    patterns: [],
    observations,
    namesOutsider,
  }) as Parameters<typeof startProposal>[0];

describe('startProposal', () => {
  it('offers what a neighbour noticed first when the text names someone outside the family', () => {
    expect(startProposal(classification({ elderly: 2 }, ['not_seen'], true))).toEqual({
      kind: 'start-neighbour',
      values: ['not_seen'],
    });
  });

  it('offers what was noticed when the text names no field, whoever it is about', () => {
    expect(startProposal(classification({}, ['child_crying']))).toEqual({
      kind: 'start-neighbour',
      values: ['child_crying'],
    });
  });

  it('offers the fields, not a neighbour report, when signs are told of the family or oneself', () => {
    // "My father keeps getting lost on his way home": a daughter's consultation about old age.
    expect(startProposal(classification({ elderly: 2 }, ['unwell_confused']))).toEqual({
      kind: 'start-self',
      values: ['elderly'],
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
