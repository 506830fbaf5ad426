import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { FakeLineApi } from '../support/fake-line-api.js';
import {
  LINE_SECRET,
  LINE_TOKEN,
  signLineBody,
  textEvent,
  webhookBody,
} from '../support/line-webhook-bodies.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { tempDataDir } from '../support/test-service.js';

const USER_A = 'U1111111111111111111111111111111a';

/**
 * The real service in a child process on a temp DATA_DIR, killed with SIGKILL at the worst moment and
 * restarted on the same data.
 */
describe('kill -9 and restart', () => {
  let data: ReturnType<typeof tempDataDir>;
  let line: FakeLineApi;
  const running: ServiceProcess[] = [];

  beforeEach(async () => {
    data = tempDataDir();
    line = await new FakeLineApi().start();
  });

  afterEach(async () => {
    for (const proc of running.splice(0)) await proc.kill('SIGKILL');
    await line.close();
    data.remove();
  });

  function start(): ServiceProcess {
    const proc = startServiceProcess({
      LINE_CHANNEL_SECRET: LINE_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
      LINE_API_BASE_URL: line.url,
      DATA_DIR: data.dir,
      // Long enough that the reply is still hanging when the process is killed.
      OUTBOX_SEND_TIMEOUT_MS: '60000',
    });
    running.push(proc);
    return proc;
  }

  it('does not send a reply twice when the process dies while LINE is answering it', async () => {
    const event = textEvent(USER_A, 'こんにちは', new Date());
    line.tokenOwner(event.replyToken, USER_A);
    line.behaviour = { replyAnswer: (token) => (token === event.replyToken ? 'hang' : undefined) };

    const first = start();
    const body = webhookBody([event]);
    const res = await fetch(new URL('/webhooks/line', await first.url()), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': signLineBody(body) },
      body,
    });
    expect(res.status).toBe(200);
    // LINE has the reply (the token is used) but has not answered when the process dies.
    await line.until(() => line.deliveredTo(USER_A).length === 1, 45_000, 'the reply to reach LINE');
    await first.kill('SIGKILL');
    line.behaviour = {};

    const second = start();
    await second.url();
    // The restarted service tries the reply again while the token lives; LINE says it is used.
    await line.until(() => line.refusedReplies.length === 1, 45_000, 'the reply to be retried');
    expect(await second.kill('SIGTERM')).toBe(0);

    expect(line.refusedReplies).toEqual([event.replyToken]);
    expect(line.deliveredTo(USER_A)).toHaveLength(1);
    expect(line.deliveries.filter((d) => d.via === 'push')).toEqual([]);
    const store = await openEmbeddedStore({ dataDir: data.dir });
    try {
      expect(await store.outbox.countByStatus()).toMatchObject({ pending: 0, sent: 1, dead: 0 });
    } finally {
      await store.close();
    }
  }, 150_000);
});
