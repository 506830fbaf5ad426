import type { EventHandler } from './inbox-queue.js';
import type { ChannelSender } from './ports/channel-sender.js';
import type { ChannelName } from './ports/incoming-event.js';

/**
 * Wraps a handler so that a resident who wrote something sees a "typing" hint when the answer takes
 * longer than `delayMs`. Quick answers cost no extra API call.
 */
export function withWorkingIndicator(
  handle: EventHandler,
  senders: ReadonlyMap<ChannelName, ChannelSender>,
  delayMs = 1_000,
  seconds = 10,
): EventHandler {
  return async (event) => {
    const sender = senders.get(event.channel);
    const waitsForAnswer = event.content.type === 'text' || event.content.type === 'choice';
    if (!sender?.showTyping || !waitsForAnswer) return handle(event);
    const timer = setTimeout(() => void sender.showTyping?.(event.address, seconds), delayMs);
    try {
      await handle(event);
    } finally {
      clearTimeout(timer);
    }
  };
}
