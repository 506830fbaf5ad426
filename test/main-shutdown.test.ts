import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/config.js';
import { waitFor } from './support/service-process.js';

/** Runs src/main.ts as a real process and collects its JSON log lines. */
function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'main.ts')], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const output = () => ({ out, err });
  return { child, exited, output };
}

// A busy machine can take many seconds to start the service; these are limits, not timings.
describe('the service process', { timeout: 90_000 }, () => {
  it('starts on embedded defaults, says the LINE channel is off, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-main-'));
    const proc = startMain({ DATA_DIR: dataDir });
    try {
      await waitFor(() => proc.output().out.includes('madoguchi is listening'));
      const url = /"url":"(http:[^"]+)"/.exec(proc.output().out)?.[1];
      expect(url).toBeDefined();
      const ready = await fetch(new URL('/readyz', url));
      expect(ready.status).toBe(200);
      expect(proc.output().out.match(/LINE channel is off/g)).toHaveLength(1);

      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      expect(proc.output().out).toContain('stopped cleanly');
    } finally {
      proc.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start with half a LINE pair, naming the missing variable', async () => {
    const proc = startMain({ LINE_CHANNEL_SECRET: 'only-the-secret' });
    expect(await proc.exited).toBe(1);
    expect(proc.output().err).toContain('LINE_CHANNEL_ACCESS_TOKEN');
  });

  it('does not start the playground on a non-loopback bind, and says so in one log line', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-main-'));
    const proc = startMain({ DATA_DIR: dataDir, HOST: '0.0.0.0' });
    try {
      await waitFor(() => proc.output().out.includes('madoguchi is listening'));
      const port = /"url":"http:\/\/0\.0\.0\.0:(\d+)\//.exec(proc.output().out)?.[1];
      expect(proc.output().out.match(/playground is off: HOST is not a loopback interface/g)).toHaveLength(1);
      const home = await fetch(`http://127.0.0.1:${port}/playground/api/cases`);
      expect(home.status).toBe(404);
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    } finally {
      proc.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
