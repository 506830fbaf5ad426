import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { LocalSender } from '../../../src/channels/local/local-sender.js';
import { createPlaygroundRouter } from '../../../src/channels/local/playground-router.js';
import { loadConfig, projectRoot } from '../../../src/config.js';
import { CaseActions } from '../../../src/core/cases/case-actions.js';
import { CaseAudit } from '../../../src/core/cases/case-audit.js';
import { CaseDesk } from '../../../src/core/cases/case-desk.js';
import { EscalationTimers } from '../../../src/core/cases/escalation-timers.js';
import { StaffHandoff } from '../../../src/core/cases/staff-handoff.js';
import type { ChannelSender } from '../../../src/core/channel-sender.js';
import { createConversationHandler } from '../../../src/core/conversation/conversation-engine.js';
import { InboxQueue } from '../../../src/core/inbox-queue.js';
import type { ChannelName } from '../../../src/core/incoming-event.js';
import { createIngest } from '../../../src/core/ingest-events.js';
import { KeyedQueueRunner } from '../../../src/core/keyed-queue-runner.js';
import { Outbox } from '../../../src/core/outbox.js';
import { OutboxQueue } from '../../../src/core/outbox-queue.js';
import type { Store } from '../../../src/core/store.js';
import { withWorkingIndicator } from '../../../src/core/working-indicator.js';
import { loadConversationContent } from '../../../src/load-conversation-content.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { silentLogger } from '../../support/silent-logger.js';

const DAY_MS = 86_400_000;
const content = loadConversationContent(projectRoot, loadConfig({}).municipalityConfigPath);

export interface PlaygroundApp {
  app: Express;
  sender: LocalSender;
  store: Store;
  escalation: EscalationTimers;
  /** Runs the queues until nothing is due: what a resident or staff member would wait for. */
  settle(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The core wired as src/service.ts wires it, with the 'local' channel serving both residents and
 * staff, and the playground router mounted: the real engine, routing, cases, outbox and store.
 */
export async function createPlaygroundApp(
  options: { now?: () => Date; pollIntervalMs?: number } = {},
): Promise<PlaygroundApp> {
  const now = options.now ?? (() => new Date());
  const logger = silentLogger;
  const { translator, municipality, flows, classifier, commands, locales } = content;
  const store = await openEmbeddedStore({ inMemory: true });
  const sender = new LocalSender();
  const senders = new Map<ChannelName, ChannelSender>([['local', sender]]);
  const owner = randomUUID();
  const pollIntervalMs = options.pollIntervalMs ?? 60 * 60 * 1000;

  let caseActions: CaseActions | undefined;
  const outboxRunner: KeyedQueueRunner = new KeyedQueueRunner({
    queue: new OutboxQueue({
      outbox: store.outbox,
      contacts: store.contacts,
      senders,
      logger,
      hashId: (id) => id,
      now,
      onOutcome: (item, outcome) => {
        if (outcome.kind !== 'retry') void caseActions?.delivered(item, outcome);
      },
    }),
    leases: store.leases,
    owner,
    logger,
    now,
    pollIntervalMs,
  });
  const outbox = new Outbox(store.outbox, now, undefined, (key) => outboxRunner.kick([key]));
  const audit = new CaseAudit(store.audit, municipality.retention.auditYears, now);
  const escalation = new EscalationTimers(
    store.timers,
    store.cases,
    municipality,
    outbox,
    'local',
    audit,
    logger,
    now,
  );
  const handoff = new StaffHandoff(outbox, 'local', escalation);
  caseActions = new CaseActions(
    store.cases,
    outbox,
    'local',
    escalation,
    audit,
    municipality,
    translator,
    now,
  );
  const desk = new CaseDesk(store.cases, audit, municipality, handoff, now);
  const handle = withWorkingIndicator(
    createConversationHandler({
      flows,
      translator,
      classifier,
      commands,
      config: municipality,
      sessions: store.sessions,
      contacts: store.contacts,
      outboxRepository: store.outbox,
      outbox,
      desk,
      handoff,
      settings: { resumeAfterMs: 30 * 60_000, sessionTtlMs: 30 * DAY_MS },
      logger,
      now,
    }),
    senders,
  );
  const inboxRunner: KeyedQueueRunner = new KeyedQueueRunner({
    queue: new InboxQueue({ inbox: store.inbox, handle, logger, hashId: (id) => id, now }),
    leases: store.leases,
    owner,
    logger,
    now,
    pollIntervalMs,
  });
  const ingest = createIngest({
    inbox: store.inbox,
    retentionMs: 7 * DAY_MS,
    now,
    onStored: (keys) => inboxRunner.kick(keys),
  });

  const app = express();
  app.use(
    createPlaygroundRouter({
      ingest: async (events) => {
        await ingest(events);
      },
      sender,
      actions: caseActions,
      cases: store.cases,
      config: municipality,
      translator,
      locales,
      logger,
      now,
    }),
  );

  return {
    app,
    sender,
    store,
    escalation,
    async settle() {
      for (let i = 0; i < 10; i++) {
        await inboxRunner.drain();
        await outboxRunner.drain();
        const due = await store.inbox.dueKeys(now(), 1);
        const sending = await store.outbox.dueAddresses(now(), 1);
        if (due.length === 0 && sending.length === 0) return;
      }
    },
    start() {
      inboxRunner.start();
      outboxRunner.start();
    },
    async stop() {
      await inboxRunner.stop();
      await outboxRunner.stop();
      await store.close();
    },
  };
}
