import { randomUUID } from 'node:crypto';
import { encodeChoice } from '../conversation/choice-data.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { Outbox } from '../outbox.js';
import type { ChannelName } from '../ports/incoming-event.js';
import type { StaffRef } from '../ports/staff-notice.js';
import type { AuditRepository, CaseRecord, CaseRepository } from '../ports/store.js';
import type { Translate, Translator } from '../ports/translator.js';
import { residentAddress } from './case-actions.js';
import type { CaseAudit } from './case-audit.js';
import { buildHandoverSheet, canRecordConsent, type HandoverSheet } from './handover-sheet.js';

export type HandoverResult =
  | { kind: 'requested'; record: CaseRecord; consent: boolean }
  | { kind: 'not-found' }
  | { kind: 'unknown-window' };

export type ConsentQuestionResult =
  | { kind: 'asked'; record: CaseRecord }
  | { kind: 'not-found' }
  | { kind: 'unknown-window' }
  /** A neighbour report, an anonymous or erased case, or one whose resident cannot be written to. */
  | { kind: 'cannot-ask' }
  /** The resident already answered for this window: their answer stands. */
  | { kind: 'already-answered'; answer: 'yes' | 'no' };

export interface HandoverDeskOptions {
  cases: Pick<CaseRepository, 'get' | 'amend'>;
  auditLog: Pick<AuditRepository, 'listForCase'>;
  audit: CaseAudit;
  outbox: Pick<Outbox, 'notify' | 'push'>;
  /** The staff channel whose thread gets the sheet ('slack', or 'local' in the playground). */
  staffChannel: ChannelName;
  config: MunicipalityConfig;
  /** Japanese: the staff language the sheet is written in. */
  t: Translate;
  /** The resident's language, for the consent question. */
  translator: Pick<Translator, 'forLanguage'>;
  now: () => Date;
}

/**
 * つなぐシート on staff's request. The request is audited (who, for which window, which variant;
 * never what the sheet says) and travels as a staff notice through the durable outbox, behind the
 * case's earlier notices: after a reroute it lands in the receiving window's new thread. The staff
 * channel builds the sheet from the case when it delivers (`build`). Nothing is stored: erasure and
 * retention of the case take its content with them, and the thread copies are resident content that
 * the staff channel removes with the rest.
 */
export class HandoverDesk {
  constructor(private readonly options: HandoverDeskOptions) {}

  async request(
    caseId: string,
    targetWindowId: string,
    staff: StaffRef,
    consent: boolean,
    /** Makes a request delivered twice (a Slack retry) produce one sheet. */
    requestId: string = randomUUID(),
  ): Promise<HandoverResult> {
    const { cases, audit, config, outbox, staffChannel } = this.options;
    if (!config.windows.some((w) => w.id === targetWindowId)) return { kind: 'unknown-window' };
    const record = await cases.get(caseId);
    if (!record) return { kind: 'not-found' };
    const consented = consent && canRecordConsent(record);
    await audit.record(
      'case.handover-sheet',
      { kind: 'staff', id: staff.id },
      record,
      { window: targetWindowId, variant: consented ? 'consented' : 'support-meeting', consent: consented },
      { id: `handover:${requestId}` },
    );
    await outbox.notify(
      staffChannel,
      {
        kind: 'thread',
        caseId: record.id,
        note: {
          type: 'handover-sheet',
          windowId: targetWindowId,
          consent: consented,
          staffId: staff.id,
          staffName: staff.displayName,
        },
      },
      `handover:${requestId}`,
    );
    return { kind: 'requested', record, consent: consented };
  }

