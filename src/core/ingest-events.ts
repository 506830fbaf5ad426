import type { IncomingEvent } from './incoming-event.js';
import type { InboxRepository } from './store.js';

export interface IngestResult {
  added: number;
  duplicates: number;
}

/** The ordering key of an event: one conversation partner on one channel. */
export function conversationKey(event: Pick<IncomingEvent, 'channel' | 'address'>): string {
  return `${event.channel}:${event.address}`;
}

/**
 * Persists incoming events to the inbox. A channel acknowledges its platform only after this resolves,
 * so an event is either stored or redelivered; a replayed id is a no-op.
 */
export function createIngest(options: {
  inbox: InboxRepository;
  retentionMs: number;
  now?: () => Date;
  onStored?: () => void;
}): (events: IncomingEvent[]) => Promise<IngestResult> {
  const now = options.now ?? (() => new Date());
  return async (events) => {
    const result: IngestResult = { added: 0, duplicates: 0 };
    for (const event of events) {
      const receivedAt = now();
      const outcome = await options.inbox.add(
        event,
        conversationKey(event),
        receivedAt,
        new Date(receivedAt.getTime() + options.retentionMs),
      );
      if (outcome === 'added') result.added++;
      else result.duplicates++;
    }
    if (result.added > 0) options.onStored?.();
    return result;
  };
}
