import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { createLineLanguageLookup } from './channels/line/line-language-lookup.js';
import { createLineMediaFetcher } from './channels/line/line-media-fetcher.js';
import { LINE_TEXT_LIMIT } from './channels/line/line-message-renderer.js';
import { LineSender } from './channels/line/line-sender.js';
import { createLineWebhookRouter } from './channels/line/line-webhook-router.js';
import { createRichMenuLinker } from './channels/line/rich-menu/line-rich-menu-linker.js';
import { LocalSender } from './channels/local/local-sender.js';
import { createPlaygroundRouter } from './channels/local/playground-router.js';
import { PracticeClock } from './channels/local/practice-clock.js';
import { StaffText } from './channels/slack/staff-text.js';
import { type Config, projectRoot } from './config.js';
import { CaseActions } from './core/cases/case-actions.js';
import { CaseAudit } from './core/cases/case-audit.js';
import { CaseDesk } from './core/cases/case-desk.js';
import { EscalationTimers } from './core/cases/escalation-timers.js';
import { HandoverDesk } from './core/cases/handover-desk.js';
import { StaffHandoff } from './core/cases/staff-handoff.js';
import { CodedError } from './core/coded-error.js';
import { createConversationHandler, type LanguageLookup } from './core/conversation/conversation-engine.js';
import { type EventHandler, InboxQueue } from './core/inbox-queue.js';
import { createIngest } from './core/ingest-events.js';
import { KeyedQueueRunner } from './core/keyed-queue-runner.js';
import { Outbox } from './core/outbox.js';
import { OutboxQueue } from './core/outbox-queue.js';
import type { ChannelSender } from './core/ports/channel-sender.js';
import { createLoggingHandoffListener, type HandoffListener } from './core/ports/handoff-listener.js';
import type { ChannelName } from './core/ports/incoming-event.js';
import type { Store } from './core/ports/store.js';
import { ResidentTraces } from './core/resident-traces.js';
import { RetentionSweep } from './core/retention/retention-sweep.js';
import { createRiskAssessor } from './core/understanding/assess-risk.js';
import { WatchConversation } from './core/watch/watch-conversation.js';
import { WatchDesk } from './core/watch/watch-desk.js';
import { withWorkingIndicator } from './core/working-indicator.js';
import { createHttpApp, webhookMetrics } from './http/create-http-app.js';
import { loadConversationContent, loadUnderstandingContent } from './load-conversation-content.js';
import { createIdHasher, type Logger } from './logger.js';
import { createMetrics, type Metrics, type MetricsSnapshot } from './metrics.js';
import { openStore } from './store/open-store.js';
import { createOpenAiCompatibleSecondOpinion } from './understanding/openai-compatible-second-opinion.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Escalations are minutes apart; checking twice a minute is plenty. */
const ESCALATION_POLL_MS = 30_000;
/** Retention is counted in days: an hourly sweep keeps every limit within the hour. */
const RETENTION_SWEEP_MS = 60 * 60_000;

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  /** An already open store (tests share one between "instances"); otherwise opened from config. */
  store?: Store;
  now?: () => Date;
  /** Identifies this instance in leases. */
  instanceId?: string;
  pollIntervalMs?: number;
  /** Where locales/, flows/ and the lexicons are read from (the repository root by default). */
  rootDir?: string;
  /**
   * `all` (the default): everything on this thread. With a processing thread (PROCESSING=thread) the
   * HTTP thread is the `edge` (webhooks, Slack, health: it stores work and wakes the other) and the
   * worker thread is the `processor` (the inbox and outbox queues, the engine, the timers).
   */
  role?: ServiceRole;
  /** The edge's way of telling the processor that work was just stored for these keys. */
  wakeProcessor?: (queue: QueueName, keys: string[]) => void;
  /** The edge's way of reading the processor's counts for /metrics. */
  processorMetrics?: () => Promise<MetricsSnapshot>;
  /**
   * The processor's store could not commit and has stopped (turn-commit.ts): the thread must end,
   * as a crash would, so that the process is restarted and the work is redone from what is stored.
   */
  onStoreFailure?: (error: Error) => void;
}

