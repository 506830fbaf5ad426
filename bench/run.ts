/**
 * npm run bench [-- --quick]: the understanding step, the capacity of the LINE path (madoguchi
 * against a bare HMAC-verifying Express app, alternating rounds, medians), and the Slack handoff.
 * `-- --only=understanding|capacity|memory|handoff|line-calls` runs one part (memory: start time and
 * RSS alone).
 * --quick: fewer and shorter rounds and a shorter burst (a few minutes); the full run takes longer.
 */
import { availableParallelism, loadavg } from 'node:os';
import { runCapacity, runMemory } from './capacity.js';
import { measureHandoff } from './handoff.js';
import { measureLineCalls, printLineCalls } from './line-calls.js';
import { measureUnderstanding, printUnderstanding } from './understanding.js';

const quick = process.argv.includes('--quick');
console.log(
  `madoguchi bench on Node ${process.version} (V8 ${process.versions.v8}), ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)}`,
);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

// In-process and first, before the servers load the machine.
if (!only || only === 'understanding') printUnderstanding(measureUnderstanding());

if (!only || only === 'line-calls')
  printLineCalls(await measureLineCalls(quick ? 3_000 : 10_000, quick ? 3 : 5));

if (!only || only === 'capacity')
  await runCapacity(
    quick
      ? {
          rounds: 2,
          phaseSeconds: 5,
          residents: 1_000,
          burstSeconds: 20,
          burstRate: 500,
          burstResidents: 5_000,
          memoryResidents: [1_000, 10_000],
        }
      : {
          rounds: 5,
          phaseSeconds: 10,
          residents: 1_000,
          burstSeconds: 60,
          burstRate: 500,
          burstResidents: 5_000,
          memoryResidents: [1_000, 10_000, 100_000],
        },
  );

// Memory and start time alone, at the full bench's sizes (the capacity run measures them too).
if (only === 'memory') await runMemory(quick ? [1_000, 10_000] : [1_000, 10_000, 100_000]);

if (!only || only === 'handoff') {
  const fmt = (n: number, digits = 1) => n.toFixed(digits);
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
}
