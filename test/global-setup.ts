import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A MongoDB URI for the mongo store tests, or '' when there is no server to test against. */
    mongoUri: string;
  }
}

/** A MongoDB-compatible server shipped as a native binary in an npm package (no download needed). */
const JONGODB_BIN = fileURLToPath(
  new URL('../node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb', import.meta.url),
);
const START_TIMEOUT_MS = 20_000;

function startJongodb(): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(
    JONGODB_BIN,
    [
      '--host=127.0.0.1',
      '--port=0',
      '--database=test',
      '--topology-profile=singleNodeReplicaSet',
      '--replica-set-name=rs0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`jongodb (${JONGODB_BIN}) ${reason}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const timer = setTimeout(
      () => fail(`printed no JONGODB_URI within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^JONGODB_URI=(\S+)$/m.exec(stdout);
      if (settled || !match?.[1]) return;
      settled = true;
      clearTimeout(timer);
      // Stop collecting but keep draining, so a chatty server never blocks on a full pipe.
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({ child, uri: match[1] });
    });
    child.once('error', (error) => fail(`could not be started: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Returns the teardown: vitest ignores a named `teardown` export when there is a default export. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const fromEnv = process.env.MONGODB_URI;
  if (fromEnv) {
    project.provide('mongoUri', fromEnv);
    return undefined;
  }
  if (!existsSync(JONGODB_BIN)) {
    project.provide('mongoUri', '');
    return undefined;
  }
  const { child, uri } = await startJongodb();
  // If vitest exits without running teardown (an interrupted run), the server must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  // The driver watches a server by streaming awaitable hellos (the exhaust protocol); this test
  // server now and then ends such a stream early ("Server ended moreToCome unexpectedly"), and the
  // driver then clears the pool and fails whatever test was running. Polling watches it without
  // streams. A real server (MONGODB_URI) keeps the driver's default.
  const polled = new URL(uri);
  polled.searchParams.set('serverMonitoringMode', 'poll');
  project.provide('mongoUri', polled.toString());
  return async () => {
    process.off('exit', killOnExit);
    await stop(child);
  };
}
