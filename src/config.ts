import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CodedError } from './core/coded-error.js';
import { isLoopbackHost } from './http/is-loopback.js';

/** The repository root: defaults for files shipped with the service are resolved against it. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (fallback: string) => z.string().trim().url().default(fallback);

/** A deadline in milliseconds: at least 1, at most ten minutes. */
const millis = (fallback: number) => z.coerce.number().int().min(1).max(600_000).default(fallback);

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LINE_CHANNEL_SECRET: optionalString,
  LINE_CHANNEL_ACCESS_TOKEN: optionalString,
  LINE_API_BASE_URL: url('https://api.line.me'),
  LINE_DATA_API_BASE_URL: url('https://api-data.line.me'),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_API_URL: url('https://slack.com/api/'),
  SLACK_HANDOFF_CHANNEL: optionalString,
  MONGODB_URI: optionalString,
  MONGODB_DB: z.string().trim().min(1).default('madoguchi'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  /** normal: a process crash loses nothing; full: every commit is also fsynced (survives an OS crash). */
  DATA_SYNC: z.enum(['normal', 'full']).default('normal'),
  MUNICIPALITY_CONFIG: z
    .string()
    .trim()
    .min(1)
    .default(path.join(projectRoot, 'config', 'municipality.example.yaml')),
  WEBHOOK_BODY_LIMIT: z.string().trim().min(1).default('1mb'),
  /** auto: the playground is on only while no real LINE channel is configured. */
  PLAYGROUND: z.enum(['auto', 'on', 'off']).default('auto'),
  RISK_SECOND_OPINION_URL: z
    .string()
    .trim()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  RISK_SECOND_OPINION_MODEL: optionalString,
  RISK_SECOND_OPINION_API_KEY: optionalString,
  RISK_SECOND_OPINION_TIMEOUT_MS: millis(1_500),
  /** The playground writes as any resident: off the loopback interface only when asked for by name. */
  PLAYGROUND_ALLOW_NETWORK: flag,
  /** How long a new resident's greeting waits for their LINE profile (its language). */
  LINE_PROFILE_TIMEOUT_MS: millis(2_000),
  /** Every other single API call (Slack Web API, LINE loading animation and media). */
  API_TIMEOUT_MS: millis(10_000),
  /** One outbox delivery as a whole (it may take several API calls); shorter than the 30 s lease. */
  OUTBOX_SEND_TIMEOUT_MS: millis(20_000),
  /**
   * Where conversations are worked out: `thread` on a processing thread of its own, so verifying and
   * acknowledging webhooks never waits for the engine; `inline` on the thread that serves HTTP.
   * auto: a thread whenever the playground is off and the store can be shared between threads.
   */
  PROCESSING: z.enum(['auto', 'thread', 'inline']).default('auto'),
  /**
   * How the processing thread shares the CPU with the thread that acknowledges webhooks:
   * `idle` (Linux's SCHED_IDLE): it runs whenever a CPU has nothing else to do and steps aside the
   * moment the HTTP thread wants that CPU. Nice values did not do that: at nice 10 or 19 the kernel
   * still gave it its turns, and under a flood of webhooks acknowledgements waited behind it.
   * `low`: nice 10, a smaller share when the CPU is short (also where SCHED_IDLE cannot be set).
   * `normal`: the process's own priority.
   */
  PROCESSING_PRIORITY: z.enum(['idle', 'low', 'normal']).default('idle'),
});

export type Env = z.infer<typeof envSchema>;

/** Every environment variable the service reads (the README's configuration table names each). */
export const ENVIRONMENT_VARIABLES = Object.keys(envSchema.shape) as (keyof Env)[];

export interface LineSettings {
  channelSecret: string;
  channelAccessToken: string;
  apiBaseUrl: string;
  dataApiBaseUrl: string;
}

export interface SlackSettings {
  signingSecret: string;
  botToken: string;
  apiUrl: string;
  handoffChannel: string | undefined;
}

