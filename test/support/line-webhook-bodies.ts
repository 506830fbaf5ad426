import { createHmac, randomUUID } from 'node:crypto';

export const LINE_SECRET = 'test-channel-secret';
export const LINE_TOKEN = 'test-channel-access-token';

/** The header LINE sends: base64 HMAC-SHA256 of the raw body with the channel secret. */
export function signLineBody(body: string, secret = LINE_SECRET): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export function userSource(userId: string) {
  return { type: 'user', userId };
}

export function textEvent(userId: string, text: string, at: Date, overrides: Record<string, unknown> = {}) {
  return {
    type: 'message',
    mode: 'active',
    timestamp: at.getTime(),
    source: userSource(userId),
    webhookEventId: `01H${randomUUID().replaceAll('-', '').slice(0, 23).toUpperCase()}`,
    deliveryContext: { isRedelivery: false },
    replyToken: randomUUID().replaceAll('-', ''),
    message: { id: String(Date.now()), type: 'text', quoteToken: 'q', text },
    ...overrides,
  };
}

export function webhookBody(events: unknown[]): string {
  return JSON.stringify({ destination: 'Uaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', events });
}
