import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../src/config.js';
import { loadConversationContent } from '../../src/load-conversation-content.js';
import type { Service } from '../../src/service.js';
import { FakeClock } from '../support/fake-clock.js';
import { signLineBody, textEvent, userSource, webhookBody } from '../support/line-webhook-bodies.js';
import { LINE_API, startTestService, tempDataDir } from '../support/test-service.js';

/** The shipped Japanese texts, to assert by i18n key: a city editing locales/ breaks none of these tests. */
const ja = loadConversationContent(projectRoot, loadConfig({}).municipalityConfigPath).translator.forLanguage(
  'ja',
);

const USER_A = 'U1111111111111111111111111111111a';
const USER_B = 'U2222222222222222222222222222222b';

function post(service: Service, body: string, signature: string | null = signLineBody(body)) {
  const req = request(service.app).post('/webhooks/line').set('content-type', 'application/json');
  if (signature !== null) req.set('x-line-signature', signature);
  return req.send(body);
}

async function settle(service: Service): Promise<void> {
  await service.inbox.drain();
  await service.outbox.drain();
}

async function storedCounts(service: Service) {
  return {
    inbox: await service.store.inbox.countByStatus(),
    outbox: await service.store.outbox.countByStatus(),
  };
}

const replyBody = (b: { messages: Array<{ text: string }> }) => b.messages.map((m) => m.text);

