import { describe, expect, it } from 'vitest';
import { LineLimitError, renderLineMessages } from '../../../src/channels/line/line-message-renderer.js';
import type { OutgoingMessage, QuickReply } from '../../../src/core/ports/outgoing-message.js';

const text = (value: string, quickReplies?: QuickReply[]): OutgoingMessage => ({
  type: 'text',
  text: value,
  quickReplies,
});
const choice = (label: string, data = 'x'): QuickReply => ({ kind: 'choice', label, data });

describe('renderLineMessages', () => {
  it('renders plain text without a quick reply', () => {
    expect(renderLineMessages([text('こんにちは')])).toEqual([{ type: 'text', text: 'こんにちは' }]);
  });

  it('renders choices as postbacks that echo the label unless told otherwise', () => {
    const [rendered] = renderLineMessages([
      text('どちらですか?', [
        { kind: 'choice', label: '住まい', data: 'topic=housing' },
        { kind: 'choice', label: 'その他', data: 'topic=other', displayText: 'その他の相談' },
      ]),
    ]);

    expect(rendered).toEqual({
      type: 'text',
      text: 'どちらですか?',
      quickReply: {
        items: [
          {
            type: 'action',
            action: { type: 'postback', label: '住まい', data: 'topic=housing', displayText: '住まい' },
          },
          {
            type: 'action',
            action: { type: 'postback', label: 'その他', data: 'topic=other', displayText: 'その他の相談' },
          },
        ],
      },
    });
  });

  it('renders calls as tel: links with "#" escaped', () => {
    const [rendered] = renderLineMessages([
      text('お電話ください', [
        { kind: 'call', label: '救急', phone: '119' },
        { kind: 'call', label: '相談ダイヤル', phone: '#8008' },
        { kind: 'call', label: 'フリーダイヤル', phone: '0120-279-338' },
      ]),
    ]);

    expect(rendered?.quickReply?.items?.map((item) => item.action)).toEqual([
      { type: 'uri', label: '救急', uri: 'tel:119' },
      { type: 'uri', label: '相談ダイヤル', uri: 'tel:%238008' },
      { type: 'uri', label: 'フリーダイヤル', uri: 'tel:0120-279-338' },
    ]);
  });

  it('renders links as uri actions', () => {
    const [rendered] = renderLineMessages([
      text('詳しくはこちら', [
        { kind: 'link', label: '市のページ', url: 'https://www.city.example.jp/fukushi/' },
      ]),
    ]);

    expect(rendered?.quickReply?.items).toEqual([
      {
        type: 'action',
        action: { type: 'uri', label: '市のページ', uri: 'https://www.city.example.jp/fukushi/' },
      },
    ]);
  });

  it('keeps the order of several messages', () => {
    const rendered = renderLineMessages([text('一'), text('二'), text('三')]);

    expect(rendered.map((m) => (m.type === 'text' ? m.text : m.type))).toEqual(['一', '二', '三']);
  });

  it('accepts every limit exactly', () => {
    const replies = Array.from({ length: 13 }, (_, i) => choice(`${i}`.padEnd(20, 'あ'), 'd'.repeat(300)));
    const messages = [text('あ'.repeat(5000), replies), ...Array.from({ length: 4 }, () => text('x'))];

    expect(renderLineMessages(messages)).toHaveLength(5);
  });

  describe('refuses what LINE would refuse', () => {
    it.each<[string, OutgoingMessage[], RegExp]>([
      ['no messages', [], /at least one message/],
      [
        'six messages',
        Array.from({ length: 6 }, () => text('x')),
        /6 messages in one request, LINE allows 5/,
      ],
      ['empty text', [text('')], /text is empty/],
      ['text over 5000 characters', [text('あ'.repeat(5001))], /text is 5001 long, LINE allows 5000/],
      [
        'fourteen quick replies',
        [
          text(
            'x',
            Array.from({ length: 14 }, (_, i) => choice(`${i}`)),
          ),
        ],
        /14 quick replies, LINE allows 13/,
      ],
      [
        'a label over 20 characters',
        [text('x', [choice('あ'.repeat(21))])],
        /label is 21 long, LINE allows 20/,
      ],
      ['an empty label', [text('x', [choice('')])], /label is empty/],
      [
        'postback data over 300 characters',
        [text('x', [choice('ok', 'd'.repeat(301))])],
        /postback data is 301 long, LINE allows 300/,
      ],
      [
        'displayText over 300 characters',
        [text('x', [{ kind: 'choice', label: 'ok', data: 'd', displayText: 'あ'.repeat(301) }])],
        /displayText is 301 long/,
      ],
      [
        'a link that is not http(s)',
        [text('x', [{ kind: 'link', label: 'ok', url: 'javascript:alert(1)' }])],
        /not an http\(s\) or line URL/,
      ],
      [
        'a link over 1000 characters',
        [text('x', [{ kind: 'link', label: 'ok', url: `https://example.jp/${'a'.repeat(1000)}` }])],
        /uri is 1019 long, LINE allows 1000/,
      ],
    ])('%s', (_name, messages, reason) => {
      expect(() => renderLineMessages(messages)).toThrow(LineLimitError);
      expect(() => renderLineMessages(messages)).toThrow(reason);
    });

    it('says where the problem is, without quoting the text', () => {
      const secret = '生活保護の申請について'.repeat(500);
      let caught: unknown;
      try {
        renderLineMessages([text('ok'), text(secret)]);
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(LineLimitError);
      expect(caught).toMatchObject({ code: 'LINE_LIMIT_EXCEEDED', name: 'LineLimitError' });
      expect((caught as Error).message).toMatch(/^message 1: text is/);
      expect((caught as Error).message).not.toContain('生活保護');
    });
  });
});
