import type { IncomingEvent } from './ports/incoming-event.js';
import type { InboxRepository } from './ports/store.js';

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
  /** Told which conversations just got new events. */
  onStored?: (keys: Set<string>) => void;
}): (events: IncomingEvent[]) => Promise<IngestResult> {
  const now = options.now ?? (() => new Date());
  return async (events) => {
    const result: IngestResult = { added: 0, duplicates: 0 };
    const keys = new Set<string>();
    for (const event of events) {
      const receivedAt = now();
      const key = conversationKey(event);
      const outcome = await options.inbox.add(
        event,
        key,
        receivedAt,
        new Date(receivedAt.getTime() + options.retentionMs),
      );
      if (outcome === 'added') {
        result.added++;
        keys.add(key);
      } else result.duplicates++;
    }
    if (keys.size > 0) options.onStored?.(keys);
    return result;
  };
}
