import autocannon from 'autocannon';
import { signedLineWebhook } from './signed-line-webhook.js';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** A realistic message: one text event from one of 200 users. */
function signedWebhook(n: number): { body: string; signature: string } {
  return signedLineWebhook(`U${String(n % 200).padStart(32, '0')}`, {
    type: 'message',
    message: { id: String(n), type: 'text', quoteToken: 'q', text: '最近、母の物忘れがひどくて心配です' },
  });
}

/** POSTs signed webhooks to a server; `rate` fixes the request rate, otherwise it goes flat out. */
export async function loadLineWebhook(
  port: number,
  options: { seconds: number; rate?: number; connections?: number },
) {
  let n = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhooks/line`,
    method: 'POST',
    duration: options.seconds,
    connections: options.connections ?? 10,
    ...(options.rate ? { overallRate: options.rate } : {}),
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const { body, signature } = signedWebhook(n++);
          return { ...req, body, headers: { ...req.headers, 'x-line-signature': signature } };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  } satisfies LoadResult;
}
