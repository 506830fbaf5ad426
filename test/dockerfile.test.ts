import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMAGE_ENVIRONMENT } from '../bench/start-server-process.js';
import { projectRoot } from '../src/config.js';

/** Docker cannot run on the CI machines, so the Dockerfile's promises are checked by reading it. */
interface Instruction {
  op: string;
  args: string;
}

function parseDockerfile(text: string): Instruction[][] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of logical) {
    const [op = '', ...rest] = line.split(/\s+/);
    const instruction = { op: op.toUpperCase(), args: rest.join(' ') };
    if (instruction.op === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

const stages = parseDockerfile(readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8'));
const final = stages.at(-1) ?? [];
const args = (op: string) => final.filter((i) => i.op === op).map((i) => i.args);

describe('Dockerfile', () => {
  it('is multi-stage on the current Node LTS', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]?.args).toMatch(/^node:24-bookworm-slim\b/);
  });

  it('keeps glibc to one malloc arena for the service, and the bench runs it the same way', () => {
    expect(args('ENV').join(' ')).toMatch(/\bMALLOC_ARENA_MAX=1\b/);
    for (const [name, value] of Object.entries(IMAGE_ENVIRONMENT))
      expect(args('ENV').join(' ')).toMatch(new RegExp(`\\b${name}=${value}\\b`));
  });

  it('installs production dependencies only in the final stage', () => {
    expect(args('RUN').some((a) => /npm ci\b.*--omit=dev/.test(a))).toBe(true);
    expect(args('RUN').some((a) => /npm ci(?!.*--omit=dev)/.test(a))).toBe(false);
  });

  it('runs as a non-root user, with an init process forwarding SIGTERM to node (not npm)', () => {
    expect(args('USER')).toEqual(['node']);
    expect(args('ENTRYPOINT').join(' ')).toContain('tini');
    expect(args('CMD')).toEqual(['["node", "dist/main.js"]']);
  });

  it('has a HEALTHCHECK against /healthz and listens beyond loopback inside the container', () => {
    expect(args('HEALTHCHECK').join(' ')).toContain('/healthz');
    expect(args('ENV').join(' ')).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('copies only paths that exist in the repository', () => {
    const sources = stages
      .flat()
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(existsSync(path.join(projectRoot, source)), source).toBe(true);
  });
});
