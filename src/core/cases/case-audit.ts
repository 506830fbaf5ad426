import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditRepository, CaseRecord } from '../ports/store.js';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** Appends to the audit log: who, what, when, which case; identifiers and flags only, never text. */
export class CaseAudit {
  constructor(
    private readonly log: AuditRepository,
    private readonly retentionYears: number,
    private readonly now: () => Date,
  ) {}

  async record(
    action: string,
    actor: AuditEntry['actor'],
    record: Pick<CaseRecord, 'id' | 'number'> | undefined,
    details: Record<string, string | number | boolean> = {},
    /** A fixed `id` makes the entry idempotent: appending it again leaves the first one. */
    options: { id?: string } = {},
  ): Promise<void> {
    const at = this.now();
    await this.log.append({
      id: options.id ?? randomUUID(),
      at,
      actor,
      action,
      caseId: record?.id,
      details: record ? { number: record.number, ...details } : details,
      expiresAt: new Date(at.getTime() + this.retentionYears * YEAR_MS),
    });
  }
}
