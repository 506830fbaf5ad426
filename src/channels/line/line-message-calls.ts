import http from 'node:http';
import https from 'node:https';
import type { messagingApi } from '@line/bot-sdk';

/** What LINE answered: the status, the headers (Retry-After) and the body, read as text. */
export interface LineAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** LINE did not answer: the connection failed (the socket's error is the cause) or the deadline passed. */
export class LineCallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LineCallError';
  }
}

/** Sockets kept open to the API; more calls than this at once wait for one. */
const MAX_SOCKETS = 64;

/**
 * The two calls every answer makes, reply and push, over one keep-alive connection pool. The
 * SDK's client makes them through the runtime's fetch, whose WHATWG streams and Request/Response
 * objects cost about a quarter of a millisecond of CPU a call (0.26–0.31 ms against 0.05–0.07 ms
 * for the same POST through node:http with a kept-alive socket, measured on Node 20): in a burst
 * that was a fifth of the processing thread's work. The bodies are the SDK's types; the other,
 * rarer calls (the loading animation, profiles, rich menus) still go through the SDK.
 *
 * Each call has a deadline: a socket that stays silent for `timeoutMs` is destroyed and the call
 * fails, so a hung LINE never holds a connection or a worker.
 */
export class LineMessageCalls {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(opts: {
    channelAccessToken: string;
    apiBaseUrl: string;
    timeoutMs: number;
    userAgent: string;
  }) {
    this.base = new URL(opts.apiBaseUrl);
    const secure = this.base.protocol === 'https:';
    this.agent = new (secure ? https.Agent : http.Agent)({
      keepAlive: true,
      maxSockets: MAX_SOCKETS,
      timeout: opts.timeoutMs,
    });
    this.request = secure ? https.request : http.request;
    this.headers = {
      authorization: `Bearer ${opts.channelAccessToken}`,
      'content-type': 'application/json',
      'user-agent': opts.userAgent,
    };
    this.timeoutMs = opts.timeoutMs;
  }

  reply(body: messagingApi.ReplyMessageRequest): Promise<LineAnswer> {
    return this.post('/v2/bot/message/reply', body, {});
  }

  /** `retryKey` makes a repeated push (after a lost answer) one delivery: LINE answers it with 409. */
  push(body: messagingApi.PushMessageRequest, retryKey: string): Promise<LineAnswer> {
    return this.post('/v2/bot/message/push', body, { 'x-line-retry-key': retryKey });
  }

  /** Closes the kept-alive sockets (the bench, when it is done with them). */
  close(): void {
    this.agent.destroy();
  }

  private post(pathname: string, body: unknown, extra: Record<string, string>): Promise<LineAnswer> {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    const url = new URL(pathname, this.base);
    return new Promise((resolve, reject) => {
      const req = this.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...this.headers, ...extra, 'content-length': String(payload.length) },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', (error) => reject(networkError(error)));
        },
      );
      req.on('timeout', () => req.destroy(new LineCallError(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (error) => reject(networkError(error)));
      req.end(payload);
    });
  }
}

/** The socket's error as the cause, so that its code (ECONNRESET...) is named where it is logged. */
function networkError(error: Error): LineCallError {
  return error instanceof LineCallError ? error : new LineCallError(error.message, { cause: error });
}
