/**
 * tsx bench/embedded-store-work.ts [--residents=10000] [--events=2000]
 *
 * The embedded store on its own, in seconds: a DATA_DIR with `residents` residents (a session, a
 * case, three processed inbox events and a sent reply each) is written and opened again, then the
 * store work of one LINE event (inbox add, due keys, lease, oldest pending, session read and
 * write, outbox enqueue and send, inbox done, lease release) is repeated `events` times.
 * Prints the time to open and the RSS after opening (in a fresh process), and the CPU
 * milliseconds per event. Run it with `node --expose-gc --import tsx` for RSS after a GC.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { IncomingEvent } from '../src/core/ports/incoming-event.js';
import type { Store } from '../src/core/ports/store.js';
import { openEmbeddedStore } from '../src/store/embedded/embedded-store.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const residents = arg('residents', 10_000);
const events = arg('events', 2_000);
const DAY = 24 * 60 * 60 * 1000;

const address = (n: number) => `U${String(n).padStart(32, '0')}`;

/** A session state of about the size a consultation in progress has. */
function state(n: number) {
  return {
    language: 'ja',
    step: 'intake',
    flow: 'kosodate',
    answers: Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`intake.q${i}`, `answer ${i} of ${n}`]),
    ),
    history: Array.from({ length: 6 }, (_, i) => ({ at: new Date(), said: `message ${i}` })),
  };
}

function event(n: number, i: number, at: Date): IncomingEvent {
  return {
    id: `ev-${n}-${i}`,
    channel: 'line',
    address: address(n),
    occurredAt: at,
    sequence: 0,
    content: { type: 'text', text: `こんにちは、相談したいことがあります (${i})` },
    replyToken: `rt-${n}-${i}`,
  } as IncomingEvent;
}

async function oneEvent(store: Store, n: number, i: number, now: Date): Promise<void> {
  const key = `line:${address(n)}`;
  const ev = event(n, i, now);
  await store.inbox.add(ev, key, now, new Date(now.getTime() + 7 * DAY));
  await store.inbox.dueKeys(now, 16);
  await store.leases.acquire(`inbox:${key}`, 'bench', new Date(now.getTime() + 30_000), now);
  const pending = await store.inbox.oldestPending(key);
  const session = await store.sessions.get(key, now);
  await store.sessions.save(key, state(n), session?.version ?? null, now, new Date(now.getTime() + DAY));
  const id = `out-${n}-${i}`;
  await store.outbox.enqueue([
    {
      id,
      channel: 'line',
      address: address(n),
      messages: [{ type: 'text', text: 'ご相談ありがとうございます。' }],
      replyToken: ev.replyToken,
      replyTokenExpiresAt: new Date(now.getTime() + 60_000),
      causedBy: ev.id,
      createdAt: now,
    } as never,
  ]);
  await store.outbox.dueAddresses(now, 16);
  await store.outbox.oldestPending('line', address(n));
  await store.outbox.markReplyAttempted(id, now);
  await store.outbox.markSent(id, now, new Date(now.getTime() + 7 * DAY));
  if (pending) await store.inbox.markDone(pending.id, now);
  await store.leases.release(`inbox:${key}`, 'bench');
}

async function seed(dataDir: string): Promise<void> {
  const store = await openEmbeddedStore({ dataDir });
  const now = new Date();
  for (let n = 0; n < residents; n++) {
    for (let i = 0; i < 3; i++) await oneEvent(store, n, i, now);
    await store.cases.create({
      id: `case-${n}`,
      residentKey: `line:${address(n)}`,
      channel: 'line',
      origin: 'self',
      anonymous: false,
      windowId: 'kosodate',
      fields: ['childcare'],
      patterns: [],
      urgent: false,
      language: 'ja',
      answers: state(n).answers,
      ownWords: '子どものことで相談したいです。',
      createdAt: now,
    });
  }
  await store.close();
}

/** In a fresh process: open the seeded store, then the measured events. */
async function measure(dataDir: string): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  let t = performance.now();
  const store = await openEmbeddedStore({ dataDir });
  const openMs = performance.now() - t;
  globalThis.gc?.();
  const rssOpen = process.memoryUsage().rss;
  console.log(
    `open: ${openMs.toFixed(0)} ms; RSS ${(rssOpen / 1e6).toFixed(0)} MB (${((rssOpen - rssBefore) / 1e6).toFixed(0)} MB more than before opening)`,
  );
  // Warm-up, then the measured events (residents already stored, each with a session).
  for (let i = 0; i < 200; i++) await oneEvent(store, i % residents, 5, new Date());
  const cpu = process.cpuUsage();
  t = performance.now();
  for (let i = 0; i < events; i++)
    await oneEvent(store, i % residents, 10 + Math.floor(i / residents), new Date());
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - t;
  console.log(
    `one event's store work: ${((used.user + used.system) / 1000 / events).toFixed(3)} ms CPU, ${(wall / events).toFixed(3)} ms wall (${events} events)`,
  );
  globalThis.gc?.();
  console.log(`RSS after the events: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  await store.close();
}

const given = process.argv.find((a) => a.startsWith('--data='))?.slice('--data='.length);
if (given) {
  await measure(given);
} else {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-store-work-'));
  try {
    const t = performance.now();
    await seed(dataDir);
    console.log(`seeded ${residents} residents in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), `--data=${dataDir}`],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) process.exitCode = 1;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
