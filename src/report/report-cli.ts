import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type Config, ConfigError, loadConfig, projectRoot } from '../config.js';
import {
  loadMunicipalityConfig,
  MunicipalityConfigError,
} from '../core/municipality/load-municipality-config.js';
import { addDays, toInstant } from '../core/municipality/opening-hours.js';
import type { AuditEntry, CaseRecord, CaseStatus, Store } from '../core/ports/store.js';
import type { Translator } from '../core/ports/translator.js';
import { createTranslator } from '../i18n/create-translator.js';
import { LocaleError, loadLocales, SOURCE_LANGUAGE } from '../i18n/load-locales.js';
import { openStore } from '../store/open-store.js';
import { buildMonthlyReport, reportMonthSchema } from './monthly-report.js';
import { renderCsv } from './render-csv.js';
import { renderMarkdown } from './render-markdown.js';
import { buildWatchFigures, type WatchFigures } from './watch-report.js';

const USAGE = 'usage: npm run report -- --month YYYY-MM [--out DIR] [--lang CODE]';
const STATUSES: CaseStatus[] = ['pending', 'assigned', 'closed'];
/** listByStatus returns the oldest cases first: reaching this limit would silently drop recent ones. */
const MAX_CASES_PER_STATUS = 1_000_000;

const argsSchema = z.object({
  month: z.string({ error: 'is required' }).pipe(reportMonthSchema),
  out: z.string().trim().min(1, { error: 'must not be empty' }).default('reports'),
  /** The language of the report's text; English stays in parentheses in the Markdown. */
  lang: z.string().trim().min(1, { error: 'must not be empty' }).default(SOURCE_LANGUAGE),
});

export interface ReportCliIo {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
}

class CliError extends Error {}

function parseCliArgs(argv: string[]): z.output<typeof argsSchema> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { month: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
    throw new CliError(`${problems.join('\n')}\n${USAGE}`);
  }
  return parsed.data;
}

/**
 * The report never opens the service's embedded database for writing: it copies it (one
 * consistent instant, through a read-only connection, while the service may be running) and
 * reads the copy.
 */
async function withStore<T>(config: Config, use: (store: Store) => Promise<T>): Promise<T> {
  let snapshot: string | undefined;
  let settings = config.storage;
  if (settings.kind === 'embedded') {
    const { snapshotEmbeddedStore, DATABASE_FILE } = await import('../store/embedded/embedded-store.js');
    const source = path.join(settings.dataDir, DATABASE_FILE);
    snapshot = await mkdtemp(path.join(tmpdir(), 'madoguchi-report-'));
    try {
      snapshotEmbeddedStore(settings.dataDir, path.join(snapshot, DATABASE_FILE));
    } catch (error) {
      await rm(snapshot, { recursive: true, force: true });
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CliError(`no cases at ${source}: is DATA_DIR (or MONGODB_URI) set as for the service?`);
      }
      throw error;
    }
    settings = { ...settings, dataDir: snapshot };
  }
  const store = await openStore(settings);
  try {
    return await use(store);
  } finally {
    await store.close();
    if (snapshot) await rm(snapshot, { recursive: true, force: true });
  }
}

async function readAllCases(store: Store): Promise<CaseRecord[]> {
  const all: CaseRecord[] = [];
  for (const status of STATUSES) {
    const found = await store.cases.listByStatus(status, MAX_CASES_PER_STATUS);
    if (found.length >= MAX_CASES_PER_STATUS) {
      throw new CliError(
        `more than ${MAX_CASES_PER_STATUS} ${status} cases: the report needs a date-range query`,
      );
    }
    all.push(...found);
  }
  return all;
}

/** The month's check-ins (by due time on the city's clock) and the 見守り outcomes staff recorded in it. */
async function readWatch(store: Store, month: string, timezone: string): Promise<WatchFigures> {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const first = { year, month: m, day: 1, weekday: 0, minutes: 0 };
  const from = toInstant(first, 0, timezone);
  // The 28th plus four days is always in the next month; its first day is the end.
  const later = addDays({ ...first, day: 28 }, 4);
  const next = toInstant({ ...later, day: 1 }, 0, timezone);
  const checkIns = await store.watch.listCheckInsDue(from, next);
  const outcomes: AuditEntry[] = [];
  for (const caseId of new Set(checkIns.map((c) => c.caseId))) {
    for (const entry of await store.audit.listForCase(caseId))
      if (entry.action === 'watch.outcome' && entry.at >= from && entry.at < next) outcomes.push(entry);
  }
  return buildWatchFigures(checkIns, outcomes);
}

/** The report's text, from locales/ as the service reads it; refuses a language it has no text for. */
function reportTranslator(language: string): Translator {
  const translator = createTranslator(loadLocales(path.join(projectRoot, 'locales')));
  if (!translator.languages.includes(language)) {
    throw new CliError(`--lang: must be one of ${translator.languages.join(', ')}\n${USAGE}`);
  }
  return translator;
}

/**
 * `npm run report -- --month 2026-11 [--out DIR] [--lang CODE]`: reads the cases from the store the
 * environment names (as the service does), writes report-YYYY-MM.csv and report-YYYY-MM.md into DIR
 * (default ./reports) with their text in CODE (default ja; English stays in parentheses in the
 * Markdown) and prints their paths. Returns the exit code: 0, or 1 with the reason on stderr.
 */
export async function runReportCli(argv: string[], io: ReportCliIo = {}): Promise<number> {
  const out = io.stdout ?? ((line: string) => console.log(line));
  const err = io.stderr ?? ((line: string) => console.error(line));
  try {
    const args = parseCliArgs(argv);
    const translator = reportTranslator(args.lang);
    const config = loadConfig(io.env ?? process.env);
    const municipality = loadMunicipalityConfig(config.municipalityConfigPath);
    const { cases, watch } = await withStore(config, async (store) => ({
      cases: await readAllCases(store),
      watch: await readWatch(store, args.month, municipality.timezone),
    }));
    const report = { ...buildMonthlyReport(cases, args.month, municipality), watch };

    const dir = path.resolve(io.cwd ?? process.cwd(), args.out);
    await mkdir(dir, { recursive: true });
    const csv = path.join(dir, `report-${args.month}.csv`);
    const md = path.join(dir, `report-${args.month}.md`);
    await writeFile(csv, renderCsv(report, translator, args.lang), 'utf8');
    await writeFile(md, renderMarkdown(report, translator, args.lang), 'utf8');
    out(csv);
    out(md);
    return 0;
  } catch (error) {
    const expected = [CliError, ConfigError, MunicipalityConfigError, LocaleError];
    if (expected.some((kind) => error instanceof kind)) err((error as Error).message);
    else err(`report failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
