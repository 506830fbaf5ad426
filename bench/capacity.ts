/**
 * The capacity bench: madoguchi (embedded store) against a bare Express app that verifies the same
 * HMAC and answers 200, alternating over several rounds on one machine; then a burst, then memory
 * and start time with many residents. CPU time per event is read from each server process
 * (process.cpuUsage), so it holds up on a busy machine where wall-clock figures do not.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync } from '@photostructure/sqlite';
import { DATABASE_FILE } from '../src/store/embedded/embedded-store.js';
import type { FakeLineStats } from './fake-line-api.js';
import { f, median, spread } from './figures.js';
import { loadLineWebhook } from './line-ingest.js';
import { openLoop, percentile, residentId } from './open-loop.js';
import type { ServerStats } from './serve.js';
import { type ServerProcess, startServerProcess } from './start-server-process.js';

export interface CapacityOptions {
  rounds: number;
  /** Length of each fixed-rate and flat-out phase. */
  phaseSeconds: number;
  residents: number;
  burstSeconds: number;
  burstRate: number;
  burstResidents: number;
  /** Resident counts for memory and start time. */
  memoryResidents: number[];
}

type Side = 'madoguchi' | 'baseline';

interface RoundFigures {
  maxAckPerSecond: number;
  ackP50At500: number;
  ackP99At500: number;
  cpuMsPerEvent: number;
  replyP50At100?: number;
  replyP99At100?: number;
  processedPerSecondAt500?: number;
}

const cpuMs = (s: ServerStats) => (s.cpuUserUs + s.cpuSystemUs) / 1000;

async function lineStats(lineApiPort: number): Promise<FakeLineStats> {
  const res = await fetch(`http://127.0.0.1:${lineApiPort}/stats`);
  return (await res.json()) as FakeLineStats;
}

async function resetLine(lineApiPort: number): Promise<void> {
  await fetch(`http://127.0.0.1:${lineApiPort}/reset`, { method: 'POST' });
}

/** Waits until the server has no event or message waiting; the seconds it took (Infinity after the limit). */
async function drain(server: ServerProcess, limitSeconds: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    const s = await server.stats();
    if (s.pendingEvents === 0 && s.pendingMessages === 0) return (performance.now() - start) / 1000;
    if (performance.now() - start > limitSeconds * 1000) return Number.POSITIVE_INFINITY;
    await sleep(100);
  }
}

async function measureSide(side: Side, lineApiPort: number, o: CapacityOptions): Promise<RoundFigures> {
  const server = await startServerProcess(side, { BENCH_LINE_API_URL: `http://127.0.0.1:${lineApiPort}` });
  try {
    // Warm-up (JIT, store files, every resident's first message), then nothing left over.
    await openLoop({
      port: server.port,
      rate: 200,
      seconds: Math.max(2, o.residents / 200),
      residents: o.residents,
    });
    await drain(server, 120);

    // webhook → reply at 100 events/s, with the CPU it costs per event.
    await resetLine(lineApiPort);
    const cpu0 = await server.stats();
    const at100 = await openLoop({
      port: server.port,
      rate: 100,
      seconds: o.phaseSeconds,
      residents: o.residents,
    });
    await drain(server, 60);
    const cpu1 = await server.stats();
    const replies = (await lineStats(lineApiPort)).replyLatenciesMs.sort((a, b) => a - b);

    // 500 events/s: acknowledgement latency and how much of it gets processed meanwhile.
    const at500 = await openLoop({
      port: server.port,
      rate: 500,
      seconds: o.phaseSeconds,
      residents: o.residents,
    });
    const after500 = await server.stats();
    await drain(server, 120);

    // Flat out (closed loop, 10 connections): acknowledgements per second.
    const max = await loadLineWebhook(server.port, { seconds: o.phaseSeconds, residents: o.residents });
    await drain(server, 300);

    return {
      maxAckPerSecond: max.requestsPerSecond,
      ackP50At500: percentile(at500.ackMs, 50),
      ackP99At500: percentile(at500.ackMs, 99),
      cpuMsPerEvent: (cpuMs(cpu1) - cpuMs(cpu0)) / at100.ok,
      ...(side === 'madoguchi'
        ? {
            replyP50At100: percentile(replies, 50),
            replyP99At100: percentile(replies, 99),
            processedPerSecondAt500: (at500.ok - after500.pendingEvents) / at500.seconds,
          }
        : {}),
    };
  } finally {
    await server.stop();
  }
}

