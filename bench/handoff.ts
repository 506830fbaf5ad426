/**
 * The time from a resident's last intake message (the "伝える" tap) reaching POST /webhooks/line to
 * the case's alert reaching chat.postMessage on a local fake Slack API, over many cases, against a
 * baseline measured in the same run: one chat.postMessage sent straight to the same fake.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createService } from '../src/service.js';
import { startFakeLineApi } from './fake-line-api.js';
import { startFakeSlackApi } from './fake-slack-api.js';
import { BENCH_LINE_SECRET, signedLineWebhook } from './signed-line-webhook.js';

/** The taps of a whole "about myself" intake, as LINE would send them back. */
const INTAKE = [
  'o|welcome|menu|self',
  'o|intake-self|who|self',
  'm|intake-self|fields|livelihood',
  'd|intake-self|fields',
  's|intake-self|words',
  'o|intake-self|urgency|anytime',
  'o|intake-self|contact|line',
  's|intake-self|area',
  'o|intake-self|confirm|send',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function measureHandoff(cases: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-bench-handoff-'));
  const line = await startFakeLineApi();
  const slack = await startFakeSlackApi();
  const config = loadConfig({
    LINE_CHANNEL_SECRET: BENCH_LINE_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: 'bench',
    LINE_API_BASE_URL: line.url,
    SLACK_SIGNING_SECRET: 'bench-signing',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: slack.url,
    SLACK_HANDOFF_CHANNEL: 'C0000000001',
    DATA_DIR: dataDir,
  });
  const service = await createService({ config, logger: pino({ level: 'silent' }), pollIntervalMs: 50 });
  service.start();
  const server = service.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/line`;

  const post = async (userId: string, event: Record<string, unknown>) => {
    const { body, signature } = signedLineWebhook(userId, event);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': signature },
      body,
    });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  };

  const latencies: number[] = [];
  for (let i = 0; i < cases; i++) {
    const userId = `U${randomUUID().replaceAll('-', '')}`;
    await post(userId, { type: 'follow', follow: { isUnblocked: false } });
    for (const data of INTAKE.slice(0, -1)) await post(userId, { type: 'postback', postback: { data } });
    const before = slack.alerts().length;
    const sent = performance.now();
    await post(userId, { type: 'postback', postback: { data: INTAKE.at(-1) } });
    for (;;) {
      const alerts = slack.alerts();
      if (alerts.length > before) {
        latencies.push((alerts[before] as number) - sent);
        break;
      }
      await new Promise((r) => setImmediate(r));
    }
  }

  // Baseline: the same alert-sized request straight to the fake Slack, from this process.
  const baseline: number[] = [];
  for (let i = 0; i < cases; i++) {
    const start = performance.now();
    await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0000000001', text: 'case', blocks: [] }),
    });
    baseline.push(performance.now() - start);
  }

  server.close();
  await service.stop();
  await line.close();
  await slack.close();
  rmSync(dataDir, { recursive: true, force: true });
  const sorted = latencies.sort((a, b) => a - b);
  const base = baseline.sort((a, b) => a - b);
  return {
    cases,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    baselineP50Ms: percentile(base, 50),
    baselineP99Ms: percentile(base, 99),
  };
}
