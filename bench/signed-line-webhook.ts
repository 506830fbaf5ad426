import { createHmac, randomUUID } from 'node:crypto';

export const BENCH_LINE_SECRET = process.env.BENCH_LINE_SECRET ?? 'bench-secret';

/** One LINE event from `userId` in a webhook body, fresh ids each time, signed as LINE signs it. */
export function signedLineWebhook(
  userId: string,
  event: Record<string, unknown>,
  replyToken: string = randomUUID().replaceAll('-', ''),
): { body: string; signature: string } {
  const body = JSON.stringify({
    destination: 'Ubench',
    events: [
      {
        mode: 'active',
        timestamp: Date.now(),
        source: { type: 'user', userId },
        webhookEventId: randomUUID(),
        deliveryContext: { isRedelivery: false },
        replyToken,
        ...event,
      },
    ],
  });
  return { body, signature: createHmac('sha256', BENCH_LINE_SECRET).update(body).digest('base64') };
}
