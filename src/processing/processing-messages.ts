import type { Config } from '../config.js';
import type { MetricsSnapshot } from '../metrics.js';
import type { QueueName } from '../service.js';

/**
 * What the HTTP thread (the edge) and the processing thread say to each other. Both ends are this
 * program, started together from the same build, so the shapes are shared types, not a wire format.
 */
export interface ProcessingWorkerData {
  config: Config;
  /** The process's instance id: leases taken by the processing thread carry it. */
  instanceId: string;
}

export type ToProcessor =
  /** Work was just stored for these keys. */
  | { type: 'wake'; queue: QueueName; keys: string[] }
  /** Send your counts for /metrics, tagged with `id`. */
  | { type: 'metrics'; id: number }
  /** Finish the work in hand, close the store, and say `stopped`. */
  | { type: 'stop' };

export type FromProcessor =
  | { type: 'ready' }
  | { type: 'metrics'; id: number; snapshot: MetricsSnapshot }
  | { type: 'stopped' }
  /** Starting failed (a config file, the store): the message says why. */
  | { type: 'failed'; message: string };
