import {
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from 'prom-client';
import type { Store } from './core/ports/store.js';

/** Prometheus metrics for one service instance. Store-wide gauges are read at scrape time. */
export function createMetrics(store: Store) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'madoguchi_' });

  const webhookRequests = new Counter({
    name: 'madoguchi_webhook_requests_total',
    help: 'Webhook requests by channel and HTTP status',
    labelNames: ['channel', 'status'] as const,
    registers: [registry],
  });
  const webhookDuration = new Histogram({
    name: 'madoguchi_webhook_duration_seconds',
    help: 'Time to verify, store and acknowledge a webhook request',
    labelNames: ['channel'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const inboxLag = new Histogram({
    name: 'madoguchi_inbox_lag_seconds',
    help: 'From receiving an event to finishing its handling',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
    registers: [registry],
  });
  const inboxParked = new Counter({
    name: 'madoguchi_inbox_parked_total',
    help: 'Events parked after repeated handling failures',
    registers: [registry],
  });
  const outboxOutcomes = new Counter({
    name: 'madoguchi_outbox_attempts_total',
    help: 'Delivery attempts by channel and outcome (sent, retry, dead)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const timeToAccept = new Histogram({
    name: 'madoguchi_case_time_to_accept_seconds',
    help: 'From a case being opened to a person accepting it',
    labelNames: ['urgent'] as const,
    buckets: [30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600, 72 * 3600],
    registers: [registry],
  });
  const crisisDetections = new Counter({
    name: 'madoguchi_crisis_detections_total',
    help: 'Messages that triggered the safety message, by category',
    labelNames: ['category'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'madoguchi_cases',
    help: 'Cases by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await store.cases.countByStatus();
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'madoguchi_inbox_events',
    help: 'Stored inbox events by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await store.inbox.countByStatus();
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'madoguchi_outbox_items',
    help: 'Stored outbox items by status (dead = dead letters)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await store.outbox.countByStatus();
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });

  return {
    registry,
    webhookRequests,
    webhookDuration,
    inboxLag,
    inboxParked,
    outboxOutcomes,
    timeToAccept,
    crisisDetections,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/** What the processing thread counts (the store-wide gauges and the process's figures come from the edge). */
const PROCESSOR_COUNTS = new Set([
  'madoguchi_inbox_lag_seconds',
  'madoguchi_inbox_parked_total',
  'madoguchi_outbox_attempts_total',
  'madoguchi_case_time_to_accept_seconds',
  'madoguchi_crisis_detections_total',
]);

/** A processing thread's own counts, to be added to the edge's at scrape time. */
export async function processorCounts(metrics: Metrics): Promise<MetricsSnapshot> {
  const all = (await metrics.registry.getMetricsAsJSON()) as MetricsSnapshot;
  return all.filter((metric) => PROCESSOR_COUNTS.has(metric.name));
}

/** The edge's metrics with the processing thread's counts added in (counters and histograms sum). */
export async function combinedMetrics(metrics: Metrics, others: MetricsSnapshot[]): Promise<string> {
  if (others.length === 0) return metrics.registry.metrics();
  const own = (await metrics.registry.getMetricsAsJSON()) as MetricsSnapshot;
  return AggregatorRegistry.aggregate([own, ...others]).metrics();
}
