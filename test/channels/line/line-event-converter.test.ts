import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertLineEvents } from '../../../src/channels/line/line-event-converter.js';

const USER_ID = 'Ub3f7c91e2d4a6b8c0e2f4a6b8c0d2e4f';

function fixture(name: string): { destination: string; events: Array<Record<string, unknown>> } {
  return JSON.parse(readFileSync(new URL(`../../fixtures/line/${name}.json`, import.meta.url), 'utf8'));
}

/** One event of a fixture, with fields overridden, in a body of its own. */
function bodyWith(name: string, overrides: Record<string, unknown>) {
  const body = fixture(name);
  return { ...body, events: [{ ...body.events[0], ...overrides }] };
}

function converted(body: unknown) {
  const result = convertLineEvents(body);
  if (result.kind !== 'converted') throw new Error(`expected a conversion, got ${JSON.stringify(result)}`);
  return result;
}

describe('convertLineEvents', () => {
  it.each([
    ['text-message', { type: 'text', text: '家賃の支払いが難しくて相談したいです' }],
    ['follow', { type: 'follow' }],
    ['unfollow', { type: 'unfollow' }],
    ['postback', { type: 'choice', data: 'intake.topic=housing' }],
    ['sticker-message', { type: 'sticker' }],
    ['image-message', { type: 'media', media: 'image', contentId: '537582961034461205' }],
    [
      'location-message',
      {
        type: 'location',
        latitude: 35.681236,
        longitude: 139.767125,
        title: '市役所',
        address: '東京都千代田区丸の内1-1-1',
      },
    ],
  ])('converts the %s fixture', (name, content) => {
    const source = fixture(name).events[0];

    const result = converted(fixture(name));

    expect(result.ignored).toEqual([]);
    expect(result.events).toEqual([
      expect.objectContaining({
        id: source?.webhookEventId,
        channel: 'line',
        address: USER_ID,
        occurredAt: new Date(source?.timestamp as number),
        sequence: 0,
        content,
      }),
    ]);
  });

  it('carries the reply token of messages, follows and postbacks, and none for unfollows', () => {
    const tokens = ['text-message', 'follow', 'postback', 'unfollow'].map(
      (name) => converted(fixture(name)).events[0]?.replyToken,
    );

    expect(tokens).toEqual([
      'b60d432864f44d079f6d8efe86cf404b',
      '85cbe770fa8b4f45bbe077b1d4be4a36',
      'b60d432864f44d079f6d8efe86cf404c',
      undefined,
    ]);
  });

  it('converts videos, audio and files as media, with the file name', () => {
    const media = (message: Record<string, unknown>) =>
      converted(bodyWith('text-message', { message })).events[0]?.content;

    expect(media({ type: 'video', id: 'v1', duration: 6000, contentProvider: { type: 'line' } })).toEqual({
      type: 'media',
      media: 'video',
      contentId: 'v1',
    });
    expect(media({ type: 'audio', id: 'a1', duration: 6000, contentProvider: { type: 'line' } })).toEqual({
      type: 'media',
      media: 'audio',
      contentId: 'a1',
    });
    expect(media({ type: 'file', id: 'f1', fileName: '診断書.pdf', fileSize: 2138 })).toEqual({
      type: 'media',
      media: 'file',
      contentId: 'f1',
      fileName: '診断書.pdf',
    });
  });

  it('converts a redelivered event like the original, so the inbox can recognise it', () => {
    const original = converted(fixture('text-message')).events;
    const redelivered = converted(fixture('redelivery')).events;

    expect(redelivered).toEqual(original);
  });

  it('numbers events by their position in the body, ignored ones included', () => {
    const body = {
      destination: 'U1',
      events: [...fixture('join').events, ...fixture('follow').events, ...fixture('text-message').events],
    };

    const result = converted(body);

    expect(result.events.map((e) => [e.content.type, e.sequence])).toEqual([
      ['follow', 1],
      ['text', 2],
    ]);
    expect(result.ignored).toEqual([
      { webhookEventId: '01JD6ZF0FFFFFFFFFFFFFFFFFF', type: 'join', reason: 'unsupported_event_type' },
    ]);
  });

  it('accepts the verify request as an empty delivery', () => {
    expect(convertLineEvents(fixture('verify'))).toEqual({ kind: 'converted', events: [], ignored: [] });
  });

  it.each([
    ['leave', {}],
    ['memberJoined', { joined: { members: [{ type: 'user', userId: USER_ID }] } }],
    ['beacon', { beacon: { hwid: 'd41d8cd98f', type: 'enter' } }],
    ['accountLink', { link: { result: 'ok', nonce: 'xyz' } }],
    ['videoPlayComplete', { videoPlayComplete: { trackingId: 't1' } }],
    ['unsend', { unsend: { messageId: '1' } }],
    ['things', { things: { deviceId: 't1', type: 'link' } }],
    ['somethingLineAddsNextYear', { timestamp: 'not even a number' }],
  ])('ignores %s events', (type, extra) => {
    const result = converted(bodyWith('follow', { type, ...extra }));

    expect(result.events).toEqual([]);
    expect(result.ignored).toEqual([
      { webhookEventId: '01JD6Z9A1B2C3D4E5F6G7H8J9K', type, reason: 'unsupported_event_type' },
    ]);
  });

  it('ignores message types it does not handle without failing the body', () => {
    const result = converted({
      destination: 'U1',
      events: [
        { ...fixture('text-message').events[0], message: { type: 'coupon', id: 'c1' } },
        ...fixture('follow').events,
      ],
    });

    expect(result.events.map((e) => e.content.type)).toEqual(['follow']);
    expect(result.ignored).toEqual([
      {
        webhookEventId: '01JD6Z8Q3M4K7N2P5R8T1V4W7Y',
        type: 'message.coupon',
        reason: 'unsupported_message_type',
      },
    ]);
  });

  it('ignores events in standby mode: another channel owns the chat', () => {
    const result = converted(fixture('standby-message'));

    expect(result.events).toEqual([]);
    expect(result.ignored).toEqual([
      { webhookEventId: '01JD6ZG0GGGGGGGGGGGGGGGGGG', type: 'message', reason: 'standby_mode' },
    ]);
  });

  it('ignores group and room chats, even with a user id', () => {
    const group = { type: 'group', groupId: 'Ca56f94637c4e0b5c9f2d7e8a1b3c5d7e', userId: USER_ID };
    const room = { type: 'room', roomId: 'Ra56f94637c4e0b5c9f2d7e8a1b3c5d7e', userId: USER_ID };

    for (const source of [group, room]) {
      expect(converted(bodyWith('text-message', { source })).ignored).toEqual([
        { webhookEventId: '01JD6Z8Q3M4K7N2P5R8T1V4W7Y', type: 'message', reason: 'not_one_to_one_chat' },
      ]);
    }
  });

  it('ignores events without a user id', () => {
    for (const source of [{ type: 'user' }, undefined]) {
      const result = converted(bodyWith('follow', { source }));

      expect(result.events).toEqual([]);
      expect(result.ignored).toEqual([
        { webhookEventId: '01JD6Z9A1B2C3D4E5F6G7H8J9K', type: 'follow', reason: 'no_user_id' },
      ]);
    }
  });

  describe('refuses the whole body', () => {
    it('when an event has no webhookEventId', () => {
      expect(convertLineEvents(fixture('missing-webhook-event-id'))).toEqual({
        kind: 'invalid',
        error: 'invalid_body',
        details: [{ path: 'events.1.webhookEventId', message: expect.any(String) }],
      });
    });

    it('when an unknown event has an empty webhookEventId', () => {
      expect(convertLineEvents(bodyWith('join', { webhookEventId: '' }))).toMatchObject({
        kind: 'invalid',
        details: [{ path: 'events.0.webhookEventId' }],
      });
    });

    it.each<[string, unknown, string]>([
      ['a body that is not an object', [], ''],
      ['a body without events', { destination: 'U1' }, 'events'],
      ['events that are not objects', { destination: 'U1', events: ['follow'] }, 'events.0'],
      [
        'a text message without text',
        bodyWith('text-message', { message: { type: 'text', id: '1' } }),
        'events.0.message.text',
      ],
      ['a postback without data', bodyWith('postback', { postback: {} }), 'events.0.postback.data'],
      [
        'a timestamp that is not a number',
        bodyWith('follow', { timestamp: '1732330001000' }),
        'events.0.timestamp',
      ],
      ['an unknown mode', bodyWith('follow', { mode: 'passive' }), 'events.0.mode'],
      [
        'a location without coordinates',
        bodyWith('location-message', { message: { type: 'location', id: '1' } }),
        'events.0.message.latitude',
      ],
    ])('for %s', (_name, body, path) => {
      const result = convertLineEvents(body);

      expect(result.kind).toBe('invalid');
      expect(result.kind === 'invalid' && result.details.map((d) => d.path)).toContain(path);
    });

    it('without quoting user content in the details', () => {
      const result = convertLineEvents(bodyWith('text-message', { timestamp: 'nope', mode: '家賃の相談' }));

      expect(JSON.stringify(result)).not.toContain('家賃');
      expect(JSON.stringify(result)).not.toContain(USER_ID);
    });
  });
});
