import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerStats } from './serve.js';
import { BENCH_LINE_SECRET } from './signed-line-webhook.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** What the Dockerfile sets for the service's process (beyond NODE_ENV), so the bench runs it alike. */
export const IMAGE_ENVIRONMENT = { MALLOC_ARENA_MAX: '1' };

export interface ServerProcess {
  port: number;
  /** CPU time, RSS and the work still waiting, as the server process sees them. */
  stats: () => Promise<ServerStats>;
  stop: () => Promise<void>;
}

/**
 * Starts a server in a child process and resolves with its port once it listens: madoguchi from the
 * build (serve-built-service.mjs, with the environment the Docker image sets), the others from
 * serve.ts through tsx.
 */
export async function startServerProcess(
  mode: 'baseline' | 'madoguchi' | 'fake-line-api',
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const entry =
    mode === 'madoguchi'
      ? [path.join(here, 'serve-built-service.mjs')]
      : ['--import', 'tsx', path.join(here, 'serve.ts'), mode];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...entry], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: {
      ...process.env,
      ...(mode === 'madoguchi' && { ...IMAGE_ENVIRONMENT, BENCH_LINE_SECRET }),
      ...env,
      NODE_ENV: 'production',
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start within 120 s`)), 120_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const match = /READY (\d+)/.exec(chunk);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited early with ${code}`)));
  });
  return {
    port,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (message) => resolve(message as ServerStats));
        child.send('stats');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
