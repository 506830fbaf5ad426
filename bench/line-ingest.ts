import autocannon from 'autocannon';
import { textWebhook } from './open-loop.js';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** POSTs signed webhooks flat out over `connections` connections (a closed loop): the most it acknowledges. */
export async function loadLineWebhook(
  port: number,
  options: { seconds: number; residents: number; connections?: number },
) {
  let n = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhooks/line`,
    method: 'POST',
    duration: options.seconds,
    connections: options.connections ?? 10,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const { body, signature } = textWebhook(n++, options.residents);
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
