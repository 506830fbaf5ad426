import type { ChannelName } from '../incoming-event.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { Outbox } from '../outbox.js';
import type { CaseRecord, CaseRepository, OutboxRecord } from '../store.js';
import type { Translator } from '../translator.js';
import type { CaseAudit } from './case-audit.js';
import type { EscalationTimers } from './escalation-timers.js';
import { ratingChoices } from './rating-choices.js';
import type { StaffRef, ThreadNote } from './staff-notice.js';

export type AcceptResult =
  | { kind: 'accepted'; record: CaseRecord }
  | { kind: 'taken'; record: CaseRecord }
  | { kind: 'closed'; record: CaseRecord }
  | { kind: 'not-found' };
export type RerouteResult =
  | { kind: 'rerouted'; record: CaseRecord; from: string }
  | { kind: 'closed' | 'not-found' | 'unknown-window' | 'same-window' };
export type CloseResult =
  | { kind: 'closed'; record: CaseRecord }
  | { kind: 'not-owner'; assignee: string | undefined }
  | { kind: 'already-closed' | 'not-found' };
export type ReplyResult =
  | { kind: 'queued'; replyId: string }
  | { kind: 'not-found' | 'not-assigned' | 'closed' | 'unreachable' };

/** The resident a case belongs to, or undefined once they erased their data. */
export function residentAddress(
  record: Pick<CaseRecord, 'residentKey'>,
): { channel: ChannelName; address: string } | undefined {
  const at = record.residentKey.indexOf(':');
  const channel = record.residentKey.slice(0, at);
  if (channel !== 'line' && channel !== 'local') return undefined;
  return { channel, address: record.residentKey.slice(at + 1) };
}

const REPLY_CAUSE = 'staff-reply:';

/**
 * What staff do with a case, whichever staff channel they use. Every outcome is a value; the one
 * write that decides (accept) is a single conditional update, so exactly one person owns a case.
 * Who may act is the staff channel's business (a Slack user group): by the time a call lands here,
 * the caller was checked.
 */
export class CaseActions {
  constructor(
    private readonly cases: CaseRepository,
    private readonly outbox: Outbox,
    private readonly staffChannel: ChannelName,
    private readonly escalation: EscalationTimers,
    private readonly audit: CaseAudit,
    private readonly config: MunicipalityConfig,
    private readonly translator: Translator,
    private readonly now: () => Date = () => new Date(),
    /** Told of each accept, for the time-to-accept metric. */
    private readonly onAccepted: (record: CaseRecord) => void = () => {},
  ) {}

  async accept(caseId: string, staff: StaffRef): Promise<AcceptResult> {
    const record = await this.cases.transition(
      caseId,
      ['pending'],
      { status: 'assigned', assignee: staff.id, acceptedAt: this.now() },
      this.now(),
    );
    if (!record) {
      const current = await this.cases.get(caseId);
      if (!current) return { kind: 'not-found' };
      await this.audit.record('case.accept-refused', { kind: 'staff', id: staff.id }, current, {
        status: current.status,
      });
      return current.status === 'closed'
        ? { kind: 'closed', record: current }
        : { kind: 'taken', record: current };
    }
    await this.escalation.cancel(caseId);
    await this.audit.record('case.accepted', { kind: 'staff', id: staff.id }, record);
    this.onAccepted(record);
    await this.notify(record, 'accepted', { type: 'accepted', staffId: staff.id });
    await this.notify(record, 'intake', { type: 'intake' });
    const name = this.config.staff.showStaffNameToResident ? staff.displayName : undefined;
    await this.tellResident(
      record,
      name ? 'handoff.accepted-by' : 'handoff.accepted',
      `accepted:${record.id}:${record.version}`,
      { name: name ?? '' },
    );
    return { kind: 'accepted', record };
  }

  async reroute(caseId: string, toWindowId: string, staff: StaffRef): Promise<RerouteResult> {
    if (!this.config.windows.some((w) => w.id === toWindowId)) return { kind: 'unknown-window' };
    const current = await this.cases.get(caseId);
    if (!current) return { kind: 'not-found' };
    if (current.status === 'closed') return { kind: 'closed' };
    if (current.windowId === toWindowId) return { kind: 'same-window' };
    const record = await this.cases.transition(
      caseId,
      ['pending', 'assigned'],
      {
        windowId: toWindowId,
        status: 'pending',
        assignee: undefined,
        acceptedAt: undefined,
        rerouteCount: current.rerouteCount + 1,
      },
      this.now(),
    );
    if (!record) return { kind: 'closed' };
    await this.audit.record('case.rerouted', { kind: 'staff', id: staff.id }, record, {
      from: current.windowId,
      to: toWindowId,
    });
    // The old thread hears where the case went; then the alert moves to the new window's channel.
    await this.notify(record, 'rerouted', {
      type: 'rerouted',
      fromWindowId: current.windowId,
      toWindowId,
      staffId: staff.id,
    });
    await this.outbox.notify(
      this.staffChannel,
      { kind: 'alert', caseId },
      `reroute-alert:${caseId}:${record.version}`,
    );
    await this.escalation.schedule(record);
    return { kind: 'rerouted', record, from: current.windowId };
  }

