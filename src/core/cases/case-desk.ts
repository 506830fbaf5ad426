import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import { isOpen } from '../municipality/opening-hours.js';
import { nameBasedUuid } from '../outbox.js';
import type { HandoffListener } from '../ports/handoff-listener.js';
import type { CaseAmendment, CaseRecord, CaseRepository, NewCase } from '../ports/store.js';
import type { CaseAudit } from './case-audit.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A case to open; `cause` makes opening idempotent: the same cause (an inbox event) never opens two. */
export type CaseRequest = Omit<NewCase, 'id' | 'createdAt' | 'expiresAt'> & { cause: string };

/**
 * The resident's side of the case lifecycle: opening, completing, crisis, reopening, rating and
 * erasure. Each change is audited and handed to the staff side (HandoffListener).
 */
export class CaseDesk {
  constructor(
    private readonly cases: CaseRepository,
    private readonly audit: CaseAudit,
    private readonly config: MunicipalityConfig,
    private readonly handoff: HandoffListener,
    private readonly now: () => Date = () => new Date(),
    /** Pseudonymises a resident key for the audit log (a keyed hash). */
    private readonly hashId?: (key: string) => string,
  ) {}

  isWindowOpen(windowId: string): boolean {
    const window = this.config.windows.find((w) => w.id === windowId);
    return window ? isOpen(window, this.now(), this.config.timezone) : false;
  }

  get(id: string): Promise<CaseRecord | null> {
    return this.cases.get(id);
  }

  casesOf(residentKey: string): Promise<CaseRecord[]> {
    return this.cases.listByResident(residentKey);
  }

  async open(request: CaseRequest): Promise<CaseRecord> {
    const id = nameBasedUuid(`case:${request.cause}`);
    const existing = await this.cases.get(id);
    if (existing) return existing;
    const { cause: _cause, ...fields } = request;
    const record = await this.cases.create({ id, ...fields, createdAt: this.now() });
    await this.audit.record('case.opened', { kind: 'system' }, record, {
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
    await this.audit.record('case.intake-completed', { kind: 'system' }, record, { window: record.windowId });
    await this.handoff.caseUpdated(record, 'intake-completed');
    return record;
  }

  /** A crisis in an open case: it becomes urgent at once and staff are told again. */
  async markCrisis(id: string, ownWords: string | undefined): Promise<CaseRecord | null> {
    const current = await this.cases.get(id);
    if (!current || current.status === 'closed') return current;
    const words = ownWords ? [current.ownWords, ownWords].filter(Boolean).join('\n') : undefined;
    const record = await this.cases.amend(
      id,
      { urgent: true, ...(words ? { ownWords: words } : {}) },
      this.now(),
    );
    if (!record) return null;
    await this.audit.record('case.crisis-detected', { kind: 'system' }, record, { window: record.windowId });
    await this.handoff.caseUpdated(record, 'crisis');
    return record;
  }

  /** Whether the resident writing again brings this closed case back (within the city's reopenDays). */
  canReopen(record: CaseRecord): boolean {
    return (
      record.status === 'closed' &&
      record.closedAt !== undefined &&
      this.now().getTime() - record.closedAt.getTime() <= this.config.reopenDays * DAY_MS
    );
  }

  async reopen(record: CaseRecord): Promise<CaseRecord | null> {
    // Back to the person who had it, if anyone; otherwise it waits for someone again.
    const reopened = await this.cases.transition(
      record.id,
      ['closed'],
      {
        status: record.assignee ? 'assigned' : 'pending',
        closedAt: undefined,
        reopenCount: record.reopenCount + 1,
      },
      this.now(),
    );
    if (!reopened) return null;
    await this.audit.record('case.reopened', { kind: 'resident' }, reopened);
    await this.handoff.caseReopened(reopened);
    return reopened;
  }

  async rate(caseId: string, residentKey: string, score: number): Promise<boolean> {
    const current = await this.cases.get(caseId);
    if (!current || current.residentKey !== residentKey || current.satisfaction !== undefined) return false;
    const record = await this.cases.amend(caseId, { satisfaction: score }, this.now());
    if (!record) return false;
    await this.audit.record('case.rated', { kind: 'resident' }, record, { score });
    return true;
  }

  /** Erases a resident's personal data from their cases; staff see that it happened. */
  async eraseResident(residentKey: string): Promise<number> {
    const cases = await this.cases.listByResident(residentKey);
    const count = await this.cases.eraseResident(residentKey, this.now());
    for (const record of cases) {
      await this.audit.record('case.data-erased', { kind: 'resident' }, record);
      await this.handoff.caseErased(record);
    }
    // A keyed hash, never the key itself: the entry proves that this resident's data was erased to
    // whoever holds the key and the resident's id, and to no one else.
    await this.audit.record('resident.data-erased', { kind: 'resident' }, undefined, {
      cases: count,
      ...(this.hashId ? { resident: this.hashId(residentKey) } : {}),
    });
    return count;
  }
}
