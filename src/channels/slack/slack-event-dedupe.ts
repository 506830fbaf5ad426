import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SeenRepository } from '../../core/ports/store.js';
import type { Logger } from '../../logger.js';

/** Slack retries for minutes (immediately, +1 min, +5 min); a day is far beyond that. */
const REMEMBER_MS = 24 * 60 * 60 * 1000;

/**
 * Global middleware: each Events API delivery is handled once, by `event_id`, remembered in the store
 * so that every instance sees it. A retry (X-Slack-Retry-Num) of an event that was already taken is
 * dropped; a retry of one that never arrived is handled as the first delivery it is.
 * Interactivity payloads have no event id and are not retried by Slack.
 */
export function createEventDedupe(
  seen: SeenRepository,
  now: () => Date,
  logger: Logger,
): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId !== 'string') {
      await next();
      return;
    }
    const at = now();
    const retry = { eventId, retryNum: context.retryNum, retryReason: context.retryReason };
    if (!(await seen.firstSeen(`slack:event:${eventId}`, at, new Date(at.getTime() + REMEMBER_MS)))) {
      logger.info(retry, 'Slack event already handled; duplicate delivery dropped');
      return;
    }
    if (context.retryNum !== undefined)
      logger.info(retry, 'Slack retried an event not seen before; handling it');
    await next();
  };
}
