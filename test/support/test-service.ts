import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createService, type Service } from '../../src/service.js';
import type { FakeClock } from './fake-clock.js';
import { LINE_SECRET, LINE_TOKEN } from './line-webhook-bodies.js';

export const LINE_API = 'https://api.line.me';

/** A temporary DATA_DIR, so a second service can open the same embedded store after a "crash". */
export function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'madoguchi-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The real service with LINE on, pointed at nock's api.line.me, on a fake clock. */
export async function startTestService(options: {
  dataDir: string;
  clock: FakeClock;
  instanceId?: string;
  /** More environment: a fake LINE API's URL, short deadlines. */
  env?: Record<string, string>;
}): Promise<Service> {
  const config = loadConfig({
    LINE_CHANNEL_SECRET: LINE_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
    LINE_API_BASE_URL: LINE_API,
    DATA_DIR: options.dataDir,
    WEBHOOK_BODY_LIMIT: '64kb',
    ...options.env,
  });
  return createService({
    config,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    now: options.clock.now,
    instanceId: options.instanceId,
    // Tests drive the queues with drain(); the pollers stay out of the way.
    pollIntervalMs: 60 * 60 * 1000,
  });
}
