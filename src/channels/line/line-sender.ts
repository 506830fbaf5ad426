import { messagingApi } from '@line/bot-sdk';
import { withDeadline } from '../../core/deadline.js';
import {
  type ChannelSender,
  NO_JOURNAL,
  type SendJournal,
  type SendResult,
} from '../../core/ports/channel-sender.js';
import type { OutboxRecord } from '../../core/ports/store.js';
import type { Logger } from '../../logger.js';
import { type LineAnswer, LineMessageCalls } from './line-message-calls.js';
import { renderLineMessages } from './line-message-renderer.js';

type LineMethod = 'line.replyMessage' | 'line.pushMessage';

/** What one API call came to, before deciding whether a failed reply falls back to push. */
type CallOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; error: string; retryAfterMs?: number | undefined }
  | { kind: 'failed'; status: number; error: string };

const BODY_EXCERPT_LENGTH = 200;

/** Delivers outbox items through the Messaging API: a reply while the token is fresh, else a push. */
export class LineSender implements ChannelSender {
  readonly channel = 'line' as const;
  /** The loading animation, through the SDK. */
  private readonly client: messagingApi.MessagingApiClient;
  /** Replies and pushes, on kept-alive connections (line-message-calls.ts). */
  private readonly calls: LineMessageCalls;
  private readonly log: Logger;

  private readonly timeoutMs: number;

  constructor(opts: { channelAccessToken: string; apiBaseUrl: string; timeoutMs?: number; logger: Logger }) {
    this.client = new messagingApi.MessagingApiClient({
      channelAccessToken: opts.channelAccessToken,
      baseURL: opts.apiBaseUrl,
    });
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.calls = new LineMessageCalls({
      channelAccessToken: opts.channelAccessToken,
      apiBaseUrl: opts.apiBaseUrl,
      timeoutMs: this.timeoutMs,
      userAgent: 'madoguchi',
    });
    this.log = opts.logger.child({ channel: 'line', component: 'line-sender' });
  }

  /**
   * A reply while the token lives, else a push. Exactly once while the token lives: the attempt is
   * journalled before the reply is made, and when a later attempt (after a crash, a timeout or a
   * server error) meets LINE's 400 for that token, the token was used by the earlier attempt, so the
   * message was delivered. Only an attempt whose outcome is still unknown when the token expires is
   * pushed without that certainty (the duplicate window the README describes).
   */
  async send(item: OutboxRecord, now: Date, journal: SendJournal = NO_JOURNAL): Promise<SendResult> {
    const log = this.log.child({ outboxId: item.id, causedBy: item.causedBy });
    let messages: messagingApi.Message[];
    try {
      messages = renderLineMessages(item.messages);
    } catch (error) {
      // A bug in what the core built; retrying cannot fix it, so it goes to the dead letters.
      log.error({ err: error }, 'outbox item cannot be rendered for LINE');
      return { kind: 'failed', error: `line.render: ${errorMessage(error)}` };
    }

    const replyToken = item.replyToken;
    let replyTokenSpent = item.replyTokenSpent === true;
    const tokenLives =
      replyToken !== undefined &&
      item.replyTokenSpent !== true &&
      item.replyTokenExpiresAt !== undefined &&
      now < item.replyTokenExpiresAt;
    if (replyToken && tokenLives) {
      const attemptedBefore = item.replyAttemptedAt !== undefined;
      await journal.replyAttempted();
      // No retry key: LINE answers a reply that carries X-Line-Retry-Key with 400.
      const reply = await this.call('line.replyMessage', now, () =>
        this.calls.reply({ replyToken, messages }),
      );
      if (reply.kind === 'failed' && reply.status === 400 && attemptedBefore) {
        log.info({ error: reply.error }, 'reply token already used by an earlier attempt: delivered then');
        return { kind: 'sent' };
      }
      // A retry replies again while the token lives: the token is not spent by an unanswered attempt.
      if (reply.kind !== 'failed' || reply.status !== 400) return this.finish(log, 'reply', reply, false);
      // A first attempt refused: the token expired early or is unknown. The push below reaches the user.
      log.info({ error: reply.error }, 'reply token refused, pushing instead');
      await journal.replyTokenSpent();
      replyTokenSpent = true;
    } else if (replyToken && item.replyAttemptedAt && item.replyTokenSpent !== true) {
      log.warn('a reply attempt of unknown outcome outlived its token; pushing (this may show twice)');
    }

    // The outbox id is the retry key, so a push repeated after a lost response is not delivered twice.
    const push = await this.call('line.pushMessage', now, () =>
      this.calls.push({ to: item.address, messages }, item.id),
    );
    return this.finish(log, 'push', push, replyTokenSpent);
  }

  async showTyping(address: string, seconds: number): Promise<void> {
    const loadingSeconds = Math.min(
      60,
      Math.max(5, Math.ceil((Number.isFinite(seconds) ? seconds : 0) / 5) * 5),
    );
    try {
      await withDeadline('line.showLoadingAnimation', this.timeoutMs, () =>
        this.client.showLoadingAnimation({ chatId: address, loadingSeconds }),
      );
    } catch (error) {
      // Only a hint to the user (and refused outside one-to-one chats): never worth failing over.
      this.log.debug({ err: summarise(error) }, 'line.showLoadingAnimation failed');
    }
  }

  private async call(
    method: LineMethod,
    now: Date,
    request: () => Promise<LineAnswer>,
  ): Promise<CallOutcome> {
    let answer: LineAnswer;
    try {
      answer = await request();
    } catch (error) {
      // No answer: the connection failed (ECONNRESET, ECONNREFUSED...) or the deadline passed.
      return { kind: 'retry', error: `${method} network: ${summarise(error)}` };
    }
    return classify(method, answer, now);
  }

  private finish(
    log: Logger,
    via: 'reply' | 'push',
    outcome: CallOutcome,
    replyTokenSpent: boolean,
  ): SendResult {
    switch (outcome.kind) {
      case 'sent':
        log.debug({ via }, 'sent to LINE');
        return { kind: 'sent' };
      case 'retry':
        log.warn(
          { via, error: outcome.error, retryAfterMs: outcome.retryAfterMs },
          'LINE send will be retried',
        );
        return { kind: 'retry', error: outcome.error, retryAfterMs: outcome.retryAfterMs, replyTokenSpent };
      case 'failed':
        log.error({ via, error: outcome.error }, 'LINE refused the message');
        return { kind: 'failed', error: outcome.error };
    }
  }
}

function classify(method: LineMethod, answer: LineAnswer, now: Date): CallOutcome {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'sent' };
  const message = `${method} ${status}: ${excerpt(answer.body)}`;
  // 409 answers a push whose retry key LINE has already accepted: it was delivered before.
  if (status === 409 && method === 'line.pushMessage') return { kind: 'sent' };
  if (status === 429 || status >= 500) {
    return { kind: 'retry', error: message, retryAfterMs: retryAfterMs(answer.headers['retry-after'], now) };
  }
  return { kind: 'failed', status, error: message };
}

function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function excerpt(body: unknown): string {
  const text = typeof body === 'string' ? body : '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > BODY_EXCERPT_LENGTH
    ? `${flat.slice(0, BODY_EXCERPT_LENGTH)}…`
    : flat || '(empty body)';
}

function summarise(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail = cause && (typeof cause.code === 'string' ? cause.code : errorMessage(cause));
  return detail ? `${errorMessage(error)} (${detail})` : errorMessage(error);
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return String(error);
}
