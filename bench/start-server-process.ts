import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerStats } from './serve.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ServerProcess {
  port: number;
  /** CPU time, RSS and the work still waiting, as the server process sees them. */
  stats: () => Promise<ServerStats>;
  stop: () => Promise<void>;
}

/** Starts bench/serve.ts in a child process and resolves with its port once it listens. */
export async function startServerProcess(
  mode: 'baseline' | 'madoguchi' | 'fake-line-api',
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', path.join(here, 'serve.ts'), mode],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, ...env, NODE_ENV: 'production' },
    },
  );
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