  /**
   * Asks the resident on their own channel, in their language, whether the case may be shared with
   * `targetWindowId`: one message with a yes and a no button, through the outbox. Only a case whose
   * resident spoke for themselves, named themselves and can be reached may be asked (the rule of
   * canRecordConsent). Staff are told in the thread; the audit names who asked for which window.
   */
  async askConsent(
    caseId: string,
    targetWindowId: string,
    staff: StaffRef,
    /** Makes a request delivered twice (a Slack retry) ask once. */
    requestId: string = randomUUID(),
  ): Promise<ConsentQuestionResult> {
    const { cases, audit, config, outbox, staffChannel, translator, now } = this.options;
    const window = config.windows.find((w) => w.id === targetWindowId);
    if (!window) return { kind: 'unknown-window' };
    const current = await cases.get(caseId);
    if (!current) return { kind: 'not-found' };
    const resident = residentAddress(current);
    if (!canRecordConsent(current) || !resident) return { kind: 'cannot-ask' };
    const previous = current.handoverConsent?.[targetWindowId];
    if (previous === 'yes' || previous === 'no') return { kind: 'already-answered', answer: previous };
    const record =
      previous === 'asked'
        ? current
        : await cases.amend(
            caseId,
            { handoverConsent: { ...current.handoverConsent, [targetWindowId]: 'asked' } },
            now(),
          );
    if (!record) return { kind: 'not-found' };
    await audit.record(
      'case.handover-consent-asked',
      { kind: 'staff', id: staff.id },
      record,
      { window: targetWindowId },
      { id: `consent-ask:${requestId}` },
    );
    const t = translator.forLanguage(record.language);
    const choice = (answer: 'yes' | 'no') => ({
      kind: 'choice' as const,
      label: t(`handover.ask.${answer}`),
      data: encodeChoice({ kind: 'consent', answer, caseId: record.id, window: targetWindowId }),
    });
    const names: Record<string, string | undefined> = window.names;
    const windowName = names[record.language] ?? window.names.ja;
    await outbox.push(
      resident.channel,
      resident.address,
      [
        {
          type: 'text',
          text: t('handover.ask.question', { window: windowName }),
          quickReplies: [choice('yes'), choice('no')],
        },
      ],
      `consent-ask:${requestId}`,
    );
    await outbox.notify(
      staffChannel,
      {
        kind: 'thread',
        caseId: record.id,
        note: { type: 'consent-asked', windowId: targetWindowId, staffId: staff.id },
      },
      `consent-ask-note:${requestId}`,
    );
    return { kind: 'asked', record };
  }

  /**
   * The resident's tap on the consent question: recorded on the case and audited, then the sheet for
   * that window is produced (consented on yes, 支援会議 on no). False for a tap that is stale (never
   * asked, already answered, someone else's case): it changes nothing.
   */
  async answerConsent(
    caseId: string,
    targetWindowId: string,
    residentKey: string,
    answer: 'yes' | 'no',
  ): Promise<boolean> {
    const { cases, audit, auditLog, now } = this.options;
    const current = await cases.get(caseId);
    if (!current || current.residentKey !== residentKey) return false;
    if (current.handoverConsent?.[targetWindowId] !== 'asked') return false;
    const record = await cases.amend(
      caseId,
      { handoverConsent: { ...current.handoverConsent, [targetWindowId]: answer } },
      now(),
    );
    if (!record) return false;
    await audit.record(
      'case.handover-consent-answered',
      { kind: 'resident' },
      record,
      { window: targetWindowId, consent: answer === 'yes' },
      { id: `consent-answer:${caseId}:${targetWindowId}` },
    );
    // The sheet goes out in the name of whoever asked; one sheet per answer, however often it is tapped.
    const asked = (await auditLog.listForCase(caseId))
      .filter((e) => e.action === 'case.handover-consent-asked' && e.details?.window === targetWindowId)
      .at(-1);
    const staff: StaffRef = { id: asked?.actor.id ?? 'resident' };
    await this.request(
      caseId,
      targetWindowId,
      staff,
      answer === 'yes',
      `consent:${caseId}:${targetWindowId}`,
    );
    return true;
  }

  /** The sheet as it reads now (the case's current state and audit trail). */
  async build(
    record: CaseRecord,
    targetWindowId: string,
    consent: boolean,
    producedBy?: string | undefined,
  ): Promise<HandoverSheet> {
    const { auditLog, config, t, now } = this.options;
    const auditTrail = await auditLog.listForCase(record.id);
    return buildHandoverSheet(
      { record, auditTrail, targetWindowId, consent, producedBy, now: now() },
      { config, t },
    );
  }
}
