import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { richMenuPostback } from '../../../src/channels/line/rich-menu/rich-menu-definition.js';
import { ConversationHarness } from '../../support/conversation-harness.js';

describe('a tap on the rich menu', () => {
  let h: ConversationHarness;
  beforeEach(async () => {
    h = await ConversationHarness.create();
  });
  afterEach(() => h.close());

  it('opens 緊急のとき from the middle of an intake (the menu works from any step)', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'self');
    await r.receive({ type: 'choice', data: richMenuPostback('emergency') });
    expect(r.said('emergency.first')).toBe(true);
    expect(r.said('common.stale-choice')).toBe(false);
  });

  it('opens the neighbour report and 記録について as the chat menu does', async () => {
    const r = h.resident();
    await r.follow();
    await r.receive({ type: 'choice', data: richMenuPostback('neighbour') });
    expect(
      r.buttons().some((b) => b.kind === 'choice' && b.data.startsWith('m|intake-neighbour|observed|')),
    ).toBe(true);
    await r.receive({ type: 'choice', data: richMenuPostback('data') });
    expect(r.said('common.stale-choice')).toBe(false);
  });
});

describe("the resident's language, told to the channel (LINE links that language's rich menu)", () => {
  let h: ConversationHarness;
  beforeEach(async () => {
    h = await ConversationHarness.create();
  });
  afterEach(() => h.close());

  it('says nothing for a resident on the default language, then once when they choose another', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    expect(h.languageChanges).toEqual([]);
    await r.receive({ type: 'choice', data: richMenuPostback('language') });
    await r.tapOption('language', 'pick', 'en');
    expect(h.languageChanges).toEqual([{ address: r.address, language: 'en' }]);
  });

  it('tells of a new resident whose LINE profile is in another language', async () => {
    const r = h.resident();
    h.profileLanguages.set(r.address, 'ko-KR');
    await r.follow();
    expect(h.languageChanges).toEqual([{ address: r.address, language: 'ko' }]);
  });
});
