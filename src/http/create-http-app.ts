import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Store } from '../core/ports/store.js';
import type { Logger } from '../logger.js';
import { combinedMetrics, type Metrics, type MetricsSnapshot } from '../metrics.js';

export interface HttpAppOptions {
  logger: Logger;
  store: Store;
  metrics: Metrics;
  /** false while starting or shutting down: /readyz answers 503 so load balancers stop sending. */
  isAccepting: () => boolean;
  /** Mounts the channel routes (Slack, the playground); they read their own raw bodies. */
  mountChannels: (app: Express) => void;
  /**
   * Mounts the platform webhooks that log their own outcomes (every refusal and failure, with its
   * reason), ahead of the request logger: at hundreds a second, a request logger's per-request
   * child logger was a tenth of the acknowledging thread's work, for a line that is only written
   * at debug level.
   */
  mountWebhooks?: (app: Express) => void;
  describe: () => Record<string, unknown>;
  /** Counts kept elsewhere (the processing thread's), added to this registry's at each scrape. */
  otherMetrics?: () => Promise<MetricsSnapshot[]>;
}

/** Counts webhook requests and their latency by channel. */
export function webhookMetrics(metrics: Metrics, channel: string): RequestHandler {
  return (_req, res, next) => {
    const stop = metrics.webhookDuration.startTimer({ channel });
    res.on('finish', () => {
      stop();
      metrics.webhookRequests.inc({ channel, status: String(res.statusCode) });
    });
    next();
  };
}

export function createHttpApp(options: HttpAppOptions): Express {
  const httpLog = options.logger.child({ component: 'http' });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  options.mountWebhooks?.(app);
  app.use(
    pinoHttp({
      logger: httpLog,
      // Bodies and query strings can carry personal data; log the route and outcome only.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug',
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (!options.isAccepting()) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    try {
      await options.store.ping();
      res.json({ status: 'ready', store: options.store.kind });
    } catch {
      res.status(503).json({ status: 'store_unreachable', store: options.store.kind });
    }
  });
  app.get('/metrics', async (_req, res) => {
    const others = options.otherMetrics ? await options.otherMetrics() : [];
    res.type(options.metrics.registry.contentType).send(await combinedMetrics(options.metrics, others));
  });

  options.mountChannels(app);

  app.get('/', (_req, res) => {
    res.json({ service: 'madoguchi', ...options.describe() });
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    // A webhook mounted ahead of the request logger has no req.log.
    (req.log ?? httpLog).error({ err }, 'unhandled request error');
    if (res.headersSent) return;
    const status =
      typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    res.status(status).json({ error: status === 500 ? 'internal_error' : (err.type ?? 'bad_request') });
  };
  app.use(onError);
  return app;
}
