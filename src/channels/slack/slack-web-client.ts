import { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { createSlackLogger } from './slack-logger.js';

export type SlackWebClient = webApi.WebClient;

/**
 * How every Web API client of the service calls Slack, the outbox's and Bolt's alike. It never
 * retries and never sleeps on a rate limit itself: a 429 comes back at once as an error with its
 * Retry-After, and whoever called decides when to try again (the durable outbox; a person clicking
 * again), so one slow channel cannot hold a worker for minutes. Each call has a deadline: one that
 * has not answered by then fails like a network error instead of hanging.
 */
export function slackClientOptions(options: {
  apiUrl: string;
  /** Each call's deadline (API_TIMEOUT_MS). */
  timeoutMs: number;
}): webApi.WebClientOptions {
  return {
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    timeout: options.timeoutMs,
    rejectRateLimitedCalls: true,
  };
}

/**
 * The Web API client the staff channel sends with (the outbox, the staff authoriser).
 *
 * Create it after nock is set up in tests: the client keeps the `fetch` it finds when constructed.
 */
export function createSlackWebClient(options: {
  botToken: string;
  apiUrl: string;
  /** Each call's deadline: a call that has not answered by then fails like a network error. */
  timeoutMs: number;
  logger: Logger;
}): SlackWebClient {
  return new webApi.WebClient(options.botToken, {
    ...slackClientOptions(options),
    logger: createSlackLogger(options.logger.child({ component: 'slack-web-api' })),
  });
}