describe('POST /webhooks/line', () => {
  let clock: FakeClock;
  let data: ReturnType<typeof tempDataDir>;
  let service: Service;

  beforeEach(async () => {
    clock = new FakeClock();
    data = tempDataDir();
    service = await startTestService({ dataDir: data.dir, clock });
    service.start();
  });

  afterEach(async () => {
    await service.stop();
    data.remove();
    expect(nock.pendingMocks()).toEqual([]);
  });

  // End to end on purpose: the reply is matched against the real Japanese copy of the notice, as
  // LINE receives it. Every other test goes by i18n keys.
  it('stores a signed event, answers 200, then replies once through the outbox', async () => {
    const event = textEvent(USER_A, 'こんにちは', clock.now());
    const reply = nock(LINE_API)
      .post(
        '/v2/bot/message/reply',
        (b) => b.replyToken === event.replyToken && replyBody(b)[0]?.includes('福祉の相談窓口'),
      )
      .reply(200, {});

    const res = await post(service, webhookBody([event]));
    expect(res.status).toBe(200);
    await settle(service);

    reply.done();
    const stored = await service.store.inbox.get(event.webhookEventId);
    expect(stored?.status).toBe('done');
    expect((await storedCounts(service)).outbox.sent).toBe(1);
  });

  it('processes a replayed webhookEventId once (redelivery and plain duplicate)', async () => {
    const event = textEvent(USER_A, '二回届く', clock.now());
    const reply = nock(LINE_API).post('/v2/bot/message/reply').once().reply(200, {});
    const body = webhookBody([event]);
    const redelivery = webhookBody([{ ...event, deliveryContext: { isRedelivery: true } }]);

    expect((await post(service, body)).status).toBe(200);
    expect((await post(service, body)).status).toBe(200);
    expect((await post(service, redelivery)).status).toBe(200);
    await settle(service);

    reply.done();
    const counts = await storedCounts(service);
    expect(counts.inbox).toEqual({ pending: 0, done: 1, parked: 0 });
    expect(counts.outbox.sent).toBe(1);
  });

  it('retries a 429 with the same X-Line-Retry-Key and delivers exactly one message', async () => {
    // An event older than the reply window: the answer must go by push.
    const event = textEvent(USER_A, '遅れて届く', new Date(clock.now().getTime() - 60_000));
    const keys: string[] = [];
    const line = nock(LINE_API)
      .post('/v2/bot/message/push')
      .reply(function () {
        keys.push(String(this.req.headers['x-line-retry-key']));
        return [429, { message: 'Too many requests' }, { 'retry-after': '3' }];
      })
      .post('/v2/bot/message/push', (b) => b.to === USER_A)
      .reply(function () {
        keys.push(String(this.req.headers['x-line-retry-key']));
        return [200, { sentMessages: [{ id: '1', quoteToken: 'q' }] }];
      });

    expect((await post(service, webhookBody([event]))).status).toBe(200);
    await settle(service);
    expect(keys).toHaveLength(1);
    expect((await storedCounts(service)).outbox.pending).toBe(1);

    clock.advance(2_000); // Retry-After: 3 is honoured: not yet
    await service.outbox.drain();
    expect(keys).toHaveLength(1);

    clock.advance(60_000);
    await service.outbox.drain();
    line.done();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect((await storedCounts(service)).outbox).toMatchObject({ sent: 1, pending: 0, dead: 0 });
  });

  it('parks a message LINE refuses with 400 as a dead letter and does not retry it', async () => {
    const event = textEvent(USER_A, '届かない', new Date(clock.now().getTime() - 60_000));
    const line = nock(LINE_API)
      .post('/v2/bot/message/push')
      .once()
      .reply(400, { message: 'The request body has 1 error(s)' });

    await post(service, webhookBody([event]));
    await settle(service);
    clock.advance(10 * 60_000);
    await service.outbox.drain();

    line.done();
    const outbox = await service.store.outbox.countByStatus();
    expect(outbox).toMatchObject({ dead: 1, pending: 0, sent: 0 });
  });

  it("answers one user's events in order, one at a time", async () => {
    const first = textEvent(USER_A, '一つ目', clock.now());
    const second = textEvent(USER_A, '二つ目', clock.now(), { timestamp: clock.now().getTime() + 1 });
    const seen: string[] = [];
    nock(LINE_API)
      .post('/v2/bot/message/reply')
      .times(2)
      .reply(200, (_uri, b) => {
        seen.push(replyBody(b as { messages: Array<{ text: string }> })[0] ?? '');
        return {};
      });

    await post(service, webhookBody([first, second]));
    await settle(service);
    // The first message of a new conversation gets the notice; the second, read after it, a gentle
    // pointer to the menu the first one showed, and no promise to pass on words no case will hold.
    expect(seen).toHaveLength(2);
    expect(seen[0]).toContain(ja('welcome.notice.about'));
    expect(seen[1]).toContain(ja('common.please-choose-only'));
    for (const key of ['common.please-choose', 'handoff.passed-on', 'handoff.still-open']) {
      expect(seen[1], key).not.toContain(ja(key));
    }
  });

  it('greets a new follower and stops sending to a user who unfollowed', async () => {
    const follow = {
      type: 'follow',
      mode: 'active',
      timestamp: clock.now().getTime(),
      source: userSource(USER_B),
      webhookEventId: '01HFOLLOW00000000000000000',
      deliveryContext: { isRedelivery: false },
      replyToken: 'r-follow',
      follow: { isUnblocked: false },
    };
    const greeting = nock(LINE_API)
      .post(
        '/v2/bot/message/reply',
        (b) => b.replyToken === 'r-follow' && replyBody(b)[0]?.includes(ja('welcome.notice.about')),
      )
      .reply(200, {});
    await post(service, webhookBody([follow]));
    await settle(service);
    greeting.done();

    // A message is waiting for a retry when the user blocks the account: it must not go out.
    const late = textEvent(USER_B, 'まだ届く?', new Date(clock.now().getTime() - 60_000));
    nock(LINE_API).post('/v2/bot/message/push').once().reply(500, {});
    await post(service, webhookBody([late]));
    await settle(service);
    const unfollow = {
      type: 'unfollow',
      mode: 'active',
      timestamp: clock.now().getTime(),
      source: userSource(USER_B),
      webhookEventId: '01HUNFOLLOW000000000000000',
      deliveryContext: { isRedelivery: false },
    };
    await post(service, webhookBody([unfollow]));
    await settle(service);
    clock.advance(10 * 60_000);
    await service.outbox.drain();

    expect(await service.store.outbox.countByStatus()).toMatchObject({ sent: 1, pending: 0, cancelled: 1 });
    expect((await service.store.contacts.get('line', USER_B))?.following).toBe(false);
  });
});

