import { randomUUID } from 'node:crypto';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { Outbox } from '../outbox.js';
import type { ChannelName } from '../ports/incoming-event.js';
import type { StaffRef } from '../ports/staff-notice.js';
import type { AuditRepository, CaseRecord, CaseRepository } from '../ports/store.js';
import type { Translate } from '../ports/translator.js';
import type { CaseAudit } from './case-audit.js';
import { buildHandoverSheet, canRecordConsent, type HandoverSheet } from './handover-sheet.js';

export type HandoverResult =
  | { kind: 'requested'; record: CaseRecord; consent: boolean }
  | { kind: 'not-found' }
  | { kind: 'unknown-window' };

export interface HandoverDeskOptions {
  cases: Pick<CaseRepository, 'get'>;
  auditLog: Pick<AuditRepository, 'listForCase'>;
  audit: CaseAudit;
  outbox: Pick<Outbox, 'notify'>;
  /** The staff channel whose thread gets the sheet ('slack', or 'local' in the playground). */
  staffChannel: ChannelName;
  config: MunicipalityConfig;
  /** Japanese: the staff language the sheet is written in. */
  t: Translate;
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
