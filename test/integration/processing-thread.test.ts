import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
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

const uri = inject('mongoUri');
const USER_A = 'U2222222222222222222222222222222a';
const USER_B = 'U2222222222222222222222222222222b';

const backends = [
  { name: 'the embedded SQLite file', skip: false, env: () => ({}) },
  {
    name: 'MongoDB',
    skip: !uri,
    env: () => ({ MONGODB_URI: uri, MONGODB_DB: `madoguchi-thread-${randomUUID().slice(0, 8)}` }),
  },
];

/**
 * PROCESSING=thread, as a real process: the HTTP thread verifies, stores and acknowledges; the
 * conversations are worked out on a thread of their own, on a store connection of its own.
 */
describe.each(backends)('the processing thread, on $name', ({ skip, env: backendEnv }) => {
  let line: FakeLineApi;
  let data: ReturnType<typeof tempDataDir>;
  const running: ServiceProcess[] = [];

  beforeEach(async ({ skip: skipTest }) => {
    if (skip) skipTest();
    line = await new FakeLineApi().start();
    data = tempDataDir();
  });
  afterEach(async () => {
    if (skip) return;
    for (const proc of running.splice(0)) await proc.kill('SIGKILL');
    await line.close();
    data.remove();
  });

  function start(env: Record<string, string> = {}): ServiceProcess {
    const proc = startServiceProcess({
      LINE_CHANNEL_SECRET: LINE_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
      LINE_API_BASE_URL: line.url,
      DATA_DIR: data.dir,
      ...backendEnv(),
      ...env,
    });
    running.push(proc);
    return proc;
  }

  async function post(url: string, events: ReturnType<typeof textEvent>[]): Promise<number> {
    const body = webhookBody(events);
    const res = await fetch(new URL('/webhooks/line', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': signLineBody(body) },
      body,
    });
    return res.status;
  }

  it('answers each resident once from the processing thread, counts it in /metrics, and stops cleanly', async () => {
    const proc = start();
    const url = await proc.url();
    expect(proc.output().out).toContain('conversations are handled on a processing thread');

    const a = textEvent(USER_A, 'こんにちは', new Date());
    const b = textEvent(USER_B, 'こんにちは', new Date());
    line.tokenOwner(a.replyToken, USER_A);
    line.tokenOwner(b.replyToken, USER_B);
    expect(await post(url, [a])).toBe(200);
    expect(await post(url, [b])).toBe(200);
    // A replay of the same event is acknowledged and changes nothing.
    expect(await post(url, [a])).toBe(200);

    await line.until(() => line.deliveredTo(USER_A).length + line.deliveredTo(USER_B).length === 2);
    expect(line.deliveredTo(USER_A)).toHaveLength(1);
    expect(line.deliveredTo(USER_B)).toHaveLength(1);
    expect(line.deliveries.every((d) => d.via === 'reply')).toBe(true);

    // The edge's /metrics adds the processing thread's counts to its own. A delivery is counted
    // once LINE has answered it, a moment after LINE has it: the scrape is repeated until then.
    const scrape = async () => (await fetch(new URL('/metrics', url))).text();
    await expect
      .poll(scrape)
      .toMatch(/^madoguchi_outbox_attempts_total\{channel="line",outcome="sent"\} 2$/m);
    const metrics = await scrape();
    expect(metrics).toMatch(/^madoguchi_webhook_requests_total\{channel="line",status="200"\} 3$/m);
    expect(metrics).toMatch(/^madoguchi_inbox_lag_seconds_count 2$/m);

    expect(await proc.kill('SIGTERM')).toBe(0);
    expect(proc.output().out).toContain('stopped cleanly');
  }, 120_000);

  it('with PROCESSING=inline, does the same work on one thread', async () => {
    const proc = start({ PROCESSING: 'inline' });
    const url = await proc.url();
    expect(proc.output().out).not.toContain('processing thread');
    const a = textEvent(USER_A, 'こんにちは', new Date());
    line.tokenOwner(a.replyToken, USER_A);
    expect(await post(url, [a])).toBe(200);
    await line.until(() => line.deliveredTo(USER_A).length === 1);
    expect(await proc.kill('SIGTERM')).toBe(0);
  }, 120_000);
});
