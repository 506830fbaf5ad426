import type { ChannelName } from './incoming-event.js';
import type { OutboxRecord } from './store.js';

/** What one delivery attempt came to. Expected outcomes are values; only bugs throw. */
export type SendResult =
  | { kind: 'sent' }
  /** Worth trying again: rate limit, server error, network. */
  | { kind: 'retry'; error: string; retryAfterMs?: number | undefined; replyTokenSpent: boolean }
  /** Will never succeed as it is (a 4xx other than 409/429): park it as a dead letter. */
  | { kind: 'failed'; error: string };

/**
 * What a sender writes down durably while it delivers, before the call it concerns. A reply token is
 * single use: once an attempt may have reached the platform, a crash or a timeout must not turn the
 * next attempt into a second copy of the message (see OutboxRecord.replyAttemptedAt).
 */
export interface SendJournal {
  /** The reply token is about to be spent. Resolves once that is stored. */
  replyAttempted(): Promise<void>;
  /** The platform refused the reply token: from now on only a push reaches the recipient. */
  replyTokenSpent(): Promise<void>;
}

/** A journal that writes nothing: for channels without reply tokens, and for tests. */
export const NO_JOURNAL: SendJournal = {
  replyAttempted: async () => {},
  replyTokenSpent: async () => {},
};

/** The outgoing half of a channel adapter: turns an outbox item into a platform API call. */
export interface ChannelSender {
  readonly channel: ChannelName;
  send(item: OutboxRecord, now: Date, journal?: SendJournal): Promise<SendResult>;
  /** Shows a "working on it" hint to the user where the platform has one. Never throws. */
  showTyping?(address: string, seconds: number): Promise<void>;
}
