import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { StaffRef } from '../ports/staff-notice.js';
import type { AuditRepository, CaseRepository } from '../ports/store.js';
import type { Translate } from '../ports/translator.js';
import type { CaseAudit } from './case-audit.js';
import { buildHandoverSheet, type HandoverSheet } from './handover-sheet.js';

export type HandoverResult =
  | { kind: 'produced'; sheet: HandoverSheet }
  | { kind: 'not-found' }
  | { kind: 'unknown-window' };

export interface HandoverDeskOptions {
  cases: Pick<CaseRepository, 'get'>;
  auditLog: Pick<AuditRepository, 'listForCase'>;
  audit: CaseAudit;
  config: MunicipalityConfig;
  /** Japanese: the staff language the sheet is written in. */
  t: Translate;
  now: () => Date;
}

/**
 * Produces つなぐシート on staff's request. Nothing is stored: a sheet is built from the case each
 * time, so erasure and retention of the case take its content with them; the copies a staff channel
 * posts (the thread's Markdown and PDF) are removed with the resident's other content there. The audit
 * says who produced a sheet, for which window and which variant, never what it said.
 */
export class HandoverDesk {
  constructor(private readonly options: HandoverDeskOptions) {}

  async produce(
    caseId: string,
    targetWindowId: string,
    staff: StaffRef,
    consent: boolean,
  ): Promise<HandoverResult> {
    const { cases, auditLog, audit, config, t, now } = this.options;
    if (!config.windows.some((w) => w.id === targetWindowId)) return { kind: 'unknown-window' };
    const record = await cases.get(caseId);
    if (!record) return { kind: 'not-found' };
    const auditTrail = await auditLog.listForCase(record.id);
    const sheet = buildHandoverSheet(
      { record, auditTrail, targetWindowId, consent, producedBy: staff.displayName, now: now() },
      { config, t },
    );
    await audit.record('case.handover-sheet', { kind: 'staff', id: staff.id }, record, {
      window: targetWindowId,
      variant: sheet.variant,
      consent: sheet.variant === 'consented',
    });
    return { kind: 'produced', sheet };
  }
}
