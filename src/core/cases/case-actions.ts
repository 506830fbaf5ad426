import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import { nameBasedUuid, type Outbox } from '../outbox.js';
import type { ChannelName } from '../ports/incoming-event.js';
import type { StaffRef, ThreadNote } from '../ports/staff-notice.js';
import type { CaseRecord, CaseRepository, OutboxRecord } from '../ports/store.js';
import type { Translator } from '../ports/translator.js';
import type { CaseAudit } from './case-audit.js';
import type { EscalationTimers } from './escalation-timers.js';
import { ratingChoices } from './rating-choices.js';

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
  /** Longer than the resident's channel takes once wrapped; `limit` is what may be sent. */
  | { kind: 'too-long'; limit: number }
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

/** `staff-reply:<case id>:<reply id>:<staff id>`: the outbox item carries who wrote it to its delivery. */
const REPLY_CAUSE = 'staff-reply:';
/** How a staff reply reaches the resident: the text inside this wrapper ("市の担当者より:\n…"). */
const REPLY_WRAPPER_KEY = 'handoff.staff-says';

/**
 * What staff do with a case, whichever staff channel they use. Every outcome is a value; the one
 * write that decides (accept) is a single conditional update, so exactly one person owns a case.
 * Who may act is the staff channel's business (a Slack user group): by the time a call lands here,
 * the caller was checked.
 */
export class CaseActions {
  /**
   * The longest staff reply (in UTF-16 code units, as the channels count) that still fits the
   * resident's channel once wrapped, in whichever language the resident reads.
   */
  readonly replyLimit: number;

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
    /** The longest text one message to a resident may carry (LINE: 5,000). */
    residentTextLimit = 5_000,
  ) {
    this.replyLimit = maxReplyLength(translator, residentTextLimit);
  }

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
    // The resident hears which window has their case now, in their language.
    const window = this.config.windows.find((w) => w.id === toWindowId);
    const names = window?.names as Partial<Record<string, string>> | undefined;
    await this.tellResident(record, 'handoff.rerouted', `rerouted:${record.id}:${record.version}`, {
      window: names?.[record.language] ?? names?.ja ?? toWindowId,
    });
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

  /**
   * Sends staff's words to the resident, through the outbox; the thread gets a delivery mark later.
   * The audit entry is written when the outbox confirms delivery (see delivered), not here: a reply
   * submitted twice, or one that never arrives, is not a reply sent.
   */
  async reply(caseId: string, staff: StaffRef, text: string, replyId: string): Promise<ReplyResult> {
    if (text.length > this.replyLimit) return { kind: 'too-long', limit: this.replyLimit };
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
      [{ type: 'text', text: t(REPLY_WRAPPER_KEY, { text }) }],
      `${REPLY_CAUSE}${caseId}:${replyId}:${staff.id}`,
    );
    return { kind: 'queued', replyId };
  }

  /**
   * Told by the outbox of every delivery outcome: staff replies get their ✅ or ⚠️ in the thread, and
   * the audit log one `case.reply-sent` (or `case.reply-failed`) per reply. Its id is fixed by the
   * outbox item, so telling this twice writes it once.
   */
  async delivered(
    item: OutboxRecord,
    outcome: { kind: 'sent' } | { kind: 'dead'; error: string },
  ): Promise<void> {
    const reply = parseReplyCause(item.causedBy);
    if (!reply) return;
    const { caseId, replyId, staffId } = reply;
    const record = await this.cases.get(caseId);
    const action = outcome.kind === 'sent' ? 'case.reply-sent' : 'case.reply-failed';
    await this.audit.record(
      action,
      { kind: 'staff', id: staffId },
      record ?? undefined,
      record ? { replyId } : { replyId, caseId },
      { id: nameBasedUuid(`audit:${action}:${item.id}`) },
    );
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

/** The longest reply that fits `limit` once wrapped, in the language with the longest wrapper. */
function maxReplyLength(translator: Translator, limit: number): number {
  const wrappers = translator.languages.map(
    (language) => translator.forLanguage(language)(REPLY_WRAPPER_KEY, { text: '' }).length,
  );
  return limit - Math.max(0, ...wrappers);
}

/** The case, reply and staff member of a staff reply's outbox item (items queued before the staff id was added have none). */
function parseReplyCause(
  cause: string | undefined,
): { caseId: string; replyId: string; staffId: string | undefined } | undefined {
  if (!cause?.startsWith(REPLY_CAUSE)) return undefined;
  const [caseId, replyId, staffId] = cause.slice(REPLY_CAUSE.length).split(':');
  if (!caseId || !replyId) return undefined;
  return { caseId, replyId, staffId: staffId || undefined };
}
