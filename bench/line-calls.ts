/**
 * The CPU a LINE reply costs the process that sends it: LineMessageCalls (node:http, kept-alive
 * sockets) against the SDK's MessagingApiClient (the runtime's fetch) as the baseline, the same
 * reply to the same fake LINE API, which runs in a process of its own so that only the sender's
 * CPU is counted. Alternating rounds, medians.
 */
import { messagingApi } from '@line/bot-sdk';
import { LineMessageCalls } from '../src/channels/line/line-message-calls.js';
import { spread } from './figures.js';
import { startServerProcess } from './start-server-process.js';

const CONCURRENCY = 10;

export interface LineCallFigures {
  calls: number;
  /** CPU per call in ms, per round. */
  sdkFetch: number[];
  keptAlive: number[];
}

async function cpuPerCall(calls: number, send: (n: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < calls) await send(next++);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / calls;
}

export async function measureLineCalls(calls: number, rounds: number): Promise<LineCallFigures> {
  const fake = await startServerProcess('fake-line-api');
  const apiBaseUrl = `http://127.0.0.1:${fake.port}`;
  const sdk = new messagingApi.MessagingApiClient({ channelAccessToken: 'bench', baseURL: apiBaseUrl });
  const keptAlive = new LineMessageCalls({
    channelAccessToken: 'bench',
    apiBaseUrl,
    timeoutMs: 10_000,
    userAgent: 'madoguchi-bench',
  });
  const messages: messagingApi.Message[] = [
    { type: 'text', text: 'ご相談ありがとうございます。担当の窓口におつなぎします。' },
  ];
  const sides = {
    sdkFetch: (n: number) => sdk.replyMessage({ replyToken: `sdk-${n}`, messages }),
    keptAlive: (n: number) => keptAlive.reply({ replyToken: `kept-${n}`, messages }),
  };
  const figures: LineCallFigures = { calls, sdkFetch: [], keptAlive: [] };
  try {
    // Warm-up: the JIT, and the connections of both.
    for (const send of Object.values(sides)) await cpuPerCall(500, send);
    for (let round = 0; round < rounds; round++) {
      const order =
        round % 2 === 0 ? (['sdkFetch', 'keptAlive'] as const) : (['keptAlive', 'sdkFetch'] as const);
      for (const side of order) figures[side].push(await cpuPerCall(calls, sides[side]));
    }
  } finally {
    keptAlive.close();
    await fake.stop();
  }
  return figures;
}

export function printLineCalls(figures: LineCallFigures): void {
  const { calls, sdkFetch, keptAlive } = figures;
  const ratios = keptAlive.map((k, i) => k / (sdkFetch[i] as number));
  console.log(
    `\nA LINE reply: CPU of the sending process per call (ms), ${calls.toLocaleString('en-US')} calls a round, ${CONCURRENCY} at a time, ${sdkFetch.length} rounds alternating; median (min–max)`,
  );
  console.log(
    '| baseline: the SDK client (fetch) | madoguchi: LineMessageCalls (node:http, kept alive) | ratio |',
  );
  console.log('| --- | --- | --- |');
  console.log(`| ${spread(sdkFetch, 3)} | ${spread(keptAlive, 3)} | ${spread(ratios, 3)} |`);
}
