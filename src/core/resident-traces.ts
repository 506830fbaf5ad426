import type { IncomingEvent } from './ports/incoming-event.js';
import type { CaseRepository, InboxRepository, OutboxRepository } from './ports/store.js';

export interface ResidentTracesOptions {
  inbox: Pick<InboxRepository, 'redact'>;
  outbox: Pick<OutboxRepository, 'redact'>;
  cases: Pick<CaseRepository, 'listByResident'>;
  /** How long redacted outbox items are kept (as done items are) before they are deleted. */
  keepMs: number;
  now: () => Date;
}

/**
 * The copies of what a resident wrote that sit in the durable queues: the inbox events they sent
 * and the outbox items addressed to them (replies, staff messages) or relaying their words to staff.
 * Erasure removes these along with the cases' own words; the erasure's own answer is redacted as
 * soon as it is delivered (Outbox.reply with redactWhenDone), and then the store is compacted, so
 * that nothing of the resident stays in an append-only file either.
 */
export class ResidentTraces {
  constructor(private readonly options: ResidentTracesOptions) {}

  /** Erases the traces of the resident who sent `event` (residentKey is their conversation key). */
  async erase(event: IncomingEvent, residentKey: string): Promise<void> {
    const { inbox, outbox, cases, keepMs, now } = this.options;
    const at = now();
    const expiresAt = new Date(at.getTime() + keepMs);
    // Before the cases are erased: they are found by the resident key.
    for (const record of await cases.listByResident(residentKey))
      await outbox.redact({ kind: 'case-relays', caseId: record.id }, at, expiresAt);
    await outbox.redact({ kind: 'recipient', channel: event.channel, address: event.address }, at, expiresAt);
    // Up to and including the request to erase; anything the resident wrote after it is a new start.
    await inbox.redact(residentKey, event.occurredAt, at);
  }
}
