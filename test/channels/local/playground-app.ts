import type { Express } from 'express';
import { loadConfig } from '../../../src/config.js';
import type { EscalationTimers } from '../../../src/core/cases/escalation-timers.js';
import type { Store } from '../../../src/core/ports/store.js';
import { createService } from '../../../src/service.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { silentLogger } from '../../support/silent-logger.js';

export interface PlaygroundApp {
  app: Express;
  store: Store;
  escalation: EscalationTimers;
  /** Runs the queues until nothing is due: what a resident or staff member would wait for. */
  settle(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The real service with the playground on and no LINE or Slack: the 'local' channel serves both
 * residents and staff through the same engine, routing, cases, outbox and store.
 */
export async function createPlaygroundApp(
  options: { now?: () => Date; pollIntervalMs?: number } = {},
): Promise<PlaygroundApp> {
  const store = await openEmbeddedStore({ inMemory: true });
  const service = await createService({
    config: loadConfig({ PLAYGROUND: 'on' }),
    logger: silentLogger,
    store,
    ...(options.now ? { now: options.now } : {}),
    pollIntervalMs: options.pollIntervalMs ?? 60 * 60 * 1000,
  });
  if (!service.escalation) throw new Error('the playground should bring a staff channel');
  const escalation = service.escalation;
  return {
    app: service.app,
    store,
    escalation,
    async settle() {
      // A staff reply's delivery mark is queued by the outbox itself: two rounds reach it.
      for (let i = 0; i < 2; i++) {
        await service.inbox.drain();
        await service.outbox.drain();
      }
    },
    start: () => service.start(),
    async stop() {
      await service.stop();
      await store.close();
    },
  };
}
