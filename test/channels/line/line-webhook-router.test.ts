import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLineWebhookRouter } from '../../../src/channels/line/line-webhook-router.js';
import type { IncomingEvent } from '../../../src/core/ports/incoming-event.js';
import { createLogger } from '../../../src/logger.js';

const SECRET = 'test-channel-secret';
const USER_ID = 'Ub3f7c91e2d4a6b8c0e2f4a6b8c0d2e4f';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/line/${name}.json`, import.meta.url), 'utf8');
}

function sign(body: string | Buffer, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

function setup(opts: { bodyLimit?: string; ingest?: (events: IncomingEvent[]) => Promise<void> } = {}) {
  const calls: IncomingEvent[][] = [];
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const app = express();
  app.use(
    createLineWebhookRouter({
      channelSecret: SECRET,
      bodyLimit: opts.bodyLimit ?? '100kb',
      logger: createLogger('debug', destination),
      ingest: async (events) => {
        calls.push(events);
        await opts.ingest?.(events);
      },
    }),
  );
  const post = (body: string | Buffer, signature?: string) => {
    const req = request(app).post('/webhooks/line').set('content-type', 'application/json');
    if (signature !== undefined) req.set('x-line-signature', signature);
    return req.send(body);
  };
  return { app, calls, logLines, post };
}

describe('POST /webhooks/line', () => {
  it('accepts a correctly signed body and hands the converted events to ingest', async () => {
    const { calls, post } = setup();
    const body = fixture('text-message');

    const res = await post(body, sign(body));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, accepted: 1 });
    expect(calls).toEqual([
      [
        {
          id: '01JD6Z8Q3M4K7N2P5R8T1V4W7Y',
          channel: 'line',
          address: USER_ID,
          occurredAt: new Date(1732330000123),
          sequence: 0,
          replyToken: 'b60d432864f44d079f6d8efe86cf404b',
          content: { type: 'text', text: '家賃の支払いが難しくて相談したいです' },
        },
      ],
    ]);
  });

  it.each([
    'follow',
    'unfollow',
    'postback',
    'sticker-message',
    'image-message',
    'location-message',
    'redelivery',
  ])('accepts the %s fixture', async (name) => {
    const { calls, post } = setup();
    const body = fixture(name);

    const res = await post(body, sign(body));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, accepted: 1 });
    expect(calls).toHaveLength(1);
  });

  it('refuses a body without a signature', async () => {
    const { calls, post } = setup();

    const res = await post(fixture('text-message'));

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'missing_signature' });
    expect(calls).toEqual([]);
  });

  it('refuses a body signed with another secret', async () => {
    const { calls, post } = setup();
    const body = fixture('text-message');

    const res = await post(body, sign(body, 'someone-elses-secret'));

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_signature' });
    expect(calls).toEqual([]);
  });

  it('refuses two signature headers, even when the first one is valid', async () => {
    const { app, calls } = setup();
    const body = fixture('text-message');

    for (const signatures of [
      [sign(body), 'not-a-signature'],
      [sign(body), sign(body)],
    ]) {
      const res = await request(app)
        .post('/webhooks/line')
        .set('content-type', 'application/json')
        .set('x-line-signature', signatures as unknown as string) // superagent sends an array as repeated headers
        .send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'duplicate_signature' });
    }
    expect(calls).toEqual([]);
  });

  it.each([
    ['followed by more text', (s: string) => `${s}, junk`],
    ['followed by more base64', (s: string) => `${s}AAAA`],
    ['without its padding', (s: string) => s.replace(/=$/, '')],
    ['as base64url', (s: string) => s.replaceAll('+', '-').replaceAll('/', '_')],
  ])('refuses a valid signature %s', async (_name, mangle) => {
    const { calls, post } = setup();
    const body = fixture('text-message');
    const signature = sign(body);
    const mangled = mangle(signature);
    if (mangled === signature) return; // nothing to mangle in this signature (no + or /)

    const res = await post(body, mangled);

    expect(res.status).toBe(401);
    expect(calls).toEqual([]);
  });

  it('refuses a body changed after signing, even by whitespace', async () => {
    const { calls, post } = setup();
    const body = fixture('text-message');

    const res = await post(`${body} `, sign(body));

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_signature' });
    expect(calls).toEqual([]);
  });

  it('answers 400 to a correctly signed body that is not JSON', async () => {
    const { calls, post } = setup();
    const body = '{"destination":"U1","events":[';

    const res = await post(body, sign(body));

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'malformed_json' });
    expect(calls).toEqual([]);
  });

  it('answers 413 to a body over the limit, before looking at the signature', async () => {
    const { calls, post } = setup({ bodyLimit: '1kb' });
    const body = JSON.stringify({ destination: 'U1', events: [], padding: 'x'.repeat(2048) });

    const res = await post(body, sign(body));

    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'payload_too_large' });
    expect(calls).toEqual([]);
  });

  it('answers 400 with details to a signed body of the wrong shape', async () => {
    const { calls, post } = setup();
    const body = JSON.stringify({ destination: 'U1', events: 'none' });

    const res = await post(body, sign(body));

    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_body');
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'events' })]);
    expect(calls).toEqual([]);
  });

  it('refuses the whole body when one event has no webhookEventId', async () => {
    const { calls, post } = setup();
    const body = fixture('missing-webhook-event-id');

    const res = await post(body, sign(body));

    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_body');
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'events.1.webhookEventId' })]);
    expect(calls).toEqual([]);
  });

  it('answers 200 to event types it does not handle, without ingesting anything', async () => {
    const { calls, logLines, post } = setup();
    const body = fixture('join');

    const res = await post(body, sign(body));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, accepted: 0 });
    expect(calls).toEqual([]);
    expect(logLines.join('')).toContain('"reason":"unsupported_event_type"');
  });

  it("answers 200 to the console's verify request", async () => {
    const { calls, post } = setup();
    const body = fixture('verify');

    const res = await post(body, sign(body));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, accepted: 0 });
    expect(calls).toEqual([]);
  });

  it('answers 503 when ingest fails, so that LINE redelivers', async () => {
    const { logLines, post } = setup({
      ingest: async () => {
        throw new Error('inbox unavailable');
      },
    });
    const body = fixture('text-message');

    const res = await post(body, sign(body));

    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'ingest_failed' });
    expect(logLines.join('')).toContain('inbox unavailable');
  });

  it('does not answer before ingest has resolved', async () => {
    let release = () => {};
    const stored = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { calls, post } = setup({ ingest: () => stored });
    const body = fixture('text-message');

    let answered = false;
    const response = post(body, sign(body)).then((res) => {
      answered = true;
      return res;
    });
    await expect.poll(() => calls.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);

    release();
    expect((await response).status).toBe(200);
  });

  it('refuses to guess when a parser mounted earlier already consumed the body', async () => {
    const calls: IncomingEvent[][] = [];
    const app = express();
    app.use(express.json());
    app.use(
      createLineWebhookRouter({
        channelSecret: SECRET,
        bodyLimit: '100kb',
        logger: createLogger('silent'),
        ingest: async (events) => {
          calls.push(events);
        },
      }),
    );
    const body = fixture('text-message');

    const res = await request(app)
      .post('/webhooks/line')
      .set('content-type', 'application/json')
      .set('x-line-signature', sign(body))
      .send(body);

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'body_already_parsed' });
    expect(calls).toEqual([]);
  });

  it('never logs message text or raw user ids', async () => {
    const { logLines, post } = setup({
      ingest: async () => {
        throw new Error('inbox unavailable');
      },
    });
    for (const name of ['text-message', 'standby-message', 'join', 'missing-webhook-event-id']) {
      const body = fixture(name);
      await post(body, sign(body));
    }
    await post(fixture('text-message'), 'bad');

    const logged = logLines.join('');
    expect(logLines.length).toBeGreaterThan(0);
    expect(logged).not.toContain(USER_ID);
    expect(logged).not.toContain('家賃');
    expect(logged).not.toContain('担当者');
    expect(logged).not.toContain('こんにちは');
  });
});
