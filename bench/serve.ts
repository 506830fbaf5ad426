/**
 * A server under test, in its own process so that the load generator does not share its event loop.
 * `baseline`: a bare Express route that verifies the same HMAC and answers 200.
 * `madoguchi`: the real service (embedded store in a temp dir, workers on, LINE API faked on loopback).
 * Prints "READY <port>" when listening; exits on SIGTERM.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createService } from '../src/service.js';
import { startFakeLineApi } from './fake-line-api.js';

const SECRET = process.env.BENCH_LINE_SECRET ?? 'bench-secret';
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

async function serveMadoguchi(): Promise<{ server: Server; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-bench-'));
  const lineApi = await startFakeLineApi();
  const config = loadConfig({
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: 'bench-token',
    LINE_API_BASE_URL: lineApi.url,
    DATA_DIR: dataDir,
  });
  const service = await createService({ config, logger: pino({ level: 'silent' }) });
  service.start();
  const server = service.app.listen(0, '127.0.0.1');
  return {
    server,
    cleanup: async () => {
      await service.stop();
      await lineApi.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const { server, cleanup } = mode === 'baseline' ? await serveBaseline() : await serveMadoguchi();
server.on('listening', () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void cleanup().then(() => process.exit(0));
});