interface BurstFigures {
  offered: number;
  processedPerSecond: number;
  backlogAtEnd: number;
  backlogSeconds: number;
  replyP50: number;
  replyP99: number;
  replies: number;
  pushes: number;
  expiredReplies: number;
  /** Acknowledged events, and how many got exactly one answer (a reply or a push). */
  acknowledged: number;
  answered: number;
  duplicateReplies: number;
  outOfOrderReplies: number;
  cpuMsPerEvent: number;
  rssMb: number;
  ackP99: number;
}

async function measureBurst(lineApiPort: number, o: CapacityOptions): Promise<BurstFigures> {
  const server = await startServerProcess('madoguchi', {
    BENCH_LINE_API_URL: `http://127.0.0.1:${lineApiPort}`,
  });
  try {
    await openLoop({ port: server.port, rate: 100, seconds: 2, residents: 200, firstResident: 900_000 });
    await drain(server, 60);
    await resetLine(lineApiPort);
    const cpu0 = await server.stats();
    const burst = await openLoop({
      port: server.port,
      rate: o.burstRate,
      seconds: o.burstSeconds,
      residents: o.burstResidents,
    });
    const end = await server.stats();
    const processed = burst.ok - end.pendingEvents;
    const processedPerSecond = processed / burst.seconds;
    await drain(server, 300);
    const cpu1 = await server.stats();
    const line = await lineStats(lineApiPort);
    const replies = line.replyLatenciesMs.sort((a, b) => a - b);
    return {
      offered: burst.sent,
      processedPerSecond,
      backlogAtEnd: end.pendingEvents,
      backlogSeconds: end.pendingEvents / Math.max(processedPerSecond, 1),
      replyP50: percentile(replies, 50),
      replyP99: percentile(replies, 99),
      replies: replies.length,
      pushes: line.pushes,
      expiredReplies: line.expiredReplies,
      acknowledged: burst.ok,
      answered: replies.length + line.pushes,
      duplicateReplies: line.duplicateReplies,
      outOfOrderReplies: line.outOfOrderReplies,
      cpuMsPerEvent: (cpuMs(cpu1) - cpuMs(cpu0)) / burst.ok,
      rssMb: end.rssBytes / 1e6,
      ackP99: percentile(burst.ackMs, 99),
    };
  } finally {
    await server.stop();
  }
}

interface MemoryFigures {
  residents: number;
  startSeconds: number;
  rssMb: number;
}

/**
 * Grows a data directory recorded with `seeded` residents to `residents` by copying each record
 * under new resident ids, the way residents' conversations would pile up over months.
 */
export function growDataDir(from: string, to: string, seeded: number, residents: number): void {
  mkdirSync(to, { recursive: true });
  const file = path.join(to, DATABASE_FILE);
  const source = new DatabaseSync(path.join(from, DATABASE_FILE), { readOnly: true });
  source.prepare('VACUUM INTO ?').run(file);
  source.close();
  const db = new DatabaseSync(file);
  // Another resident: every resident id in the record becomes this copy's; an id or case number
  // with no resident id in it gets this copy's suffix instead (a session's id is its resident's key).
  const another = (text: string, copy: number) =>
    text.replace(/U0{20,}(\d+)/g, (_m, n: string) => residentId(Number(n) + copy * seeded));
  const hasResident = (text: string) => /U0{20,}\d/.test(text);
  const suffixed = (id: string, copy: number) => (hasResident(id) ? id : `${id}-${copy}`);
  const renamed = (column: string, value: unknown, copy: number): unknown => {
    if (typeof value !== 'string') return value;
    let text = value;
    if (column === 'id' || column === 'number') text = suffixed(text, copy);
    if (column === 'doc') {
      const doc = JSON.parse(text) as { _id: string; number?: string };
      text = JSON.stringify({
        ...doc,
        _id: suffixed(doc._id, copy),
        ...(doc.number ? { number: suffixed(doc.number, copy) } : {}),
      });
    }
    return another(text, copy);
  };
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Array<{
    name: string;
  }>;
  db.exec('BEGIN');
  for (const { name } of tables) {
    // The processing thread's place in the incoming log is one row, not a resident's.
    if (name === 'incoming_cursor') continue;
    const rows = db.prepare(`SELECT * FROM ${name}`).all() as Array<Record<string, unknown>>;
    const first = rows[0];
    if (!first) continue;
    const columns = Object.keys(first);
    const insert = db.prepare(
      `INSERT INTO ${name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    for (let copy = 1; copy < Math.ceil(residents / seeded); copy++)
      for (const row of rows) insert.run(...columns.map((c) => renamed(c, row[c], copy)));
  }
  db.exec('COMMIT');
  db.close();
}

async function measureStart(lineApiPort: number, dataDir: string, residents: number): Promise<MemoryFigures> {
  await resetLine(lineApiPort);
  const t0 = performance.now();
  const server = await startServerProcess('madoguchi', {
    BENCH_LINE_API_URL: `http://127.0.0.1:${lineApiPort}`,
    BENCH_DATA_DIR: dataDir,
  });
  try {
    await openLoop({ port: server.port, rate: 1, seconds: 1, residents: 1, firstResident: 7 });
    // The first answer, or a failure after a minute (the bench must end even when the service does not answer).
    for (;;) {
      const line = await lineStats(lineApiPort);
      if (line.replyLatenciesMs.length + line.pushes > 0) break;
      if (performance.now() - t0 > 60_000)
        throw new Error(`no answer within 60 s from the service on ${residents} residents' data`);
      await sleep(20);
    }
    const startSeconds = (performance.now() - t0) / 1000;
    await drain(server, 60);
    return { residents, startSeconds, rssMb: (await server.stats()).rssBytes / 1e6 };
  } finally {
    await server.stop();
  }
}

