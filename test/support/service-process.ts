import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/config.js';

export interface ServiceProcess {
  child: ChildProcess;
  /** Where it listens, once it said so. */
  url: () => Promise<string>;
  exited: Promise<number | null>;
  output: () => { out: string; err: string };
  kill: (signal: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Runs src/main.ts as a real process (as `npm start` would, without the build) with its JSON logs
 * collected. Its processing thread runs at nice 10 rather than the default SCHED_IDLE unless a test
 * asks for it: the test runner keeps every core busy, and an idle-class thread would wait there
 * for a free core for as long as the other test files run.
 */
export function startServiceProcess(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'main.ts')], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', PROCESSING_PRIORITY: 'low', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const output = () => ({ out, err });
  return {
    child,
    exited,
    output,
    async url() {
      await waitFor(() => out.includes('madoguchi is listening') || child.exitCode !== null, 60_000);
      const url = /"url":"(http:[^"]+)"/.exec(out)?.[1];
      if (!url) throw new Error(`the service did not start:\n${out}\n${err}`);
      return url;
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function waitFor(predicate: () => boolean, ms = 45_000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