  async close(
    caseId: string,
    staff: StaffRef,
    options: { note?: string | undefined; asSupervisor: boolean },
  ): Promise<CloseResult> {
    const current = await this.cases.get(caseId);
    if (!current) return { kind: 'not-found' };
    if (current.status === 'closed') return { kind: 'already-closed' };
    if (current.assignee && current.assignee !== staff.id && !options.asSupervisor) {
      await this.audit.record('case.close-refused', { kind: 'staff', id: staff.id }, current);
      return { kind: 'not-owner', assignee: current.assignee };
    }
    const record = await this.cases.transition(
      caseId,
      ['pending', 'assigned'],
      { status: 'closed', closedAt: this.now() },
      this.now(),
    );
    if (!record) return { kind: 'already-closed' };
    await this.escalation.cancel(caseId);
    await this.audit.record('case.closed', { kind: 'staff', id: staff.id }, record, {
      withNote: Boolean(options.note),
    });
    await this.notify(record, 'closed', { type: 'closed', staffId: staff.id, note: options.note });
    await this.outbox.notify(
      this.staffChannel,
      { kind: 'alert', caseId },
      `closed-alert:${caseId}:${record.version}`,
    );
    const resident = residentAddress(record);
    if (resident) {
      const t = this.translator.forLanguage(record.language);
      await this.outbox.push(
        resident.channel,
        resident.address,
        [
          {
            type: 'text',
            text: `${t('handoff.closed')}\n\n${t('handoff.rating-prompt')}`,
            quickReplies: ratingChoices(record.id, t),
          },
        ],
        `closed:${record.id}:${record.version}`,
      );
    }
    return { kind: 'closed', record };
  }

  /** Sends staff's words to the resident, through the outbox; the thread gets a delivery mark later. */
  async reply(caseId: string, staff: StaffRef, text: string, replyId: string): Promise<ReplyResult> {
    const record = await this.cases.get(caseId);
    if (!record) return { kind: 'not-found' };
    if (record.status === 'closed') return { kind: 'closed' };
    if (record.status !== 'assigned') return { kind: 'not-assigned' };
    const resident = residentAddress(record);
    if (!resident) return { kind: 'unreachable' };
    const t = this.translator.forLanguage(record.language);
    await this.outbox.push(
      resident.channel,
      resident.address,
      [{ type: 'text', text: t('handoff.staff-says', { text }) }],
      `${REPLY_CAUSE}${caseId}:${replyId}`,
    );
    await this.audit.record('case.reply-sent', { kind: 'staff', id: staff.id }, record, { replyId });
    return { kind: 'queued', replyId };
  }

  /** Told by the outbox of every delivery outcome: staff replies get their ✅ or ⚠️ in the thread. */
  async delivered(
    item: OutboxRecord,
    outcome: { kind: 'sent' } | { kind: 'dead'; error: string },
  ): Promise<void> {
    if (!item.causedBy?.startsWith(REPLY_CAUSE)) return;
    const [caseId, replyId] = item.causedBy.slice(REPLY_CAUSE.length).split(':') as [string, string];
    await this.notify({ id: caseId }, `delivery:${replyId}`, {
      type: 'delivery',
      replyId,
      delivered: outcome.kind === 'sent',
      error: outcome.kind === 'dead' ? outcome.error : undefined,
    });
  }

  private async notify(record: Pick<CaseRecord, 'id'>, cause: string, note: ThreadNote): Promise<void> {
    await this.outbox.notify(
      this.staffChannel,
      { kind: 'thread', caseId: record.id, note },
      `${cause}:${record.id}:${this.now().getTime()}`,
    );
  }

  private async tellResident(
    record: CaseRecord,
    key: string,
    cause: string,
    values: Record<string, string>,
  ): Promise<void> {
    const resident = residentAddress(record);
    if (!resident) return;
    const t = this.translator.forLanguage(record.language);
    await this.outbox.push(
      resident.channel,
      resident.address,
      [{ type: 'text', text: t(key, values) }],
      cause,
    );
  }
}
