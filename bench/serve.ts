/**
 * A server under test, in its own process so that the load generator does not share its event loop.
 * `baseline`: a bare Express route that verifies the same HMAC and answers 200.
 * `madoguchi`: the real service (embedded store in a temp dir, or BENCH_DATA_DIR kept as it is; workers
 *   on; LINE API at BENCH_LINE_API_URL).
 * `fake-line-api`: a stand-in for api.line.me that accepts every message.
 * Prints "READY <port>" when listening; exits on SIGTERM. Over IPC, the message 'stats' is answered with
 * this process's CPU time, RSS and (madoguchi) the events and messages still waiting (ServerStats).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { pino } from 'pino';
import type { loadConfig as LoadConfig } from '../src/config.js';
import type { startService as StartService } from '../src/processing/start-service.js';
import { startFakeLineApi } from './fake-line-api.js';
import { BENCH_LINE_SECRET } from './signed-line-webhook.js';

const SECRET = BENCH_LINE_SECRET;
const mode = process.argv[2];

async function serveBaseline(): Promise<{ server: Server; cleanup: () => Promise<void> }> {
  const app = express();
  app.post('/webhooks/line', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    const expected = createHmac('sha256', SECRET)
      .update(req.body as Buffer)
      .digest();
    const given = Buffer.from(String(req.headers['x-line-signature'] ?? ''), 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).end();
      return;
    }
    res.status(200).json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  return { server, cleanup: async () => {} };
}

export interface ServerStats {
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  pendingEvents: number;
  pendingMessages: number;
}

let pending: () => Promise<{ events: number; messages: number }> = async () => ({ events: 0, messages: 0 });

/**
 * The service as `npm start` and the Docker image run it: the build in dist/ (`npm run bench` builds
 * it first), not the sources through tsx, whose loader and source maps cost each thread about 30 MB.
 */
async function loadBuiltService(): Promise<{
  loadConfig: typeof LoadConfig;
  startService: typeof StartService;
}> {
  const dist = new URL('../dist/', import.meta.url);
  const [config, start] = await Promise.all([
    import(new URL('config.js', dist).href),
    import(new URL('processing/start-service.js', dist).href),
  ]);
  return { loadConfig: config.loadConfig, startService: start.startService };
}

async function serveMadoguchi(): Promise<{ server: Server; cleanup: () => Promise<void> }> {
  const { loadConfig, startService } = await loadBuiltService();
  const keepData = process.env.BENCH_DATA_DIR;
  const dataDir = keepData ?? mkdtempSync(path.join(tmpdir(), 'madoguchi-bench-'));
  const config = loadConfig({
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: 'bench-token',
    LINE_API_BASE_URL: process.env.BENCH_LINE_API_URL,
    DATA_DIR: dataDir,
    // thread | inline, to compare the two; main.ts's default (auto) otherwise.
    PROCESSING: process.env.BENCH_PROCESSING,
  });
  // As main.ts runs it: with a processing thread where the store allows one (PROCESSING).
  const { service, stop } = await startService({
    config,
    logger: pino({ level: 'silent' }),
    onProcessingExit: (code) => {
      console.error(`the processing thread ended with ${code}`);
      process.exit(1);
    },
  });
  pending = async () => {
    const [events, messages] = await Promise.all([
      service.store.inbox.countByStatus(),
      service.store.outbox.countByStatus(),
    ]);
    return { events: events.pending, messages: messages.pending };
  };
  const server = service.app.listen(0, '127.0.0.1');
  return {
    server,
    cleanup: async () => {
      await stop(8_000);
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** BENCH_CPU_PROF=<dir>: a V8 CPU profile of this server process, to find hot spots. */
const profiler = process.env.BENCH_CPU_PROF ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
async function writeProfile(): Promise<void> {
  if (!profiler || !process.env.BENCH_CPU_PROF) return;
  const { profile } = await profiler.post('Profiler.stop');
  mkdirSync(process.env.BENCH_CPU_PROF, { recursive: true });
  writeFileSync(
    path.join(process.env.BENCH_CPU_PROF, `${mode}-${process.pid}.cpuprofile`),
    JSON.stringify(profile),
  );
}

process.on('message', (message) => {
  if (message !== 'stats') return;
  const cpu = process.cpuUsage();
  void pending().then(({ events, messages }) => {
    const stats: ServerStats = {
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      rssBytes: process.memoryUsage.rss(),
      pendingEvents: events,
      pendingMessages: messages,
    };
    process.send?.(stats);
  });
});

if (mode === 'fake-line-api') {
  const lineApi = await startFakeLineApi();
  console.log(`READY ${new URL(lineApi.url).port}`);
  process.on('SIGTERM', () => {
    console.error(
      `fake LINE API: ${lineApi.delivered()} messages delivered over ${lineApi.connections()} connections`,
    );
    void lineApi.close().then(() => process.exit(0));
  });
} else {
  const { server, cleanup } = mode === 'baseline' ? await serveBaseline() : await serveMadoguchi();
  server.on('listening', () => {
    console.log(`READY ${(server.address() as AddressInfo).port}`);
  });
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void writeProfile()
      .then(cleanup)
      .then(() => process.exit(0));
  });
}
