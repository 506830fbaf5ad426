import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLineMessage {
  type: string;
  text?: string;
}

/** One message set LINE accepted for a user (what the user would see), in arrival order. */
export interface FakeLineDelivery {
  via: 'reply' | 'push';
  /** The user: for a reply, the one the test said the token belongs to (see `tokenOwner`). */
  to: string | undefined;
  replyToken?: string;
  retryKey?: string;
  messages: FakeLineMessage[];
}

export interface FakeLineBehaviour {
  /** What the answer to an accepted reply does: 'hang' never answers; a number answers that many ms late. */
  replyAnswer?: (replyToken: string) => 'hang' | number | undefined;
  /** Likewise for an accepted push. */
  pushAnswer?: (to: string) => 'hang' | number | undefined;
  /** A user's profile: 'hang' never answers; otherwise the language it carries (undefined: not shared). */
  profile?: (userId: string) => 'hang' | string | undefined;
}

/**
 * A fake Messaging API on loopback that keeps LINE's rules that matter for exactly-once delivery:
 * reply tokens are single use (a used token gets 400 "Invalid reply token", and a token counts as
 * used as soon as LINE has the request, however late its answer is), and a push whose
 * X-Line-Retry-Key was accepted before gets 409. Works across processes: a service in a child process
 * can be pointed at `url`.
 */
export class FakeLineApi {
  readonly deliveries: FakeLineDelivery[] = [];
  /** Every request, in order: `${method} ${path}` (the profile path includes the user). */
  readonly requests: string[] = [];
  readonly refusedReplies: string[] = [];
  readonly conflictedPushes: string[] = [];
  private readonly usedTokens = new Set<string>();
  private readonly acceptedKeys = new Set<string>();
  private readonly owners = new Map<string, string>();
  private readonly waiters: Array<() => void> = [];
  private server: Server | undefined;
  url = '';

  constructor(public behaviour: FakeLineBehaviour = {}) {}

  /** Says whose reply token this is, so deliveries by reply name their user. */
  tokenOwner(replyToken: string, userId: string): void {
    this.owners.set(replyToken, userId);
  }

  deliveredTo(userId: string): FakeLineDelivery[] {
    return this.deliveries.filter((d) => d.to === userId);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once `predicate` holds, checked after every request; rejects after `ms` (a generous bound). */
  async until(predicate: () => boolean, ms = 10_000, what = 'the fake LINE API to see it'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.requests.push(`${req.method} ${path}`);
    const body =
      chunks.length > 0
        ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        : {};
    try {
      if (req.method === 'POST' && path === '/v2/bot/message/reply') return this.reply(body, req, res);
      if (req.method === 'POST' && path === '/v2/bot/message/push') return this.push(body, req, res);
      if (req.method === 'POST' && path === '/v2/bot/chat/loading/start') return send(res, 202, {});
      const profile = /^\/v2\/bot\/profile\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && profile?.[1]) {
        const answer = this.behaviour.profile?.(profile[1]);
        if (answer === 'hang') return;
        return send(res, 200, {
          userId: profile[1],
          displayName: 'テスト',
          ...(answer ? { language: answer } : {}),
        });
      }
      send(res, 404, { message: 'Not found' });
    } finally {
      this.notify();
    }
  }

  private reply(body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): void {
    const token = String(body.replyToken);
    if (req.headers['x-line-retry-key']) {
      send(res, 400, { message: 'retry key is not allowed here' });
      return;
    }
    if (this.usedTokens.has(token)) {
      this.refusedReplies.push(token);
      send(res, 400, { message: 'Invalid reply token' });
      return;
    }
    this.usedTokens.add(token);
    this.deliveries.push({
      via: 'reply',
      to: this.owners.get(token),
      replyToken: token,
      messages: body.messages as FakeLineMessage[],
    });
    answerLater(res, this.behaviour.replyAnswer?.(token), { sentMessages: [] });
  }

  private push(body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): void {
    const key = req.headers['x-line-retry-key'];
    const retryKey = typeof key === 'string' ? key : undefined;
    if (retryKey && this.acceptedKeys.has(retryKey)) {
      this.conflictedPushes.push(retryKey);
      send(res, 409, { message: 'The retry key is already accepted' });
      return;
    }
    if (retryKey) this.acceptedKeys.add(retryKey);
    const to = String(body.to);
    this.deliveries.push({
      via: 'push',
      to,
      ...(retryKey ? { retryKey } : {}),
      messages: body.messages as FakeLineMessage[],
    });
    answerLater(res, this.behaviour.pushAnswer?.(to), { sentMessages: [] });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function answerLater(res: ServerResponse, how: 'hang' | number | undefined, body: unknown): void {
  if (how === 'hang') return;
  if (how === undefined) {
    send(res, 200, body);
    return;
  }
  setTimeout(() => {
    if (!res.destroyed) send(res, 200, body);
  }, how);
}
