import { webApi } from '@slack/bolt';
import { CodedError } from '../../core/coded-error.js';
import type { SendResult } from '../../core/ports/channel-sender.js';

/** Slack's own words for "try again later"; every other `ok: false` error is permanent as sent. */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** A failed Web API call, naming the method (`slack.chat.postMessage channel_not_found`). */
export class SlackCallError extends CodedError {
  constructor(
    readonly method: string,
    readonly result: Exclude<SendResult, { kind: 'sent' }>,
    options: { cause: unknown },
  ) {
    super('SLACK_CALL_FAILED', result.kind === 'retry' ? 'temporary' : 'permanent', result.error, options);
  }

  /** The platform's error code (`channel_not_found`), when Slack answered with one. */
  get platformError(): string | undefined {
    const cause = this.cause as { data?: { error?: unknown } } | undefined;
    return typeof cause?.data?.error === 'string' ? cause.data.error : undefined;
  }
}

/** Runs one Web API call; a failure becomes a SlackCallError that says whether to retry. */
export async function callSlack<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new SlackCallError(method, classifySlackError(method, error), { cause: error });
  }
}

export function classifySlackError(method: string, error: unknown): Exclude<SendResult, { kind: 'sent' }> {
  const name = `slack.${method}`;
  const e = error as {
    code?: unknown;
    data?: { error?: unknown };
    retryAfter?: unknown;
    statusCode?: unknown;
    headers?: Record<string, string>;
    message?: unknown;
  };
  switch (e?.code) {
    case webApi.ErrorCode.RateLimitedError: {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
      return retry(`${name} ratelimited`, seconds);
    }
    case webApi.ErrorCode.PlatformError: {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      return TRANSIENT_PLATFORM_ERRORS.has(code)
        ? retry(`${name} ${code}`)
        : { kind: 'failed', error: `${name} ${code}` };
    }
    case webApi.ErrorCode.HTTPError: {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      if (status === 429 || status >= 500) {
        const header = Number(e.headers?.['retry-after']);
        return retry(`${name} http ${status}`, Number.isFinite(header) && header >= 0 ? header : undefined);
      }
      return { kind: 'failed', error: `${name} http ${status}` };
    }
    case webApi.ErrorCode.RequestError: {
      const original = (error as { original?: { message?: unknown; cause?: { code?: unknown } } }).original;
      const detail =
        typeof original?.cause?.code === 'string'
          ? original.cause.code
          : String(original?.message ?? 'network');
      return retry(`${name} network: ${detail}`);
    }
    default:
      // Not the Web API's: a store hiccup or a bug. Worth another try; the outbox gives up eventually.
      return retry(`${name} ${error instanceof Error ? error.message : String(error)}`);
  }
}

function retry(error: string, retryAfterSeconds?: number): Exclude<SendResult, { kind: 'sent' | 'failed' }> {
  return {
    kind: 'retry',
    error,
    retryAfterMs: retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000,
    replyTokenSpent: false,
  };
}

/**
 * Whether an earlier attempt of an outbox item may have posted its message at Slack: it was tried
 * and did not end in Slack refusing the post itself. A rate-limited chat.postMessage is the one
 * failure that says so, and it only comes after the attempt looked and found nothing. A rate limit
 * on anything else (the look itself) leaves the earlier attempt's outcome as unknown as it was.
 */
export function mayHaveLanded(item: { attempts: number; lastError?: string | undefined }): boolean {
  if (item.attempts === 0) return false;
  return !/^slack\.chat\.postMessage (?:ratelimited|http 429)$/.test(item.lastError ?? '');
}
