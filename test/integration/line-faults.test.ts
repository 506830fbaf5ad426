import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../src/service.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeLineApi } from '../support/fake-line-api.js';
import { signLineBody, textEvent, webhookBody } from '../support/line-webhook-bodies.js';
import { startTestService, tempDataDir } from '../support/test-service.js';

const USER_A = 'U1111111111111111111111111111111a';
const USER_B = 'U2222222222222222222222222222222b';

/**
 * The service under faults of its LINE dependency (a fake Messaging API on loopback with
 * single-use reply tokens and retry-key 409s): one stuck resident never holds another, and a reply
 * whose answer is lost or late is not delivered twice.
 */
describe('LINE faults', () => {
  let clock: FakeClock;
  let data: ReturnType<typeof tempDataDir>;
  let line: FakeLineApi;
  let service: Service | undefined;

  beforeEach(async () => {
    clock = new FakeClock();
    data = tempDataDir();
    line = await new FakeLineApi().start();
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await line.close();
    data.remove();
  });

  async function start(env: Record<string, string>): Promise<Service> {
    service = await startTestService({
      dataDir: data.dir,
      clock,
      env: { LINE_API_BASE_URL: line.url, ...env },
    });
    service.start();
    return service;
  }

  /** A resident writes: the event is signed, posted and stored; its reply token is theirs. */
  async function write(s: Service, userId: string, text: string) {
    const event = textEvent(userId, text, clock.now());
    line.tokenOwner(event.replyToken, userId);
    const body = webhookBody([event]);
    const res = await request(s.app)
      .post('/webhooks/line')
      .set('content-type', 'application/json')
      .set('x-line-signature', signLineBody(body))
      .send(body);
    expect(res.status).toBe(200);
    return event;
  }

  it('answers other residents while one new resident’s profile lookup hangs, then greets that one in Japanese', async () => {
    line.behaviour = { profile: (user) => (user === USER_A ? 'hang' : 'ja') };
    const s = await start({ LINE_PROFILE_TIMEOUT_MS: '3000' });

    // Words in kanji alone could be Japanese or Chinese: the profile is asked which (kana would say).
    await write(s, USER_A, '相談');
    await write(s, USER_B, '相談');

    // B is answered at its normal latency, while A's lookup is still unanswered.
    await line.until(() => line.deliveredTo(USER_B).length === 1, 2_500, 'B to be answered');
    expect(line.deliveredTo(USER_A)).toEqual([]);

    // Past the deadline A gets the Japanese greeting, the same one B (whose profile says ja) got.
    await line.until(() => line.deliveredTo(USER_A).length === 1, 10_000, 'A to be answered');
    expect(line.deliveredTo(USER_A)[0]?.messages).toEqual(line.deliveredTo(USER_B)[0]?.messages);
  });

  it('answers other residents while one resident’s send hangs', async () => {
    const s = await start({ OUTBOX_SEND_TIMEOUT_MS: '3000' });
    const a = await write(s, USER_A, 'こんにちは');
    line.behaviour = { replyAnswer: (token) => (token === a.replyToken ? 'hang' : undefined) };

    await line.until(() => line.deliveredTo(USER_A).length === 1, 5_000, 'A’s reply to reach LINE');
    await write(s, USER_B, 'こんにちは');

    await line.until(() => line.deliveredTo(USER_B).length === 1, 2_500, 'B to be answered');
    // A's send is still unanswered: B was not held behind it.
    expect(s.outbox.inFlight()).toContain(`line:${USER_A}`);
  });

  it('sends a reply once when its answer comes back after the send timeout', async () => {
    const s = await start({ OUTBOX_SEND_TIMEOUT_MS: '200' });
    line.behaviour = { replyAnswer: () => 1_000 };
    const a = await write(s, USER_A, 'こんにちは');
    await s.inbox.drain();
    await s.outbox.drain();
    expect((await s.store.outbox.countByStatus()).pending).toBe(1);

    // The retry comes while the token still lives: the reply again, LINE says the token is used.
    line.behaviour = {};
    clock.advance(5_000);
    await s.outbox.drain();

    expect(line.refusedReplies).toEqual([a.replyToken]);
    expect(line.deliveredTo(USER_A)).toHaveLength(1);
    expect(line.deliveries.filter((d) => d.via === 'push')).toEqual([]);
    expect(await s.store.outbox.countByStatus()).toMatchObject({ pending: 0, sent: 1, dead: 0 });
  });

  it('still pushes when a first reply is refused (a token LINE no longer knows)', async () => {
    const s = await start({});
    const a = await write(s, USER_A, 'こんにちは');
    line.tokenOwner(a.replyToken, 'someone-else');
    // Spend the token before the service does, as an early expiry would.
    await fetch(`${line.url}/v2/bot/message/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replyToken: a.replyToken, messages: [] }),
    });
    await s.inbox.drain();
    await s.outbox.drain();

    expect(line.refusedReplies).toEqual([a.replyToken]);
    expect(line.deliveredTo(USER_A).map((d) => d.via)).toEqual(['push']);
  });
});
