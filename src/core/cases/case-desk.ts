import { randomUUID } from 'node:crypto';
import type { ChannelName } from '../incoming-event.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import { isOpen } from '../municipality/opening-hours.js';
import { nameBasedUuid } from '../outbox.js';
import type {
  AuditEntry,
  AuditRepository,
  CaseAmendment,
  CaseOrigin,
  CaseRecord,
  CaseRepository,
} from '../store.js';
import type { HandoffListener } from './handoff-listener.js';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export interface CaseRequest {
  /** Makes opening idempotent: the same cause (an inbox event) never opens two cases. */
  cause: string;
  residentKey: string;
  channel: ChannelName;
  origin: CaseOrigin;
  anonymous: boolean;
  windowId: string;
  fields: string[];
  patterns: string[];
  urgent: boolean;
  language: string;
  answers: Record<string, unknown>;
  ownWords?: string | undefined;
}

/**
 * The case lifecycle's entry: opens cases, completes them, marks them urgent, and tells the
 * handoff side (Slack) each time. Every change is audited, with ids and flags only.
 */
export class CaseDesk {
  constructor(
    private readonly cases: CaseRepository,
    private readonly auditLog: AuditRepository,
    private readonly config: MunicipalityConfig,
    private readonly handoff: HandoffListener,
    private readonly now: () => Date = () => new Date(),
  ) {}

  windowOf(record: Pick<CaseRecord, 'windowId'>) {
    return this.config.windows.find((w) => w.id === record.windowId);
  }

  isWindowOpen(windowId: string): boolean {
    const window = this.config.windows.find((w) => w.id === windowId);
    return window ? isOpen(window, this.now(), this.config.timezone) : false;
  }

  async open(request: CaseRequest): Promise<CaseRecord> {
    const id = nameBasedUuid(`case:${request.cause}`);
    const existing = await this.cases.get(id);
    if (existing) return existing;
    const at = this.now();
    const record = await this.cases.create({
      id,
      residentKey: request.residentKey,
      channel: request.channel,
      origin: request.origin,
      anonymous: request.anonymous,
      windowId: request.windowId,
      fields: request.fields,
      patterns: request.patterns,
      urgent: request.urgent,
      language: request.language,
      answers: request.answers,
      ownWords: request.ownWords,
      createdAt: at,
    });
    await this.record('case.opened', record, {
      urgent: record.urgent,
      window: record.windowId,
      origin: record.origin,
    });
    await this.handoff.caseOpened(record, { afterHours: !this.isWindowOpen(record.windowId) });
    return record;
  }

  /** The intake finished on a case that a crisis opened earlier: staff get the full picture. */
  async complete(id: string, changes: CaseAmendment): Promise<CaseRecord | null> {
    const record = await this.cases.amend(id, changes, this.now());
    if (!record) return null;
    await this.record('case.intake-completed', record, { window: record.windowId });
    await this.handoff.caseUpdated(record, 'intake-completed');
    return record;
  }

  /** A crisis in an open case: it becomes urgent at once and staff are told again. */
  async markCrisis(id: string, ownWords: string | undefined): Promise<CaseRecord | null> {
    const current = await this.cases.get(id);
    if (!current) return null;
    const words = ownWords ? [current.ownWords, ownWords].filter(Boolean).join('\n') : undefined;
    const record = await this.cases.amend(
      id,
      { urgent: true, ...(words ? { ownWords: words } : {}) },
      this.now(),
    );
    if (!record) return null;
    await this.record('case.crisis-detected', record, { window: record.windowId });
    await this.handoff.caseUpdated(record, 'crisis');
    return record;
  }

  async get(id: string): Promise<CaseRecord | null> {
    return this.cases.get(id);
  }

  casesOf(residentKey: string): Promise<CaseRecord[]> {
    return this.cases.listByResident(residentKey);
  }

  /** Erases a resident's personal data from their cases; staff see that it happened. */
  async eraseResident(residentKey: string): Promise<number> {
    const cases = await this.cases.listByResident(residentKey);
    const count = await this.cases.eraseResident(residentKey, this.now());
    for (const record of cases) await this.record('case.data-erased', record, {});
    return count;
  }

  audit(entry: AuditEntry): Promise<void> {
    return this.auditLog.append(entry);
  }

  private async record(
    action: string,
    record: CaseRecord,
    details: Record<string, string | number | boolean>,
  ) {
    const at = this.now();
    await this.auditLog.append({
      id: randomUUID(),
      at,
      actor: { kind: 'system' },
      action,
      caseId: record.id,
      details: { number: record.number, ...details },
      expiresAt: new Date(at.getTime() + this.config.retention.auditYears * YEAR_MS),
    });
  }
}
