/**
 * The bench's madoguchi server: the build in dist/ in a process of its own, as `node dist/main.js`
 * and the Docker image run it. Plain JavaScript, so that no TypeScript loader (tsx registers one on
 * a thread of its own, about 17 MB) is in the process whose CPU and memory the bench reports.
 * Started by start-server-process.ts, which passes the LINE secret, the fake LINE API's URL and
 * the data directory (BENCH_DATA_DIR kept as it is; a temporary one otherwise).
 * Prints "READY <port>" when listening; exits on SIGTERM; answers the IPC message 'stats' with its
 * CPU time, RSS and the events and messages still waiting (ServerStats in serve.ts).
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of this process there when it stops.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';

const dist = new URL('../dist/', import.meta.url);
// As main.js does, before the service's modules load (see holdYoungGeneration).
await import(new URL('processing/hold-young-generation.js', dist).href);
const [{ loadConfig }, { startService }] = await Promise.all([
  import(new URL('config.js', dist).href),
  import(new URL('processing/start-service.js', dist).href),
]);

const profiler = process.env.BENCH_CPU_PROF ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}

const keepData = process.env.BENCH_DATA_DIR;
const dataDir = keepData ?? mkdtempSync(path.join(tmpdir(), 'madoguchi-bench-'));
const config = loadConfig({
  LINE_CHANNEL_SECRET: process.env.BENCH_LINE_SECRET,
  LINE_CHANNEL_ACCESS_TOKEN: 'bench-token',
  LINE_API_BASE_URL: process.env.BENCH_LINE_API_URL,
  DATA_DIR: dataDir,
  // thread | inline, to compare the two; main.ts's default (auto) otherwise.
  PROCESSING: process.env.BENCH_PROCESSING,
});
const { service, stop } = await startService({
  config,
  logger: pino({ level: 'silent' }),
  onProcessingExit: (code) => {
    console.error(`the processing thread ended with ${code}`);
    process.exit(1);
  },
});

process.on('message', (message) => {
  if (message !== 'stats') return;
  const cpu = process.cpuUsage();
  void Promise.all([service.store.inbox.countByStatus(), service.store.outbox.countByStatus()]).then(
    ([events, messages]) =>
      process.send?.({
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        rssBytes: process.memoryUsage.rss(),
        pendingEvents: events.pending,
        pendingMessages: messages.pending,
      }),
  );
});

const server = service.app.listen(0, '127.0.0.1', () => console.log(`READY ${server.address().port}`));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void (async () => {
    if (profiler && process.env.BENCH_CPU_PROF) {
      const { profile } = await profiler.post('Profiler.stop');
      mkdirSync(process.env.BENCH_CPU_PROF, { recursive: true });
      writeFileSync(
        path.join(process.env.BENCH_CPU_PROF, `madoguchi-${process.pid}.cpuprofile`),
        JSON.stringify(profile),
      );
    }
    await stop(8_000);
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  })();
});
