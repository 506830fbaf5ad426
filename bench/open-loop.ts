/**
 * An open-loop load generator: requests leave on an evenly spaced schedule whatever the server does
 * (a slow answer never delays the next request, unlike a closed loop with N connections), and every
 * latency is timed with performance.now() (sub-millisecond).
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { benchReplyToken, preciseNow } from './fake-line-api.js';
import { signedLineWebhook } from './signed-line-webhook.js';

export interface OpenLoopResult {
  sent: number;
  ok: number;
  failed: number;
  /** Webhook acknowledgement latencies (ms), sorted. */
  ackMs: number[];
  /** How late requests left against their schedule: p99 (ms). A large figure means the generator lagged. */
  scheduleLagP99Ms: number;
  seconds: number;
}

/** The resident with this index, as a LINE user id. */
export function residentId(index: number): string {
  return `U${String(index).padStart(32, '0')}`;
}

const TEXTS = [
  '最近、母の物忘れがひどくて心配です',
  '家賃が払えなくて困っています',
  'こんにちは',
  '相談したいことがあります',
];

/** One text event from resident `n % residents`, signed, with a reply token that carries the send time. */
export function textWebhook(n: number, residents: number, firstResident = 0) {
  const sentAt = preciseNow();
  const resident = firstResident + (n % residents);
  const body = signedLineWebhook(
    residentId(resident),
    {
      type: 'message',
      message: { id: `${Date.now()}${n}`, type: 'text', quoteToken: 'q', text: TEXTS[n % TEXTS.length] },
    },
    benchReplyToken(sentAt, String(resident), randomBytes(6).toString('hex')),
  );
  return body;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Sends `rate` signed webhooks a second for `seconds`, evenly spaced, from `residents` residents in turn. */
export async function openLoop(options: {
  port: number;
  rate: number;
  seconds: number;
  residents: number;
  firstResident?: number;
}): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const ackMs: number[] = [];
  const lags: number[] = [];
  let ok = 0;
  let failed = 0;
  let finished = 0;
  let sent = 0;
  const t0 = performance.now();

  await new Promise<void>((resolve) => {
    const done = () => {
      finished++;
      if (finished === total) resolve();
    };
    const fire = (n: number, due: number) => {
      const { body, signature } = textWebhook(n, options.residents, options.firstResident);
      const start = performance.now();
      lags.push(start - due);
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port: options.port,
          path: '/webhooks/line',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-line-signature': signature,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            ackMs.push(performance.now() - start);
            if (res.statusCode === 200) ok++;
            else failed++;
            done();
          });
        },
      );
      req.on('error', () => {
        failed++;
        done();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && t0 + sent * intervalMs <= now) {
        fire(sent, t0 + sent * intervalMs);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * intervalMs - performance.now()));
    };
    if (total === 0) resolve();
    else tick();
  });
  agent.destroy();
  ackMs.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  return {
    sent: total,
    ok,
    failed,
    ackMs,
    scheduleLagP99Ms: percentile(lags, 99),
    seconds: (performance.now() - t0) / 1000,
  };
}
