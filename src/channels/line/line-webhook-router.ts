import express, { type NextFunction, type Request, type Response } from 'express';
import type { IncomingEvent } from '../../core/ports/incoming-event.js';
import type { Logger } from '../../logger.js';
import { convertLineEvents } from './line-event-converter.js';
import { verifyLineSignature } from './verify-line-signature.js';

export interface LineWebhookRouterOptions {
  channelSecret: string;
  /** Largest accepted body, in body-parser's notation ("1mb"). */
  bodyLimit: string;
  logger: Logger;
  /** Persists the events (the core's inbox). The webhook is acknowledged only once this resolves. */
  ingest: (events: IncomingEvent[]) => Promise<void>;
}

const LINE_WEBHOOK_PATH = '/webhooks/line';

/**
 * `POST /webhooks/line`: reads the raw body, verifies the signature before anything looks at the
 * content, converts, hands the events to the core, and only then says 200. Any non-2xx makes LINE
 * redeliver (when redelivery is on), so 4xx is kept for bodies that can never succeed.
 */
export function createLineWebhookRouter(opts: LineWebhookRouterOptions): express.Router {
  const log = opts.logger.child({ channel: 'line', component: 'line-webhook' });
  const router = express.Router();

  router.post(
    LINE_WEBHOOK_PATH,
    // Every content type is read as bytes: the signature covers the exact bytes LINE sent.
    express.raw({ type: () => true, limit: opts.bodyLimit }),
    async (req: Request, res: Response) => {
      if (req.body !== undefined && !Buffer.isBuffer(req.body)) {
        // A parser mounted earlier (express.json) consumed the bytes the signature covers.
        log.error('LINE webhook body was parsed before this router: mount it before express.json()');
        answer(res, 500, { error: 'body_already_parsed' });
        return;
      }
      // No body at all (no Content-Length, no chunks) leaves req.body undefined.
      const body: Buffer = req.body ?? Buffer.alloc(0);
      switch (verifyLineSignature(body, opts.channelSecret, req.headersDistinct['x-line-signature'])) {
        case 'valid':
          break;
        case 'missing':
          log.warn('webhook without x-line-signature refused');
          answer(res, 401, { error: 'missing_signature' });
          return;
        case 'duplicate':
          log.warn('webhook with more than one x-line-signature refused');
          answer(res, 401, { error: 'duplicate_signature' });
          return;
        case 'invalid':
          log.warn({ bytes: body.length }, 'webhook with a wrong signature refused');
          answer(res, 401, { error: 'invalid_signature' });
          return;
      }

      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        log.warn({ bytes: body.length }, 'signed webhook body is not JSON');
        answer(res, 400, { error: 'malformed_json' });
        return;
      }

      const conversion = convertLineEvents(json);
      if (conversion.kind === 'invalid') {
        log.warn({ issues: conversion.details }, 'signed webhook body does not match the LINE schema');
        answer(res, 400, { error: conversion.error, details: conversion.details });
        return;
      }
      for (const skipped of conversion.ignored) log.debug(skipped, 'LINE event ignored');

      const { events } = conversion;
      if (events.length > 0) {
        try {
          await opts.ingest(events);
        } catch (error) {
          // 503 rather than 500: the body is fine and LINE's redelivery will bring it back.
          log.error({ err: error, eventIds: events.map((e) => e.id) }, 'LINE events could not be stored');
          answer(res, 503, { error: 'ingest_failed' });
          return;
        }
      }
      log.debug({ accepted: events.length, ignored: conversion.ignored.length }, 'LINE webhook accepted');
      answer(res, 200, { ok: true, accepted: events.length });
    },
  );

  // Errors raised while reading the body (express.raw) land here, before any handler above ran.
  router.use(LINE_WEBHOOK_PATH, (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { status, code } = describeBodyError(err);
    if (status >= 500) log.error({ err }, 'LINE webhook failed');
    else log.warn({ status, code }, 'LINE webhook body could not be read');
    answer(res, status, { error: code });
  });

  return router;
}

/**
 * Writes a JSON answer with Node's own response calls. Express's res.json also computes an ETag
 * (a hash of the body) and works out the charset: work on every webhook that LINE never reads.
 */
function answer(res: Response, status: number, body: Record<string, unknown>): void {
  const json = JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
    })
    .end(json);
}

function describeBodyError(err: unknown): { status: number; code: string } {
  const { type, status } = (err ?? {}) as { type?: unknown; status?: unknown };
  switch (type) {
    case 'entity.too.large':
      return { status: 413, code: 'payload_too_large' };
    case 'encoding.unsupported':
      return { status: 415, code: 'unsupported_encoding' };
    case 'request.aborted':
      return { status: 400, code: 'request_aborted' };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, code: 'unreadable_body' };
  return { status: 500, code: 'internal_error' };
}
