import type { ChannelName } from './incoming-event.js';
import type { OutboxRecord } from './store.js';

/** What one delivery attempt came to. Expected outcomes are values; only bugs throw. */
export type SendResult =
  | { kind: 'sent' }
  /** Worth trying again: rate limit, server error, network. */
  | { kind: 'retry'; error: string; retryAfterMs?: number | undefined; replyTokenSpent: boolean }
  /** Will never succeed as it is (a 4xx other than 409/429): park it as a dead letter. */
  | { kind: 'failed'; error: string };

/** The outgoing half of a channel adapter: turns an outbox item into a platform API call. */
export interface ChannelSender {
  readonly channel: ChannelName;
  send(item: OutboxRecord, now: Date): Promise<SendResult>;
  /** Shows a "working on it" hint to the user where the platform has one. Never throws. */
  showTyping?(address: string, seconds: number): Promise<void>;
}
