import { describe, expect, it } from 'vitest';
import {
  escapeSlack,
  plainTextSections,
  slackToPlainText,
  userMention,
} from '../../../src/channels/slack/slack-markup.js';
import { replyText } from '../../../src/channels/slack/slack-thread-relay.js';

describe('escapeSlack / plainTextSections', () => {
  it('escapes the three control characters and nothing else', () => {
    expect(escapeSlack('<!channel> & <@U1> "q" \'a\'')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; "q" \'a\'');
  });

  it('splits long text into plain_text sections of at most 3,000 characters without cutting an entity', () => {
    const sections = plainTextSections(`${'あ'.repeat(2998)}<>`);
    expect(sections.map((s) => s.text?.text)).toEqual([`${'あ'.repeat(2998)}`, '&lt;&gt;']);
    expect(sections.every((s) => s.text?.type === 'plain_text')).toBe(true);
  });

  it('never makes a mention out of something that is not a user id', () => {
    expect(userMention('U0AUTHSTAFF')).toBe('<@U0AUTHSTAFF>');
    expect(userMention('<!channel>')).toBe('&lt;!channel&gt;');
  });
});

describe('staff replies', () => {
  it('recognises the documented prefixes', () => {
    expect(replyText('返信: こんにちは')).toBe('こんにちは');
    expect(replyText('返信：こんにちは')).toBe('こんにちは');
    expect(replyText('Reply: hello')).toBe('hello');
    expect(replyText('これは内部のメモです 返信: ではない')).toBeUndefined();
    expect(replyText(undefined)).toBeUndefined();
  });

  it("turns Slack's markup into plain text for the resident", () => {
    expect(
      slackToPlainText(
        '見て &lt;ください&gt; &amp; <https://city.example/a|案内> <@U123> <#C1|soudan> <!here>',
      ),
    ).toBe('見て <ください> & 案内 (https://city.example/a) @ #soudan @here');
    expect(slackToPlainText('<https://city.example/a> <mailto:a@b.jp|a@b.jp>')).toBe(
      'https://city.example/a a@b.jp',
    );
  });
});