async function measureMemory(lineApiPort: number, memoryResidents: number[]): Promise<MemoryFigures[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'madoguchi-bench-memory-'));
  try {
    const seeded = Math.min(...memoryResidents);
    const seedDir = path.join(root, String(seeded));
    // Each resident writes three messages, like the start of a consultation.
    const server = await startServerProcess('madoguchi', {
      BENCH_LINE_API_URL: `http://127.0.0.1:${lineApiPort}`,
      BENCH_DATA_DIR: seedDir,
    });
    await openLoop({ port: server.port, rate: 200, seconds: (3 * seeded) / 200, residents: seeded });
    await drain(server, 300);
    await server.stop();
    const figures: MemoryFigures[] = [];
    for (const residents of memoryResidents) {
      const dir = path.join(root, String(residents));
      if (residents !== seeded) growDataDir(seedDir, dir, seeded, residents);
      const copy = path.join(root, `${residents}-run`);
      cpSync(dir, copy, { recursive: true });
      figures.push(await measureStart(lineApiPort, copy, residents));
      rmSync(copy, { recursive: true, force: true });
      if (residents !== seeded) rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function runCapacity(o: CapacityOptions): Promise<void> {
  const lineApi = await startServerProcess('fake-line-api');
  try {
    const rounds: Record<Side, RoundFigures[]> = { madoguchi: [], baseline: [] };
    for (let round = 0; round < o.rounds; round++) {
      // Alternate which side goes first, so a drift in the machine's load hits both alike.
      const order: Side[] = round % 2 === 0 ? ['madoguchi', 'baseline'] : ['baseline', 'madoguchi'];
      for (const side of order) {
        const figures = await measureSide(side, lineApi.port, o);
        rounds[side].push(figures);
        console.error(`round ${round + 1} ${side}: ${JSON.stringify(figures)}`);
      }
    }
    const burst = await measureBurst(lineApi.port, o);
    console.error(`burst: ${JSON.stringify(burst)}`);
    const memory = await measureMemory(lineApi.port, o.memoryResidents);
    console.error(`memory: ${JSON.stringify(memory)}`);

    const m = rounds.madoguchi;
    const b = rounds.baseline;
    const pick = (rs: RoundFigures[], k: keyof RoundFigures) => rs.map((r) => r[k] as number);
    const ratios = (k: keyof RoundFigures) => m.map((r, i) => (r[k] as number) / (b[i]?.[k] as number));
    console.log(
      `\nCapacity: POST /webhooks/line, signed text events from ${o.residents} residents, ${o.rounds} rounds alternating, ${o.phaseSeconds} s phases; median (min–max)`,
    );
    console.log('| figure | madoguchi | baseline (HMAC + 200) | ratio |');
    console.log('| --- | --- | --- | --- |');
    console.log(
      `| max webhook acknowledgements/s | ${spread(pick(m, 'maxAckPerSecond'), 0)} | ${spread(pick(b, 'maxAckPerSecond'), 0)} | ${spread(ratios('maxAckPerSecond'), 2)} |`,
    );
    console.log(
      `| ack p50 / p99 at 500 req/s (ms) | ${spread(pick(m, 'ackP50At500'))} / ${spread(pick(m, 'ackP99At500'))} | ${spread(pick(b, 'ackP50At500'))} / ${spread(pick(b, 'ackP99At500'))} | p99 ${spread(ratios('ackP99At500'), 1)}× |`,
    );
    console.log(
      `| CPU per event (ms, server process, at 100/s incl. processing) | ${spread(pick(m, 'cpuMsPerEvent'), 2)} | ${spread(pick(b, 'cpuMsPerEvent'), 2)} | ${spread(ratios('cpuMsPerEvent'), 1)}× |`,
    );
    console.log(
      `| webhook → reply at 100 events/s (ms) | p50 ${spread(pick(m, 'replyP50At100'))}, p99 ${spread(pick(m, 'replyP99At100'))} | | |`,
    );
    console.log(
      `| events processed per second at 500/s offered | ${spread(pick(m, 'processedPerSecondAt500'), 0)} | | |`,
    );
    console.log(
      `| burst ${o.burstSeconds} s at ${o.burstRate}/s from ${o.burstResidents} residents: processed/s | ${f(burst.processedPerSecond, 0)} | | |`,
    );
    console.log(
      `| backlog when the burst ends | ${f(burst.backlogAtEnd, 0)} events (${f(burst.backlogSeconds)} s of work) | | |`,
    );
    console.log(
      `| webhook → reply in the burst (ms) | p50 ${f(burst.replyP50)}, p99 ${f(burst.replyP99)} | | |`,
    );
    console.log(
      `| replies that fell back to a push (token expired) | ${burst.pushes} of ${burst.offered} (${burst.expiredReplies} refused by the fake LINE API) | | |`,
    );
    const exactlyOnce =
      burst.answered === burst.acknowledged && burst.duplicateReplies === 0 && burst.outOfOrderReplies === 0;
    console.log(
      `| burst: every acknowledged event answered once, in order per resident | ${exactlyOnce ? 'yes' : 'NO'}: ${burst.answered} answers for ${burst.acknowledged} events, ${burst.duplicateReplies} token reused, ${burst.outOfOrderReplies} out of order | | |`,
    );
    console.log(
      `| burst: ack p99 (ms), CPU per event (ms) | ${f(burst.ackP99)}, ${f(burst.cpuMsPerEvent, 2)} | | |`,
    );
    console.log(`| RSS while the burst runs (${o.burstResidents} residents) | ${f(burst.rssMb, 0)} MB | | |`);
    for (const mem of memory)
      console.log(
        `| ${mem.residents.toLocaleString('en-US')} residents' conversations: start until the first answer / RSS after it | ${f(mem.startSeconds, 2)} s / ${f(mem.rssMb, 0)} MB | | |`,
      );
    const goal = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(
      `\ngoals: ack throughput ratio >= 0.5 (${goal(median(ratios('maxAckPerSecond')) >= 0.5)}); ack p99 < 25 ms at 500/s (${goal(median(pick(m, 'ackP99At500')) < 25)}); burst reply p99 < 1 s (${goal(burst.replyP99 < 1000)}); backlog < 1 s (${goal(burst.backlogSeconds < 1)}); 0 pushes (${goal(burst.pushes === 0)}); exactly once and in order (${goal(exactlyOnce)})`,
    );
  } finally {
    await lineApi.stop();
  }
}

/**
 * Memory and start time alone (`npm run bench -- --only=memory`): the service started on data
 * directories of each size, with the goals the capacity issue sets (10,000 residents in < 300 MB;
 * 100,000 start in < 10 s with memory that does not grow with them).
 */
export async function runMemory(memoryResidents: number[]): Promise<void> {
  const lineApi = await startServerProcess('fake-line-api');
  try {
    const memory = await measureMemory(lineApi.port, memoryResidents);
    console.log('\nMemory and start time: the service started on a data directory of each size');
    console.log('| residents | start until the first answer (s) | RSS after it (MB) |');
    console.log('| --- | --- | --- |');
    for (const mem of memory)
      console.log(
        `| ${mem.residents.toLocaleString('en-US')} | ${f(mem.startSeconds, 2)} | ${f(mem.rssMb, 0)} |`,
      );
    const at = (n: number) => memory.find((m) => m.residents === n);
    const smallest = memory[0];
    const largest = memory.at(-1);
    const goals: string[] = [];
    const tenThousand = at(10_000);
    if (tenThousand) goals.push(`10,000 residents < 300 MB (${tenThousand.rssMb < 300 ? 'met' : 'NOT met'})`);
    const hundredThousand = at(100_000);
    if (hundredThousand)
      goals.push(`100,000 residents start < 10 s (${hundredThousand.startSeconds < 10 ? 'met' : 'NOT met'})`);
    if (smallest && largest && largest !== smallest)
      goals.push(
        `RSS at ${largest.residents.toLocaleString('en-US')} residents against ${smallest.residents.toLocaleString('en-US')}: ${largest.rssMb >= smallest.rssMb ? '+' : '−'}${f(Math.abs(largest.rssMb - smallest.rssMb), 0)} MB`,
      );
    console.log(`\ngoals: ${goals.join('; ')}`);
  } finally {
    await lineApi.stop();
  }
}
