import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createService, type Service } from '../service.js';
import { ProcessingThread } from './processing-thread.js';
import { letYoungGenerationGrow, releaseStartMemory } from './release-start-memory.js';

export interface RunningService {
  service: Service;
  /** Stops the processing thread (if any, within `graceMs`), then this thread's service. */
  stop(graceMs: number): Promise<void>;
}

/**
 * The service as the process runs it: on one thread (PROCESSING=inline), or as an edge on this
 * thread that verifies, stores and acknowledges, with the conversations worked out on a processing
 * thread (PROCESSING=thread). `onProcessingExit` hears of a processing thread that ended on its own.
 */
export async function startService(options: {
  config: Config;
  logger: Logger;
  onProcessingExit: (code: number) => void;
}): Promise<RunningService> {
  const { config, logger } = options;
  const instanceId = randomUUID();
  const threaded = config.processing === 'thread';
  let processing: ProcessingThread | undefined;
  const service = await createService({
    config,
    logger,
    instanceId,
    role: threaded ? 'edge' : 'all',
    ...(threaded && {
      wakeProcessor: (queue, keys) => processing?.wake(queue, keys),
      processorMetrics: async () => (processing ? processing.metrics() : []),
    }),
  });
  if (threaded) {
    // Started once this thread's store is open, so the two never set up the same files at once.
    processing = await ProcessingThread.start({
      config,
      instanceId,
      logger,
      onExit: options.onProcessingExit,
    });
    logger.info('conversations are handled on a processing thread');
  }
  letYoungGenerationGrow();
  releaseStartMemory();
  service.start();
  return {
    service,
    async stop(graceMs) {
      await processing?.stop(graceMs);
      await service.stop();
    },
  };
}
