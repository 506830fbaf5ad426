import { randomUUID } from 'node:crypto';
import type { Outbox } from '../outbox.js';
import type { HandoffListener } from '../ports/handoff-listener.js';
import type { ChannelName, IncomingContent } from '../ports/incoming-event.js';
import type { CaseRecord } from '../ports/store.js';
import type { EscalationTimers } from './escalation-timers.js';

/**
 * Hands cases to people through a staff channel (Slack, or the playground's staff pane): every
 * change becomes a notice in the durable outbox, and a waiting case gets escalation timers.
 */
export class StaffHandoff implements HandoffListener {
  constructor(
    private readonly outbox: Outbox,
    private readonly staffChannel: ChannelName,
    private readonly escalation: EscalationTimers,
  ) {}

  async caseOpened(record: CaseRecord): Promise<void> {
    await this.outbox.notify(this.staffChannel, { kind: 'alert', caseId: record.id }, `opened:${record.id}`);
    await this.escalation.schedule(record);
  }

  async caseUpdated(record: CaseRecord, change: 'intake-completed' | 'crisis'): Promise<void> {
    const cause = `${change}:${record.id}:${record.version}`;
    await this.outbox.notify(this.staffChannel, { kind: 'alert', caseId: record.id }, `${cause}:alert`);
    if (change === 'crisis') {
      await this.outbox.notify(
        this.staffChannel,
        { kind: 'thread', caseId: record.id, note: { type: 'crisis' } },
        cause,
      );
      // An urgent case waits less before the on-call group is called in.
      if (record.status === 'pending') await this.escalation.schedule(record);
    } else if (record.status === 'assigned') {
      await this.outbox.notify(
        this.staffChannel,
        { kind: 'thread', caseId: record.id, note: { type: 'intake' } },
        cause,
      );
    }
  }

  async residentMessage(record: CaseRecord, content: IncomingContent, eventId: string): Promise<void> {
    await this.outbox.notify(
      this.staffChannel,
      { kind: 'thread', caseId: record.id, note: { type: 'resident-message', content, eventId } },
      `resident:${eventId}`,
    );
  }

  async caseReopened(record: CaseRecord): Promise<void> {
    const cause = `reopened:${record.id}:${record.reopenCount}:${randomUUID()}`;
    await this.outbox.notify(this.staffChannel, { kind: 'alert', caseId: record.id }, `${cause}:alert`);
    await this.outbox.notify(
      this.staffChannel,
      { kind: 'thread', caseId: record.id, note: { type: 'reopened' } },
      cause,
    );
    if (record.status === 'pending') await this.escalation.schedule(record);
  }

  async caseErased(record: CaseRecord): Promise<void> {
    await this.outbox.notify(
      this.staffChannel,
      { kind: 'thread', caseId: record.id, note: { type: 'erased' } },
      `erased:${record.id}`,
    );
  }
}
