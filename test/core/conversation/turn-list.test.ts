import { describe, expect, it } from 'vitest';
import { Turn } from '../../../src/core/conversation/turn.js';
import { ConversationHarness } from '../../support/conversation-harness.js';

describe('Turn.list', () => {
  it('joins labels that contain the separator with a distinct one, so the list cannot be misread', async () => {
    const h = await ConversationHarness.create();
    const event = { content: { type: 'text', text: '' } } as unknown as ConstructorParameters<typeof Turn>[0];
    const state = { language: 'en' } as unknown as ConstructorParameters<typeof Turn>[2];
    const turn = new Turn(event, 'line:U1', state, h.content.translator);
    const en = h.content.translator.forLanguage('en');
    const labels = [en('field.livelihood'), en('field.children')];
    expect(turn.list(labels)).toBe(labels.join(en('common.list-separator-distinct')));
    expect(turn.list(['Police', 'Ambulance'])).toBe(`Police${en('common.list-separator')}Ambulance`);
    await h.close();
  });
});
