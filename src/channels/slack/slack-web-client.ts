import { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { createSlackLogger } from './slack-logger.js';

export type SlackWebClient = webApi.WebClient;

/**
 * The Web API client the staff channel sends with. It never retries and never sleeps on a rate limit
 * itself: a 429 comes back at once as an error with its Retry-After, and the durable outbox decides
 * when to try again (so one slow channel cannot hold a worker for minutes).
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
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    timeout: options.timeoutMs,
    rejectRateLimitedCalls: true,
    logger: createSlackLogger(options.logger.child({ component: 'slack-web-api' })),
  });
}
