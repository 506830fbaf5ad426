import type { IncomingContent, IncomingEvent } from '../../src/core/ports/incoming-event.js';

let counter = 0;

/** A channel-neutral event for core tests. */
export function incomingEvent(
  address: string,
  content: IncomingContent,
  at: Date,
  sequence = 0,
): IncomingEvent {
  counter++;
  return {
    id: `evt-${counter}`,
    channel: 'line',
    address,
    occurredAt: at,
    sequence,
    replyToken: `reply-${counter}`,
    content,
  };
}
