/**
 * The bench's other servers, each in its own process so that the load generator does not share its
 * event loop (the madoguchi server is serve-built-service.mjs, which runs the build without tsx):
 * `baseline`: a bare Express route that verifies the same HMAC and answers 200.
 * `fake-line-api`: a stand-in for api.line.me that accepts every message.
 * Prints "READY <port>" when listening; exits on SIGTERM. Over IPC, the message 'stats' is answered with
 * this process's CPU time and RSS (ServerStats; nothing waits in these two).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startFakeLineApi } from './fake-line-api.js';
import { BENCH_LINE_SECRET } from './signed-line-webhook.js';

const SECRET = BENCH_LINE_SECRET;
const mode = process.argv[2];

function serveBaseline(): Server {
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
  return app.listen(0, '127.0.0.1');
}

/** What a server process answers to 'stats' (serve-built-service.mjs counts what is still waiting). */
export interface ServerStats {
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  pendingEvents: number;
  pendingMessages: number;
}

process.on('message', (message) => {
  if (message !== 'stats') return;
  const cpu = process.cpuUsage();
  const stats: ServerStats = {
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    rssBytes: process.memoryUsage.rss(),
    pendingEvents: 0,
    pendingMessages: 0,
  };
  process.send?.(stats);
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
  const server = serveBaseline();
  server.on('listening', () => {
    console.log(`READY ${(server.address() as AddressInfo).port}`);
  });
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
