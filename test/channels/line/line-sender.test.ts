import nock from 'nock';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LineSender } from '../../../src/channels/line/line-sender.js';
import type { OutboxRecord } from '../../../src/core/ports/store.js';

const API = 'https://api.line.me';
const TOKEN = 'test-access-token';
const USER_ID = 'Ub3f7c91e2d4a6b8c0e2f4a6b8c0d2e4f';
const NOW = new Date('2026-05-01T09:00:00.000Z');

function sender(timeoutMs?: number): LineSender {
  return new LineSender({
    channelAccessToken: TOKEN,
    apiBaseUrl: API,
    logger: pino({ level: 'silent' }),
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

/** What a connection reset looks like on a socket. */
const connectionReset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

function item(overrides: Partial<OutboxRecord> = {}): OutboxRecord {
  return {
    id: '6f1c2a4e-8b3d-4c5e-9f7a-1b2c3d4e5f60',
    channel: 'line',
    address: USER_ID,
    messages: [{ type: 'text', text: 'ご相談ありがとうございます。' }],
    replyToken: 'b60d432864f44d079f6d8efe86cf404b',
    replyTokenExpiresAt: new Date(NOW.getTime() + 20_000),
    causedBy: '01JD6Z8Q3M4K7N2P5R8T1V4W7Y',
    createdAt: NOW,
    sequence: 1,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: NOW,
    ...overrides,
  };
}

const expired = { replyTokenExpiresAt: new Date(NOW.getTime() - 1) };
const renderedMessages = [{ type: 'text', text: 'ご相談ありがとうございます。' }];

/** Expects one reply request, with the token and without a retry key (LINE refuses that on reply). */
function replyScope() {
  return nock(API, {
    reqheaders: { authorization: `Bearer ${TOKEN}` },
    badheaders: ['x-line-retry-key'],
  }).post('/v2/bot/message/reply', { replyToken: item().replyToken, messages: renderedMessages });
}

/** Expects one push request carrying the outbox id as its retry key. */
function pushScope(id = item().id) {
  return nock(API, {
    reqheaders: { authorization: `Bearer ${TOKEN}`, 'x-line-retry-key': id },
  }).post('/v2/bot/message/push', { to: USER_ID, messages: renderedMessages });
}

describe('LineSender.send', () => {
  it('replies while the reply token is fresh', async () => {
    const reply = replyScope().reply(200, { sentMessages: [{ id: '1', quoteToken: 'q' }] });

    const result = await sender().send(item(), NOW);

    expect(result).toEqual({ kind: 'sent' });
    reply.done();
  });

  it('pushes with the outbox id as X-Line-Retry-Key once the reply token expired', async () => {
    const push = pushScope().reply(200, { sentMessages: [{ id: '1', quoteToken: 'q' }] });

    const result = await sender().send(item(expired), NOW);

    expect(result).toEqual({ kind: 'sent' });
    push.done();
  });

  it('pushes when the reply token was already spent', async () => {
    const push = pushScope().reply(200, {});

    const result = await sender().send(item({ replyTokenSpent: true }), NOW);

    expect(result).toEqual({ kind: 'sent' });
    push.done();
  });

  it('pushes when there is no reply token at all', async () => {
    const push = pushScope().reply(200, {});

    const result = await sender().send(item({ replyToken: undefined, replyTokenExpiresAt: undefined }), NOW);

    expect(result).toEqual({ kind: 'sent' });
    push.done();
  });

  it('falls back to push in the same call when the reply token is refused', async () => {
    const reply = replyScope().reply(400, { message: 'Invalid reply token' });
    const push = pushScope().reply(200, {});

    const result = await sender().send(item(), NOW);

    expect(result).toEqual({ kind: 'sent' });
    reply.done();
    push.done();
  });

  it('retries after the Retry-After seconds of a 429', async () => {
    const push = pushScope().reply(429, { message: 'Too many requests' }, { 'Retry-After': '2' });

    const result = await sender().send(item(expired), NOW);

    expect(result).toEqual({
      kind: 'retry',
      error: 'line.pushMessage 429: {"message":"Too many requests"}',
      retryAfterMs: 2000,
      replyTokenSpent: false,
    });
    push.done();
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    const at = new Date(NOW.getTime() + 30_000).toUTCString();
    const push = pushScope().reply(429, { message: 'Too many requests' }, { 'Retry-After': at });

    const result = await sender().send(item(expired), NOW);

    expect(result).toMatchObject({ kind: 'retry', retryAfterMs: 30_000 });
    push.done();
  });

  it('retries a push that met a server error', async () => {
    const push = pushScope().reply(500, { message: 'Internal server error' });

    const result = await sender().send(item(expired), NOW);

    expect(result).toEqual({
      kind: 'retry',
      error: 'line.pushMessage 500: {"message":"Internal server error"}',
      retryAfterMs: undefined,
      replyTokenSpent: false,
    });
    push.done();
  });

  it('retries a reply that met a server error with the reply again, while the token lives', async () => {
    const reply = replyScope().reply(503, 'Service Unavailable');

    const result = await sender().send(item(), NOW);

    expect(result).toMatchObject({ kind: 'retry', error: 'line.replyMessage 503: Service Unavailable' });
    expect(result).toMatchObject({ replyTokenSpent: false });
    reply.done();
  });

  it('journals the reply attempt before the request is made', async () => {
    const order: string[] = [];
    const reply = replyScope().reply(() => {
      order.push('request');
      return [200, {}];
    });
    const journal = {
      replyAttempted: async () => {
        order.push('journalled');
      },
      replyTokenSpent: async () => {
        order.push('spent');
      },
    };

    expect(await sender().send(item(), NOW, journal)).toEqual({ kind: 'sent' });
    expect(order).toEqual(['journalled', 'request']);
    reply.done();
  });

  it('counts a 400 for a token attempted before within its life as delivered, and does not push', async () => {
    const reply = replyScope().reply(400, { message: 'Invalid reply token' });

    const result = await sender().send(item({ replyAttemptedAt: new Date(NOW.getTime() - 5_000) }), NOW);

    expect(result).toEqual({ kind: 'sent' });
    reply.done();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('journals the token as spent when a first reply is refused, then pushes', async () => {
    const spent: string[] = [];
    const reply = replyScope().reply(400, { message: 'Invalid reply token' });
    const push = pushScope().reply(500, {});
    const journal = {
      replyAttempted: async () => {},
      replyTokenSpent: async () => {
        spent.push('spent');
      },
    };

    const result = await sender().send(item(), NOW, journal);

    expect(result).toMatchObject({ kind: 'retry', replyTokenSpent: true });
    expect(spent).toEqual(['spent']);
    reply.done();
    push.done();
  });

  it('pushes once a reply attempt of unknown outcome has outlived its token', async () => {
    const push = pushScope().reply(200, {});

    const result = await sender().send(
      item({ ...expired, replyAttemptedAt: new Date(NOW.getTime() - 25_000) }),
      NOW,
    );

    expect(result).toEqual({ kind: 'sent' });
    push.done();
  });

  it('counts a 409 on push as sent: LINE already accepted that retry key', async () => {
    const push = pushScope().reply(409, { message: 'The retry key is already accepted' });

    const result = await sender().send(item(expired), NOW);

    expect(result).toEqual({ kind: 'sent' });
    push.done();
  });

  it('fails for good on another 4xx, naming the method and status', async () => {
    const push = pushScope().reply(400, {
      message: 'The request body has 1 error(s)',
      details: [{ message: 'May not be empty', property: 'messages[0].text' }],
    });

    const result = await sender().send(item(expired), NOW);

    expect(result).toEqual({
      kind: 'failed',
      error:
        'line.pushMessage 400: {"message":"The request body has 1 error(s)","details":[{"message":"May not be empty","property":"messages[0].text"}]}',
    });
    push.done();
  });

  it('fails when the reply is refused with something other than 400, without pushing', async () => {
    const reply = replyScope().reply(401, { message: 'Authentication failed' });

    const result = await sender().send(item(), NOW);

    expect(result).toEqual({
      kind: 'failed',
      error: 'line.replyMessage 401: {"message":"Authentication failed"}',
    });
    reply.done();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('shortens a long error body', async () => {
    const push = pushScope().reply(403, 'x'.repeat(1000));

    const result = await sender().send(item(expired), NOW);

    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' && result.error.length).toBeLessThan(250);
    push.done();
  });

  it('retries a network error on push', async () => {
    const push = pushScope().replyWithError(connectionReset());

    const result = await sender().send(item(expired), NOW);

    expect(result).toMatchObject({ kind: 'retry', replyTokenSpent: false });
    expect(result.kind === 'retry' && result.error).toMatch(/^line\.pushMessage network: .*ECONNRESET/);
    push.done();
  });

  it('retries a network error on reply with the token unspent (the retry replies again)', async () => {
    const reply = replyScope().replyWithError(connectionReset());

    const result = await sender().send(item(), NOW);

    expect(result).toMatchObject({ kind: 'retry', replyTokenSpent: false });
    expect(result.kind === 'retry' && result.error).toMatch(/^line\.replyMessage network: .*ECONNRESET/);
    reply.done();
  });

  it('gives up on a LINE that does not answer within the deadline, and retries', async () => {
    const push = pushScope().delay(2_000).reply(200, {});

    const result = await sender(100).send(item(expired), NOW);

    expect(result).toMatchObject({ kind: 'retry', replyTokenSpent: false });
    expect(result.kind === 'retry' && result.error).toMatch(
      /^line\.pushMessage network: no answer within 100 ms/,
    );
    push.done();
  });

  it('counts a 2xx with an unreadable body as sent', async () => {
    const push = pushScope().reply(200, 'OK');

    const result = await sender().send(item(expired), NOW);

    expect(result).toEqual({ kind: 'sent' });
    push.done();
  });

  it('sends quick replies as LINE quick reply actions', async () => {
    const push = nock(API)
      .post('/v2/bot/message/push', {
        to: USER_ID,
        messages: [
          {
            type: 'text',
            text: 'どちらですか?',
            quickReply: {
              items: [
                {
                  type: 'action',
                  action: { type: 'postback', label: '住まい', data: 'topic=housing', displayText: '住まい' },
                },
                { type: 'action', action: { type: 'uri', label: '相談ダイヤル', uri: 'tel:%238008' } },
              ],
            },
          },
        ],
      })
      .reply(200, {});

    const result = await sender().send(
      item({
        ...expired,
        messages: [
          {
            type: 'text',
            text: 'どちらですか?',
            quickReplies: [
              { kind: 'choice', label: '住まい', data: 'topic=housing' },
              { kind: 'call', label: '相談ダイヤル', phone: '#8008' },
            ],
          },
        ],
      }),
      NOW,
    );

    expect(result).toEqual({ kind: 'sent' });
    push.done();
  });

  it('fails without calling LINE when the messages break a LINE limit', async () => {
    const tooMany = Array.from({ length: 6 }, (_, i) => ({ type: 'text' as const, text: `part ${i}` }));

    const result = await sender().send(item({ messages: tooMany }), NOW);

    expect(result).toMatchObject({ kind: 'failed' });
    expect(result.kind === 'failed' && result.error).toMatch(/^line\.render: /);
  });
});

describe('LineSender.showTyping', () => {
  it.each([
    [7, 10],
    [5, 5],
    [1, 5],
    [100, 60],
    [Number.NaN, 5],
  ])('asks for %s seconds as %s', async (seconds, loadingSeconds) => {
    const scope = nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .post('/v2/bot/chat/loading/start', { chatId: USER_ID, loadingSeconds })
      .reply(202, {});

    await sender().showTyping(USER_ID, seconds);

    scope.done();
  });

  it('swallows errors', async () => {
    const scope = nock(API)
      .post('/v2/bot/chat/loading/start')
      .reply(400, { message: 'Not a one-to-one chat' });

    await expect(sender().showTyping(USER_ID, 10)).resolves.toBeUndefined();
    scope.done();
  });

  it('swallows network errors', async () => {
    const scope = nock(API).post('/v2/bot/chat/loading/start').replyWithError('connection refused');

    await expect(sender().showTyping(USER_ID, 10)).resolves.toBeUndefined();
    scope.done();
  });
});
