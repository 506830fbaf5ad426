import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { MetricsSnapshot } from '../metrics.js';
import type { QueueName } from '../service.js';
import type { FromProcessor, ProcessingWorkerData, ToProcessor } from './processing-messages.js';

/**
 * The processing thread's young generation, in MB (V8 makes it three times one semi-space: two
 * 2 MB semi-spaces and their large objects). Left to itself, V8 grows it to 48 MB while the thread
 * loads the dictionaries and models, and Node 20 keeps that for good (holdYoungGeneration). Measured
 * at 10,000 residents on Node 20: RSS 340 MB before, 295 MB with both threads held small.
 */
const YOUNG_GENERATION_MB = 6;
const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };

/**
 * From the build, the worker is the .js beside this file. From source (tests, `tsx`), it is the .ts,
 * and a worker thread does not inherit the TypeScript loader: it registers tsx's first.
 */
function startWorker(workerData: ProcessingWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./processing-worker.js', import.meta.url), { workerData, resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./processing-worker.ts', import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true, workerData, resourceLimits },
  );
}

/** Longer than a store that is slow to open; a thread that never says ready is a failed start. */
const START_TIMEOUT_MS = 60_000;
/** A scrape does not wait longer than this for the processing thread's counts. */
const METRICS_TIMEOUT_MS = 2_000;

/**
 * The HTTP thread's handle on the processing thread (processing-worker.ts): starts it, wakes it when
 * events or messages are stored, reads its counts for /metrics and stops it. If the thread dies on
 * its own, `onExit` is told: the process should exit and be restarted, since the work is durable.
 */
export class ProcessingThread {
  private nextMetricsId = 1;
  private readonly waitingMetrics = new Map<number, (snapshot: MetricsSnapshot) => void>();
  private stopping = false;

  private constructor(
    private readonly worker: Worker,
    private readonly logger: Logger,
  ) {
    worker.on('message', (message: FromProcessor) => {
      if (message.type !== 'metrics') return;
      this.waitingMetrics.get(message.id)?.(message.snapshot);
      this.waitingMetrics.delete(message.id);
    });
  }

  static async start(options: {
    config: Config;
    instanceId: string;
    logger: Logger;
    /** The thread ended without being asked to (a crash): called with its exit code. */
    onExit: (code: number) => void;
  }): Promise<ProcessingThread> {
    const workerData: ProcessingWorkerData = { config: options.config, instanceId: options.instanceId };
    const worker = startWorker(workerData);
    const thread = new ProcessingThread(worker, options.logger);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`the processing thread did not start within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
      const settle = (error?: Error) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onEarlyExit);
        if (error) reject(error);
        else resolve();
      };
      const onMessage = (message: FromProcessor) => {
        if (message.type === 'ready') settle();
        if (message.type === 'failed') {
          void worker.terminate();
          settle(new Error(`the processing thread could not start: ${message.message}`));
        }
      };
      const onError = (error: Error) => settle(error);
      const onEarlyExit = (code: number) =>
        settle(new Error(`the processing thread exited with ${code} while starting`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onEarlyExit);
    });
    worker.on('error', (err) => options.logger.error({ err }, 'the processing thread failed'));
    worker.on('exit', (code) => {
      if (!thread.stopping) options.onExit(code);
    });
    return thread;
  }

  wake(queue: QueueName, keys: string[]): void {
    this.post({ type: 'wake', queue, keys });
  }

  /** The thread's counts; none if it does not answer in time (a scrape never hangs on it). */
  metrics(): Promise<MetricsSnapshot> {
    const id = this.nextMetricsId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waitingMetrics.delete(id);
        this.logger.warn('the processing thread did not send its counts in time');
        resolve([]);
      }, METRICS_TIMEOUT_MS);
      this.waitingMetrics.set(id, (snapshot) => {
        clearTimeout(timer);
        resolve(snapshot);
      });
      this.post({ type: 'metrics', id });
    });
  }

  /** Lets the work in hand finish (up to `graceMs`), then ends the thread. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const stopped = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      this.worker.on('message', (message: FromProcessor) => {
        if (message.type !== 'stopped') return;
        clearTimeout(timer);
        resolve(true);
      });
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    this.post({ type: 'stop' });
    if (!(await stopped)) this.logger.error('the processing thread did not stop in time; ending it');
    await this.worker.terminate();
  }

  private post(message: ToProcessor): void {
    this.worker.postMessage(message);
  }
}
