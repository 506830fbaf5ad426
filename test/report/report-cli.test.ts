import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewCase } from '../../src/core/ports/store.js';
import { runReportCli } from '../../src/report/report-cli.js';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';

let dir: string;
let dataDir: string;
let out: string[];
let err: string[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'report-cli-'));
  dataDir = path.join(dir, 'data');
  out = [];
  err = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const io = (env: NodeJS.ProcessEnv = { DATA_DIR: dataDir }) => ({
  env,
  cwd: dir,
  stdout: (line: string) => out.push(line),
  stderr: (line: string) => err.push(line),
});

/** Six elderly cases in November 2026 in the example city's north centre, one accepted after 12 minutes. */
async function seed(): Promise<void> {
  const store = await openEmbeddedStore({ dataDir });
  for (let i = 0; i < 6; i++) {
    const createdAt = new Date(`2026-11-1${i}T01:00:00Z`);
    const input: NewCase = {
      id: `case-${i}`,
      residentKey: `line:U${i}`,
      channel: 'line',
      origin: 'self',
      anonymous: false,
      windowId: 'houkatsu-north',
      fields: ['elderly'],
      patterns: [],
      urgent: false,
      language: 'ja',
      answers: {},
      createdAt,
    };
    await store.cases.create(input);
    if (i === 0) {
      await store.cases.transition(
        input.id,
        ['pending'],
        { status: 'assigned', assignee: 'U_STAFF', acceptedAt: new Date(createdAt.getTime() + 12 * 60_000) },
        createdAt,
      );
    }
  }
  await store.close();
}

describe('npm run report', () => {
  it('writes report-YYYY-MM.csv and .md into ./reports and prints their paths', async () => {
    await seed();
    expect(await runReportCli(['--month', '2026-11'], io())).toBe(0);
    const csvPath = path.join(dir, 'reports', 'report-2026-11.csv');
    const mdPath = path.join(dir, 'reports', 'report-2026-11.md');
    expect(out).toEqual([csvPath, mdPath]);
    expect(err).toEqual([]);

    const csv = await readFile(csvPath, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('window-field,houkatsu-north,elderly,6,');
    expect(csv).toContain('time-to-accept,accepted,value,<5,');
    const md = await readFile(mdPath, 'utf8');
    expect(md).toContain('# こもれび市 相談の入口 月次報告 2026年11月');
    expect(md).toContain('| こもれび北部地域包括支援センター (houkatsu-north) | 6 |');
  });

  it('writes into --out, creating it', async () => {
    await seed();
    expect(await runReportCli(['--month', '2026-11', '--out', 'out/monthly'], io())).toBe(0);
    expect((await readdir(path.join(dir, 'out', 'monthly'))).sort()).toEqual([
      'report-2026-11.csv',
      'report-2026-11.md',
    ]);
  });

  it("never writes to the service's embedded database", async () => {
    await seed();
    const file = path.join(dataDir, 'madoguchi.sqlite');
    const before = await stat(file);
    const content = await readFile(file);
    expect(await runReportCli(['--month', '2026-11'], io())).toBe(0);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    expect((await readFile(file)).equals(content)).toBe(true);
  });

  it('reads a consistent copy while the service has the database open', async () => {
    await seed();
    const running = await openEmbeddedStore({ dataDir });
    try {
      await running.cases.transition(
        'case-1',
        ['pending'],
        { status: 'closed' },
        new Date('2026-11-20T00:00:00Z'),
      );
      expect(await runReportCli(['--month', '2026-11'], io())).toBe(0);
      expect(await readFile(path.join(dir, 'reports', 'report-2026-11.csv'), 'utf8')).toContain(
        'window-field,houkatsu-north,elderly,6,',
      );
      expect(await running.cases.get('case-1')).toMatchObject({ status: 'closed' });
    } finally {
      await running.close();
    }
  });

  it('writes the text in --lang, with English in parentheses', async () => {
    await seed();
    expect(await runReportCli(['--month', '2026-11', '--lang', 'vi'], io())).toBe(0);
    const md = await readFile(path.join(dir, 'reports', 'report-2026-11.md'), 'utf8');
    expect(md).toContain('(Monthly report, November 2026)');
    expect(md).toContain('## 8. Mức độ hài lòng (Satisfaction)');
    const csv = await readFile(path.join(dir, 'reports', 'report-2026-11.csv'), 'utf8');
    expect(csv).toContain('time-to-accept,accepted,value,<5,Thời gian đến khi có người phụ trách,');
  });

  it('refuses a --lang it has no text for, naming the languages it has', async () => {
    await seed();
    expect(await runReportCli(['--month', '2026-11', '--lang', 'fr'], io())).toBe(1);
    expect(err.join('\n')).toMatch(/--lang: must be one of ja, en, .*pt-BR/);
    await expect(stat(path.join(dir, 'reports'))).rejects.toThrow();
  });

  it('refuses a missing or malformed --month with a clear message and exit code 1', async () => {
    expect(await runReportCli([], io())).toBe(1);
    expect(err.join('\n')).toMatch(/--month: is required[\s\S]*usage: npm run report -- --month YYYY-MM/);
    err = [];
    expect(await runReportCli(['--month', '2026-13'], io())).toBe(1);
    expect(err.join('\n')).toContain('--month: must be a month written YYYY-MM, such as 2026-11');
    err = [];
    expect(await runReportCli(['--month', '2026-11', '--colour'], io())).toBe(1);
    expect(err.join('\n')).toMatch(/--colour/);
  });

  it('fails when DATA_DIR holds no cases, rather than writing an empty report', async () => {
    expect(await runReportCli(['--month', '2026-11'], io())).toBe(1);
    expect(err.join('\n')).toMatch(/no cases at .*madoguchi\.sqlite/);
    await expect(stat(path.join(dir, 'reports'))).rejects.toThrow();
  });

  it('fails on a bad environment, naming the variable', async () => {
    expect(await runReportCli(['--month', '2026-11'], io({ DATA_DIR: dataDir, PORT: 'abc' }))).toBe(1);
    expect(err.join('\n')).toContain('PORT');
  });
});
