/**
 * npm run bench: the LINE webhook ingest path against a baseline measured in the same run.
 * Baseline = a bare Express route verifying the same HMAC. Both servers run in a child process.
 */
import { measureHandoff } from './handoff.js';
import { loadLineWebhook } from './line-ingest.js';
import { startServerProcess } from './start-server-process.js';
import { measureUnderstanding, printUnderstanding } from './understanding.js';

// In-process and first, before the servers load the machine.
printUnderstanding(measureUnderstanding());

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const fixedRate = Number(process.env.BENCH_RATE ?? 500);

const lineApi = await startServerProcess('fake-line-api');

async function measure(mode: 'baseline' | 'madoguchi') {
  const server = await startServerProcess(mode, { BENCH_LINE_API_URL: `http://127.0.0.1:${lineApi.port}` });
  try {
    await loadLineWebhook(server.port, { seconds: 2 }); // warm-up: JIT, store files, connection pools
    // The fixed rate first: a flat-out run leaves a backlog of events that would still be handled
    // during a later run and skew its latencies.
    const steady = await loadLineWebhook(server.port, { seconds, rate: fixedRate });
    const max = await loadLineWebhook(server.port, { seconds });
    return { max, steady };
  } finally {
    await server.stop();
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

const baseline = await measure('baseline');
const madoguchi = await measure('madoguchi');
await lineApi.stop();

console.log(`\nPOST /webhooks/line, signed text events, ${seconds} s per run, 10 connections`);
console.log('| measure | baseline (HMAC + 200) | madoguchi (verify + store + 200) | ratio |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| max throughput (req/s) | ${fmt(baseline.max.requestsPerSecond, 0)} | ${fmt(madoguchi.max.requestsPerSecond, 0)} | ${fmt(madoguchi.max.requestsPerSecond / baseline.max.requestsPerSecond, 2)} |`,
);
for (const [label, key] of [
  ['p50', 'p50Ms'],
  ['p99', 'p99Ms'],
] as const) {
  console.log(
    `| ${label} latency at ${fixedRate} req/s (ms) | ${fmt(baseline.steady[key])} | ${fmt(madoguchi.steady[key])} | ${fmt(madoguchi.steady[key] / Math.max(baseline.steady[key], 0.001), 2)} |`,
  );
}
const failures =
  madoguchi.max.non2xx + madoguchi.max.errors + madoguchi.steady.non2xx + madoguchi.steady.errors;
console.log(`\nnon-2xx or errors from madoguchi: ${failures}`);
console.log(
  `goal: throughput ratio >= 0.5 (${madoguchi.max.requestsPerSecond / baseline.max.requestsPerSecond >= 0.5 ? 'met' : 'NOT met'}), p99 < 25 ms at ${fixedRate} req/s (${madoguchi.steady.p99Ms < 25 ? 'met' : 'NOT met'})`,
);

const handoffCases = Number(process.env.BENCH_HANDOFF_CASES ?? 200);
const handoff = await measureHandoff(handoffCases);
console.log(
  `\nHandoff: last intake message (webhook) → alert at chat.postMessage (fake Slack API), ${handoff.cases} cases, embedded store`,
);
console.log(
  '| measure | baseline (one direct chat.postMessage) | madoguchi (webhook → inbox → engine → case → outbox → Slack) | ratio |',
);
console.log('| --- | --- | --- | --- |');
console.log(
  `| p50 (ms) | ${fmt(handoff.baselineP50Ms, 2)} | ${fmt(handoff.p50Ms, 1)} | ${fmt(handoff.p50Ms / handoff.baselineP50Ms, 1)} |`,
);
console.log(
  `| p99 (ms) | ${fmt(handoff.baselineP99Ms, 2)} | ${fmt(handoff.p99Ms, 1)} | ${fmt(handoff.p99Ms / handoff.baselineP99Ms, 1)} |`,
);
console.log(`goal: p99 < 1000 ms (${handoff.p99Ms < 1000 ? 'met' : 'NOT met'})`);