export type ServiceRole = 'all' | 'edge' | 'processor';
export type QueueName = 'inbox' | 'outbox';

export interface Service {
  app: Express;
  store: Store;
  metrics: Metrics;
  inbox: KeyedQueueRunner;
  outbox: KeyedQueueRunner;
  /** Staff-side actions, when a staff channel is on. */
  caseActions: CaseActions | undefined;
  escalation: EscalationTimers | undefined;
  /** 見守り, when a staff channel is on. */
  watch: WatchDesk | undefined;
  /** The playground's skip-ahead clock (a playground without LINE only). */
  practiceClock: PracticeClock | undefined;
  /** Starts the background workers; stored work from before a restart is picked up here. */
  start(): void;
  /** Work was just stored for these keys (by the edge, for a processor): handle it now. */
  kick(queue: QueueName, keys: string[]): void;
  /** Stops accepting, lets in-flight work finish, and closes the store if this service opened it. */
  stop(): Promise<void>;
}

/** The edge's inbox never runs (its processing thread handles the events); a call is a bug. */
const handledOnTheProcessingThread: EventHandler = async () => {
  throw new CodedError('WRONG_THREAD', 'permanent', 'events are handled on the processing thread');
};

/** Wires the core to its adapters. The only place that knows every part. */
export async function createService(options: ServiceOptions): Promise<Service> {
  const { config, logger } = options;
  // A playground without LINE may move its clock on to practise 見守り; nothing else ever does.
  const practiceClock =
    config.playground && !config.line ? new PracticeClock(options.now ?? (() => new Date())) : undefined;
  const now = practiceClock ? () => practiceClock.now() : (options.now ?? (() => new Date()));
  const instanceId = options.instanceId ?? randomUUID();
  const role = options.role ?? 'all';
  const hashId = createIdHasher(config.line?.channelSecret);
  const rootDir = options.rootDir ?? projectRoot;
  const { translator, municipality, flows, commands, locales } = loadConversationContent(
    rootDir,
    config.municipalityConfigPath,
  );
  const ownsStore = !options.store;
  const store =
    options.store ??
    (await openStore(config.storage, role === 'all' ? undefined : role, (err) => {
      logger.fatal({ err }, 'the store could not commit; stopping');
      options.onStoreFailure?.(err);
    }));
  const metrics = createMetrics(store);
  let accepting = false;
  let escalationTimer: NodeJS.Timeout | undefined;
  let watchTimer: NodeJS.Timeout | undefined;
  let retentionTimer: NodeJS.Timeout | undefined;

  const senders = new Map<ChannelName, ChannelSender>();
  if (config.line) {
    senders.set(
      'line',
      new LineSender({
        ...config.line,
        timeoutMs: config.deadlines.apiCallMs,
        logger: logger.child({ component: 'line-sender' }),
      }),
    );
  }
  // The playground is a channel like the others: residents and staff both talk through it.
  const localSender = config.playground ? new LocalSender() : undefined;
  if (localSender) senders.set('local', localSender);
  const staffText = new StaffText(translator, municipality);
  const slackLogger = logger.child({ component: 'slack' });
  const slack = config.slack ? await import('./channels/slack/slack-channel.js') : undefined;
  const slackClient =
    config.slack && slack
      ? slack.createSlackWebClient({
          botToken: config.slack.botToken,
          apiUrl: config.slack.apiUrl,
          timeoutMs: config.deadlines.apiCallMs,
          logger: slackLogger,
        })
      : undefined;
  if (config.slack && slack && slackClient) {
    senders.set(
      'slack',
      new slack.SlackSender({
        client: slackClient,
        cases: store.cases,
        config: municipality,
        fallbackChannel: config.slack.handoffChannel,
        text: staffText,
        logger: slackLogger,
        // Built below, once the outbox exists; only called when a sheet's notice is delivered.
        handover: { build: (...args) => requireHandover().build(...args) },
        ...(config.line
          ? {
              fetchMedia: createLineMediaFetcher({
                ...config.line,
                timeoutMs: config.deadlines.apiCallMs,
                logger: slackLogger,
              }),
            }
          : {}),
      }),
    );
  }

  const outboxRunner: KeyedQueueRunner = new KeyedQueueRunner({
    queue: new OutboxQueue({
      outbox: store.outbox,
      contacts: store.contacts,
      flush: () => store.flush(),
      senders,
      logger,
      hashId,
      now,
      sendTimeoutMs: config.deadlines.outboxSendMs,
      // Delivered messages quote residents: they go after the same time as the events they answer.
      keepDoneMs: municipality.retention.inboxDays * DAY_MS,
      onRedacted: () => store.compact(),
      onOutcome: (item, outcome) => {
        metrics.outboxOutcomes.inc({ channel: item.channel, outcome: outcome.kind });
        if (outcome.kind !== 'retry') {
          caseActions?.delivered(item, outcome).catch((err) => logger.error({ err }, 'delivery mark failed'));
        }
      },
    }),
    leases: store.leases,
    owner: instanceId,
    logger,
    now,
    pollIntervalMs: options.pollIntervalMs,
  });
  /** New work for these keys: handled here, or handed to the processing thread. */
  const wake = (queue: QueueName, keys: Iterable<string>) => {
    if (role === 'edge') options.wakeProcessor?.(queue, [...keys]);
    else (queue === 'inbox' ? inboxRunner : outboxRunner).kick(keys);
  };
  const outbox = new Outbox(store.outbox, now, undefined, (key) => wake('outbox', [key]));

  const audit = new CaseAudit(store.audit, municipality.retention.auditYears, now);
  // Cases go to people through a staff channel when there is one; otherwise they are stored and logged.
  const staffChannel: ChannelName | undefined = senders.has('slack')
    ? 'slack'
    : localSender
      ? 'local'
      : undefined;
  const escalation = staffChannel
    ? new EscalationTimers(store.timers, store.cases, municipality, outbox, staffChannel, audit, logger, now)
    : undefined;
  const handoff: HandoffListener =
    staffChannel && escalation
      ? new StaffHandoff(outbox, staffChannel, escalation)
      : createLoggingHandoffListener(logger);
  const caseActions =
    staffChannel && escalation
      ? new CaseActions(
          store.cases,
          outbox,
          staffChannel,
          escalation,
          audit,
          municipality,
          translator,
          now,
          (record) =>
            metrics.timeToAccept.observe(
              { urgent: String(record.urgent) },
              ((record.acceptedAt ?? now()).getTime() - record.createdAt.getTime()) / 1000,
            ),
          // Staff replies are refused up front when LINE would refuse them later (README: handoff).
          LINE_TEXT_LIMIT,
        )
      : undefined;
  const handover = staffChannel
    ? new HandoverDesk({
        cases: store.cases,
        auditLog: store.audit,
        audit,
        outbox,
        staffChannel,
        config: municipality,
        t: translator.forLanguage('ja'),
        translator,
        now,
      })
    : undefined;
  function requireHandover(): HandoverDesk {
    if (!handover) throw new Error('handover sheets need a staff channel');
    return handover;
  }
  const desk = new CaseDesk(store.cases, audit, municipality, handoff, now, hashId);
  const watch =
    staffChannel && escalation
      ? new WatchDesk({
          watches: store.watch,
          timers: store.timers,
          cases: store.cases,
          sessions: store.sessions,
          outbox,
          staffChannel,
          audit,
          desk,
          handoff,
          escalation,
          config: municipality,
          translator,
          logger: logger.child({ component: 'watch' }),
          now,
        })
      : undefined;
  /** Runs every due 見守り step, and the steps those make due (a restart or a skipped-ahead clock). */
  const runWatch = async () => {
    if (!watch) return;
    for (let round = 0; round < 1000 && (await watch.fireDue()) > 0; round++);
  };
  const traces = new ResidentTraces({
    inbox: store.inbox,
    outbox: store.outbox,
    cases: store.cases,
    keepMs: municipality.retention.inboxDays * DAY_MS,
    now,
  });
  const lookupLanguage: LanguageLookup | undefined = config.line
    ? createLineLanguageLookup({
        ...config.line,
        timeoutMs: config.deadlines.profileLookupMs,
        logger: logger.child({ component: 'line-profile' }),
      })
    : undefined;
  const linkRichMenu = config.line
    ? createRichMenuLinker({
        channelAccessToken: config.line.channelAccessToken,
        apiBaseUrl: config.line.apiBaseUrl,
        timeoutMs: config.deadlines.apiCallMs,
        logger,
      })
    : undefined;
  // The edge never works a conversation out: the dictionaries and models (over 100 MB) are loaded
  // by the thread that does.
  const converse = (): EventHandler => {
    const { classifier, riskModel } = loadUnderstandingContent(rootDir);
    return withWorkingIndicator(
      createConversationHandler({
        flows,
        translator,
        classifier,
        risk: createRiskAssessor({
          classifier,
          model: riskModel,
          secondOpinion:
            config.riskSecondOpinion && createOpenAiCompatibleSecondOpinion(config.riskSecondOpinion),
          secondOpinionBudgetMs: config.riskSecondOpinion?.timeoutMs,
          logger: logger.child({ component: 'risk-second-opinion' }),
        }),
        commands,
        config: municipality,
        sessions: store.sessions,
        contacts: store.contacts,
        outboxRepository: store.outbox,
        outbox,
        desk,
        handoff,
        lookupLanguage,
        eraseTraces: async (event, residentKey) => {
          await traces.erase(event, residentKey);
          await watch?.eraseResident(residentKey);
          await watch?.forgetWatcher(residentKey);
        },
        watch: watch && new WatchConversation(watch, municipality, now),
        handover,
        settings: { resumeAfterMs: 30 * 60_000, sessionTtlMs: 30 * DAY_MS },
        logger,
        now,
        onCrisis: (categories) => {
          for (const category of categories.length > 0 ? categories : ['unspecified'])
            metrics.crisisDetections.inc({ category });
        },
        // LINE: the rich menu follows the resident's language (npm run line:rich-menu makes the menus).
        onLanguage: async (event, language) => {
          if (event.channel === 'line' && linkRichMenu) await linkRichMenu(event.address, language);
        },
      }),
      senders,
    );
  };
  const handle: EventHandler = role === 'edge' ? handledOnTheProcessingThread : converse();
  const inboxRunner: KeyedQueueRunner = new KeyedQueueRunner({
    queue: new InboxQueue({
      inbox: store.inbox,
      handle,
      logger,
      hashId,
      now,
      onParked: () => metrics.inboxParked.inc(),
      onProcessed: (record) =>
        metrics.inboxLag.observe((now().getTime() - record.receivedAt.getTime()) / 1000),
    }),
    leases: store.leases,
    owner: instanceId,
    logger,
    now,
    pollIntervalMs: options.pollIntervalMs,
  });
  const retention = new RetentionSweep({
    cases: store.cases,
    audit: store.audit,
    config: municipality,
    log: logger.child({ component: 'retention' }),
    onConversationRemoved: async (record) => {
      if (!staffChannel) return;
      const note = { type: 'erased' as const, reason: 'retention' as const };
      await outbox.notify(staffChannel, { kind: 'thread', caseId: record.id, note }, `expired:${record.id}`);
    },
  });
  const ingest = createIngest({
    inbox: store.inbox,
    retentionMs: municipality.retention.inboxDays * DAY_MS,
    now,
    onStored: (keys) => wake('inbox', keys),
  });

  const processorMetrics = options.processorMetrics;
  const app = createHttpApp({
    logger,
    store,
    metrics,
    isAccepting: () => accepting,
    ...(processorMetrics && { otherMetrics: async () => [await processorMetrics()] }),
    describe: () => ({
      playground: config.playground ? 'on' : 'off',
      channels: { line: config.line ? 'on' : 'off', slack: config.slack ? 'on' : 'off' },
      store: store.kind,
    }),
    mountWebhooks: (http) => {
      if (role === 'processor' || !config.line) return;
      http.use('/webhooks/line', webhookMetrics(metrics, 'line'));
      http.use(
        createLineWebhookRouter({
          channelSecret: config.line.channelSecret,
          bodyLimit: config.webhookBodyLimit,
          logger: logger.child({ component: 'line-webhook' }),
          ingest: async (events) => {
            await ingest(events);
          },
        }),
      );
    },
    mountChannels: (http) => {
      // A processor serves no requests: its edge, on the other thread, does.
      if (role === 'processor') return;
      // Bolt reads its own raw body to check Slack's signature: nothing parses bodies before it.
      if (config.slack && slack && slackClient && caseActions) {
        http.use('/slack/events', webhookMetrics(metrics, 'slack'));
        slack.mountSlackApp({
          app: http,
          signingSecret: config.slack.signingSecret,
          botToken: config.slack.botToken,
          apiUrl: config.slack.apiUrl,
          timeoutMs: config.deadlines.apiCallMs,
          actions: caseActions,
          cases: store.cases,
          seen: store.seen,
          config: municipality,
          authorizer: new slack.SlackStaffAuthorizer({
            client: slackClient,
            config: municipality,
            fallbackChannel: config.slack.handoffChannel,
            logger: slackLogger,
            now,
          }),
          text: staffText,
          logger: slackLogger,
          now,
          audit,
          handover,
          watch,
        });
      }
      if (localSender && caseActions) {
        http.use(
          createPlaygroundRouter({
            ingest: async (events) => {
              await ingest(events);
            },
            sender: localSender,
            actions: caseActions,
            cases: store.cases,
            config: municipality,
            translator,
            handover,
            locales,
            logger: logger.child({ component: 'playground' }),
            now,
            watch: watch && {
              watch,
              clock: practiceClock,
              runDue: async () => {
                await runWatch();
                await escalation?.fireDue();
                await outboxRunner.drain();
              },
            },
          }),
        );
      }
    },
  });

  return {
    app,
    store,
    metrics,
    inbox: inboxRunner,
    outbox: outboxRunner,
    caseActions,
    escalation,
    watch,
    practiceClock,
    kick: wake,
    start() {
      accepting = true;
      // The edge only stores and wakes: the queues, the engine and the timers run on the processor.
      if (role === 'edge') return;
      inboxRunner.start();
      outboxRunner.start();
      const sweep = () => {
        retention.run(now()).catch((err) => logger.error({ err }, 'retention sweep failed; will try again'));
        // The embedded store has no TTL index and MongoDB's may lag: expired queue records are deleted here.
        Promise.all([
          store.inbox.removeExpired(now()),
          store.outbox.removeExpired(now()),
          store.watch.removeExpired(now()),
        ])
          .then(([inbox, outbox, checkIns]) =>
            logger.debug({ inbox, outbox, checkIns }, 'expired queue records removed'),
          )
          .catch((err) =>
            logger.error({ err }, 'expired queue records could not be removed; will try again'),
          );
      };
      sweep();
      retentionTimer = setInterval(sweep, RETENTION_SWEEP_MS);
      retentionTimer.unref();
      if (escalation) {
        escalationTimer = setInterval(() => {
          escalation.fireDue().catch((err) => logger.error({ err }, 'escalation timers could not run'));
        }, ESCALATION_POLL_MS);
        escalationTimer.unref();
      }
      if (watch) {
        // A check-in due while the service was down goes out now, once, if still within its window.
        const poll = () =>
          runWatch().catch((err) => logger.error({ err }, '見守り timers could not run; will try again'));
        poll();
        watchTimer = setInterval(poll, ESCALATION_POLL_MS);
        watchTimer.unref();
      }
    },
    async stop() {
      accepting = false;
      clearInterval(escalationTimer);
      clearInterval(watchTimer);
      clearInterval(retentionTimer);
      await inboxRunner.stop();
      // Messages the inbox just produced get one chance to go out; whatever is left stays durable.
      await outboxRunner.stop();
      if (ownsStore) await store.close();
    },
  };
}