/** An OpenAI-compatible chat completions endpoint the city runs, asked for a second opinion on risk. */
export interface SecondOpinionSettings {
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

export interface Deadlines {
  profileLookupMs: number;
  apiCallMs: number;
  outboxSendMs: number;
}

export type StorageSettings =
  | { kind: 'mongo'; uri: string; dbName: string }
  | { kind: 'embedded'; dataDir: string; synchronous: 'normal' | 'full' };

/**
 * Whether two threads may each open the store at once (the processing thread and the HTTP one):
 * MongoDB, and the embedded SQLite file (WAL: one writer at a time, readers alongside).
 */
export function storeSharedBetweenThreads(storage: StorageSettings): boolean {
  return storage.kind === 'mongo' || storage.kind === 'embedded';
}

export interface Config {
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  webhookBodyLimit: string;
  /** undefined: the LINE channel is off. */
  line: LineSettings | undefined;
  /** undefined: the Slack channel is off. */
  slack: SlackSettings | undefined;
  storage: StorageSettings;
  municipalityConfigPath: string;
  /** The local playground (a LINE-like resident pane and a Slack-like staff pane) at /. */
  playground: boolean;
  /** undefined: no second opinion; the dictionaries and the statistical detector decide alone. */
  riskSecondOpinion: SecondOpinionSettings | undefined;
  /**
   * The playground was wanted (PLAYGROUND on, or auto without LINE) but refused because HOST is not
   * a loopback interface and PLAYGROUND_ALLOW_NETWORK is not set: main says so in the log.
   */
  playgroundRefusedOnHost: boolean;
  deadlines: Deadlines;
  /** See PROCESSING: `thread` runs the queues and the engine on a worker thread. */
  processing: 'thread' | 'inline';
  /** See PROCESSING_PRIORITY: the processing thread's share of the CPU. */
  processingPriority: ProcessingPriority;
}

export type ProcessingPriority = Env['PROCESSING_PRIORITY'];

export class ConfigError extends CodedError {
  constructor(readonly problems: string[]) {
    super(
      'CONFIG_INVALID',
      'permanent',
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** A credential pair is either fully set or fully absent; half a pair is a mistake worth refusing. */
function pairProblems(name: string, vars: Record<string, string | undefined>): string[] {
  const set = Object.entries(vars).filter(([, v]) => v !== undefined);
  if (set.length === 0 || set.length === Object.keys(vars).length) return [];
  const missing = Object.keys(vars).filter((k) => vars[k] === undefined);
  return [
    `${missing.join(', ')}: required because ${set.map(([k]) => k).join(', ')} is set (${name} needs both)`,
  ];
}

/** The one reader of process.env. Lists every bad variable in one error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  problems.push(
    ...pairProblems('the LINE channel', {
      LINE_CHANNEL_SECRET: e.LINE_CHANNEL_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: e.LINE_CHANNEL_ACCESS_TOKEN,
    }),
    ...pairProblems('the Slack app', {
      SLACK_SIGNING_SECRET: e.SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN: e.SLACK_BOT_TOKEN,
    }),
    ...pairProblems('the risk second opinion', {
      RISK_SECOND_OPINION_URL: e.RISK_SECOND_OPINION_URL,
      RISK_SECOND_OPINION_MODEL: e.RISK_SECOND_OPINION_MODEL,
    }),
  );
  if (problems.length > 0) throw new ConfigError(problems);

  const playgroundWanted =
    e.PLAYGROUND === 'on' ||
    (e.PLAYGROUND === 'auto' && !(e.LINE_CHANNEL_SECRET && e.LINE_CHANNEL_ACCESS_TOKEN));
  // The playground writes as any resident: on a bind other machines can reach, only when asked for.
  const playgroundBindOk = isLoopbackHost(e.HOST) || e.PLAYGROUND_ALLOW_NETWORK;
  const playground = playgroundWanted && playgroundBindOk;
  const storage: StorageSettings = e.MONGODB_URI
    ? { kind: 'mongo', uri: e.MONGODB_URI, dbName: e.MONGODB_DB }
    : { kind: 'embedded', dataDir: path.resolve(e.DATA_DIR), synchronous: e.DATA_SYNC };
  // The playground's panes read what its sender holds in memory: the engine must share their thread.
  const threadable = !playground && storeSharedBetweenThreads(storage);
  if (e.PROCESSING === 'thread' && !threadable)
    throw new ConfigError([
      playground
        ? 'PROCESSING=thread: the playground is on, and it needs the engine on its own thread (set PLAYGROUND=off or PROCESSING=inline)'
        : 'PROCESSING=thread: this store cannot be opened by two threads at once (set PROCESSING=inline)',
    ]);

  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    webhookBodyLimit: e.WEBHOOK_BODY_LIMIT,
    line:
      e.LINE_CHANNEL_SECRET && e.LINE_CHANNEL_ACCESS_TOKEN
        ? {
            channelSecret: e.LINE_CHANNEL_SECRET,
            channelAccessToken: e.LINE_CHANNEL_ACCESS_TOKEN,
            apiBaseUrl: e.LINE_API_BASE_URL,
            dataApiBaseUrl: e.LINE_DATA_API_BASE_URL,
          }
        : undefined,
    slack:
      e.SLACK_SIGNING_SECRET && e.SLACK_BOT_TOKEN
        ? {
            signingSecret: e.SLACK_SIGNING_SECRET,
            botToken: e.SLACK_BOT_TOKEN,
            apiUrl: e.SLACK_API_URL,
            handoffChannel: e.SLACK_HANDOFF_CHANNEL,
          }
        : undefined,
    storage,
    municipalityConfigPath: path.resolve(e.MUNICIPALITY_CONFIG),
    riskSecondOpinion:
      e.RISK_SECOND_OPINION_URL && e.RISK_SECOND_OPINION_MODEL
        ? {
            baseUrl: e.RISK_SECOND_OPINION_URL,
            model: e.RISK_SECOND_OPINION_MODEL,
            apiKey: e.RISK_SECOND_OPINION_API_KEY,
            timeoutMs: e.RISK_SECOND_OPINION_TIMEOUT_MS,
          }
        : undefined,
    playground,
    playgroundRefusedOnHost: playgroundWanted && !playgroundBindOk,
    deadlines: {
      profileLookupMs: e.LINE_PROFILE_TIMEOUT_MS,
      apiCallMs: e.API_TIMEOUT_MS,
      outboxSendMs: e.OUTBOX_SEND_TIMEOUT_MS,
    },
    processing: e.PROCESSING === 'inline' || !threadable ? 'inline' : 'thread',
    processingPriority: e.PROCESSING_PRIORITY,
  };
}