describe('POST /webhooks/line with bad input leaves no state', () => {
  let clock: FakeClock;
  let data: ReturnType<typeof tempDataDir>;
  let service: Service;

  beforeEach(async () => {
    clock = new FakeClock();
    data = tempDataDir();
    service = await startTestService({ dataDir: data.dir, clock });
    service.start();
  });

  afterEach(async () => {
    await settle(service);
    expect(await storedCounts(service)).toEqual({
      inbox: { pending: 0, done: 0, parked: 0 },
      outbox: { pending: 0, sent: 0, dead: 0, cancelled: 0 },
    });
    await service.stop();
    data.remove();
  });

  const body = () => webhookBody([textEvent(USER_A, 'hello', clock.now())]);

  it('401 without a signature', async () => {
    const res = await post(service, body(), null);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('missing_signature');
  });

  it('401 with a signature made with another secret', async () => {
    const b = body();
    const res = await post(service, b, signLineBody(b, 'another-secret'));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_signature');
  });

  it('401 when the body was changed after signing', async () => {
    const b = body();
    const res = await post(service, b.replace('hello', 'HELLO'), signLineBody(b));
    expect(res.status).toBe(401);
  });

  it('400 for malformed JSON, even when correctly signed', async () => {
    const res = await post(service, '{"destination":"U1","events":[');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('malformed_json');
  });

  it('400 for an event without webhookEventId (it could not be deduplicated)', async () => {
    const event: Record<string, unknown> = textEvent(USER_A, 'no id', clock.now());
    delete event.webhookEventId;
    const res = await post(service, webhookBody([event]));
    expect(res.status).toBe(400);
  });

  it('413 for a body over the limit', async () => {
    const res = await post(service, webhookBody([textEvent(USER_A, 'あ'.repeat(40_000), clock.now())]));
    expect(res.status).toBe(413);
  });

  it('200 for event types it does not handle, storing nothing', async () => {
    const join = {
      type: 'join',
      mode: 'active',
      timestamp: clock.now().getTime(),
      source: { type: 'group', groupId: 'Cgroup' },
      webhookEventId: '01HJOIN0000000000000000000',
      deliveryContext: { isRedelivery: false },
      replyToken: 'r',
    };
    const res = await post(service, webhookBody([join]));
    expect(res.status).toBe(200);
  });

  it("200 for the LINE console's verify request (no events)", async () => {
    const res = await post(service, webhookBody([]));
    expect(res.status).toBe(200);
  });
});

describe('a crash after the 200', () => {
  it('loses nothing: a new instance on the same store processes the event exactly once', async () => {
    const clock = new FakeClock();
    const data = tempDataDir();
    const crashed = await startTestService({ dataDir: data.dir, clock, instanceId: 'crashed' });
    // Never started: it acknowledges and stores, but dies before its workers run.
    const event = textEvent(USER_A, '再起動のあとで', new Date(clock.now().getTime() - 60_000));
    expect((await post(crashed, webhookBody([event]))).status).toBe(200);
    await crashed.stop();

    const push = nock(LINE_API)
      .post('/v2/bot/message/push', (b) => b.to === USER_A)
      .once()
      .reply(200, {});
    const restarted = await startTestService({ dataDir: data.dir, clock, instanceId: 'restarted' });
    restarted.start();
    await settle(restarted);
    // A second instance after that has nothing left to do.
    await restarted.stop();
    const again = await startTestService({ dataDir: data.dir, clock, instanceId: 'again' });
    again.start();
    await settle(again);

    push.done();
    expect(await again.store.inbox.countByStatus()).toEqual({ pending: 0, done: 1, parked: 0 });
    expect((await again.store.outbox.countByStatus()).sent).toBe(1);
    await again.stop();
    data.remove();
  });
});

describe('operations endpoints', () => {
  it('reports health, readiness and Prometheus metrics, with no personal data', async () => {
    const clock = new FakeClock();
    const data = tempDataDir();
    const service = await startTestService({ dataDir: data.dir, clock });
    expect((await request(service.app).get('/readyz')).status).toBe(503);
    service.start();
    expect((await request(service.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(service.app).get('/readyz')).body).toEqual({ status: 'ready', store: 'embedded' });
    nock(LINE_API)
      .post('/v2/bot/message/reply')
      .reply(200, {})
      .get(/\/v2\/bot\/profile\/.*/)
      .reply(404, {});
    await post(service, webhookBody([textEvent(USER_A, 'もう死にたい', clock.now())]));
    await settle(service);
    const metrics = (await request(service.app).get('/metrics')).text;
    expect(metrics).toMatch(/madoguchi_webhook_requests_total\{channel="line",status="200"\} 1/);
    expect(metrics).toMatch(/madoguchi_crisis_detections_total\{category="suicide"\} 1/);
    expect(metrics).toMatch(/madoguchi_cases\{status="pending"\} 1/);
    expect(metrics).toMatch(/madoguchi_outbox_items\{status="sent"\} 1/);
    expect(metrics).not.toContain(USER_A);
    await service.stop();
    data.remove();
  });
});
