import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logger.js';
import { processorCounts } from '../metrics.js';
import { createService } from '../service.js';
import type { FromProcessor, ProcessingWorkerData, ToProcessor } from './processing-messages.js';
import { lowerThisThreadPriority } from './processing-priority.js';
import { releaseStartMemory } from './release-start-memory.js';

/**
 * The processing thread (PROCESSING=thread): the inbox and outbox queues, the conversation engine and
 * the timers, on a store connection of its own. The HTTP thread stores events and wakes it; nothing
 * here serves requests. Started by processing-thread.ts.
 */
const port = parentPort;
if (!port) throw new Error('processing-worker.ts runs as a worker thread (see processing-thread.ts)');
const { config, instanceId } = workerData as ProcessingWorkerData;
const logger = createLogger(config.logLevel).child({ thread: 'processing' });
const say = (message: FromProcessor) => port.postMessage(message);

// The HTTP thread acknowledges webhooks; when the machine is short of CPU, it goes first.
const priority = await lowerThisThreadPriority(config.processingPriority);
if (priority.reason) logger.info({ priority }, 'the processing thread runs at another priority than asked');
else logger.debug({ priority }, 'processing thread priority set');

try {
  const service = await createService({
    config,
    logger,
    instanceId,
    role: 'processor',
    // Ends this thread; the HTTP thread hears of it and the process exits to be restarted.
    onStoreFailure: () => process.exit(1),
  });
  port.on('message', (message: ToProcessor) => {
    switch (message.type) {
      case 'wake':
        service.kick(message.queue, message.keys);
        return;
      case 'metrics':
        void processorCounts(service.metrics).then((snapshot) =>
          say({ type: 'metrics', id: message.id, snapshot }),
        );
        return;
      case 'stop':
        void service.stop().then(
          () => say({ type: 'stopped' }),
          (err: unknown) => {
            logger.error({ err }, 'the processing thread did not stop cleanly');
            say({ type: 'stopped' });
          },
        );
        return;
    }
  });
  releaseStartMemory();
  service.start();
  say({ type: 'ready' });
} catch (error) {
  say({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
