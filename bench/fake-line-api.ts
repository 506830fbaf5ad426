import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** How long the fake honours a reply token (LINE's is unpublished; about 30 s is reported). */
const REPLY_TOKEN_LIFETIME_MS = 30_000;

/** What the fake LINE API saw, for the bench's webhook → reply figures. */
export interface FakeLineStats {
  /** Replies accepted, with how long after the webhook was sent each arrived (ms). */
  replyLatenciesMs: number[];
  /** Replies refused because their token had expired (LINE answers 400 "Invalid reply token"). */
  expiredReplies: number;
  /** Pushes: what a reply becomes when its token expired (the city pays for these). */
  pushes: number;
  /** Other calls (loading animation, profile...). */
  other: number;
  /** Replies that used a token already used (LINE refuses them; a sign of a message sent twice). */
  duplicateReplies: number;
  /** Replies to a resident's webhook sent before a reply to that resident's earlier webhook. */
  outOfOrderReplies: number;
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one machine. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * A reply token that says when its webhook was sent and by whom, so the fake can time webhook → reply
 * and check the order of each resident's replies without talking to the load generator:
 * "bench" + microseconds since the epoch + the resident + a random tail.
 */
export function benchReplyToken(sentAtMs: number, resident: string, tail: string): string {
  return `bench${Math.round(sentAtMs * 1000)}x${resident}x${tail}`;
}

function readToken(token: unknown): { sentAt: number; resident: string } | undefined {
  const match = typeof token === 'string' ? /^bench(\d+)x([^x]+)x/.exec(token) : null;
  return match ? { sentAt: Number(match[1]) / 1000, resident: match[2] as string } : undefined;
}

const emptyStats = (): FakeLineStats => ({
  replyLatenciesMs: [],
  expiredReplies: 0,
  pushes: 0,
  other: 0,
  duplicateReplies: 0,
  outOfOrderReplies: 0,
});

/**
 * A stand-in for api.line.me on loopback that accepts every reply and push and counts them. A reply
 * whose token is older than LINE's lifetime is refused as LINE refuses it. GET /stats gives the
 * counts, POST /reset clears them (between the bench's phases).
 */
export async function startFakeLineApi(): Promise<{
  url: string;
  delivered: () => number;
  /** TCP connections opened to it: a client without keep-alive opens one per call. */
  connections: () => number;
  stats: () => FakeLineStats;
  close: () => Promise<void>;
}> {
  let stats = emptyStats();
  // Each token is single-use, as LINE's are; each resident's replies must come in webhook order.
  let usedTokens = new Set<string>();
  let lastSentAt = new Map<string, number>();
  let delivered = 0;
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '';
      if (url === '/stats') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
        return;
      }
      if (url === '/reset') {
        stats = emptyStats();
        usedTokens = new Set();
        lastSentAt = new Map();
        res.writeHead(204).end();
        return;
      }
      if (url.startsWith('/v2/bot/message/reply')) {
        const arrived = preciseNow();
        let token: unknown;
        try {
          token = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { replyToken?: unknown }).replyToken;
        } catch {
          token = undefined;
        }
        const read = readToken(token);
        if (read && usedTokens.has(token as string)) {
          stats.duplicateReplies++;
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"Invalid reply token"}');
          return;
        }
        if (read && arrived - read.sentAt > REPLY_TOKEN_LIFETIME_MS) {
          stats.expiredReplies++;
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"Invalid reply token"}');
          return;
        }
        if (read) {
          usedTokens.add(token as string);
          if (read.sentAt < (lastSentAt.get(read.resident) ?? 0)) stats.outOfOrderReplies++;
          lastSentAt.set(read.resident, read.sentAt);
          stats.replyLatenciesMs.push(arrived - read.sentAt);
        }
        delivered++;
      } else if (url.startsWith('/v2/bot/message/push')) {
        stats.pushes++;
        delivered++;
      } else stats.other++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    delivered: () => delivered,
    connections: () => connections,
    stats: () => stats,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
