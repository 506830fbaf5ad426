import { personalFieldsIn } from '../cases/intake.js';
import type { AuditRepository, CaseRecord, CaseRepository } from '../ports/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const YEAR_MS = 365 * DAY_MS;

/** Resident keys that no longer point at anyone (see CaseRepository.eraseResident and unlinkResident). */
const UNLINKED_KEY = /^(?:erased|unlinked):/;

/** What the sweep needs from the case store. */
export type RetentionCases = Pick<CaseRepository, 'listByStatus' | 'get' | 'amend' | 'unlinkResident'>;

export interface RetentionSettings {
  retention: { conversationDaysAfterClose: number; auditYears: number };
  areas: ReadonlyArray<{ id: string }>;
}

export interface RetentionSweepOptions {
  cases: RetentionCases;
  audit: AuditRepository;
  config: RetentionSettings;
  /** How many closed cases one run reads (listByStatus returns the oldest first). */
  maxCases?: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Told of each case whose conversation was removed, so copies elsewhere (a Slack thread) go too. */
  onConversationRemoved?: (record: CaseRecord) => Promise<void>;
}

export interface RetentionSweepResult {
  /** Closed cases read. */
  scanned: number;
  /** true when `scanned` hit maxCases: newer closed cases were not looked at in this run. */
  truncated: boolean;
  /** Cases whose own words or free-text answers this run removed. */
  conversationsRemoved: number;
  /** Anonymous neighbour reports this run unlinked from the reporter. */
  reporterLinksRemoved: number;
}

/**
 * Applies the city's retention (config.retention) to closed cases:
 * - the conversation text (the resident's own words, and every answer that is not a fixed id) is
 *   removed `conversationDaysAfterClose` days after the case was closed; window, fields, patterns,
 *   origin, counters and the audit trail stay, so the monthly report still counts the case;
 * - an anonymous neighbour's link to their report (the case's residentKey) is removed at close.
 *
 * The rest needs no sweep: inbox events, sessions, seen ids and audit entries carry `expiresAt`
 * (inbox: retention.inboxDays; audit: retention.auditYears) and the store's TTL indexes remove them
 * (MongoDB's TTL monitor about once a minute; the embedded store when a query touches them; reads
 * never return expired records either way).
 *
 * Safe on several instances at once: a case is only changed when it still holds something to
 * remove, every change is one conditional write (amend's compare-and-set on the version; unlinking
 * only while still linked), and audit entries have deterministic ids, so two sweeps racing write
 * the same result and one audit entry.
 */
export class RetentionSweep {
  private readonly maxCases: number;

  constructor(private readonly options: RetentionSweepOptions) {
    this.maxCases = options.maxCases ?? 100_000;
  }

  async run(now: Date): Promise<RetentionSweepResult> {
    const { cases, config } = this.options;
    const closed = await cases.listByStatus('closed', this.maxCases);
    const cutoff = now.getTime() - config.retention.conversationDaysAfterClose * DAY_MS;
    const result: RetentionSweepResult = {
      scanned: closed.length,
      truncated: closed.length >= this.maxCases,
      conversationsRemoved: 0,
      reporterLinksRemoved: 0,
    };
    for (const record of closed) {
      if (!record.closedAt) continue;
      if (record.closedAt.getTime() <= cutoff && (await this.removeConversation(record, cutoff, now))) {
        result.conversationsRemoved++;
        await this.options.onConversationRemoved?.(record);
      }
      if (needsUnlink(record) && (await this.unlinkReporter(record, now))) result.reporterLinksRemoved++;
    }
    if (result.truncated) {
      this.options.log?.warn({ scanned: result.scanned }, 'retention: more closed cases than one run reads');
    }
    this.options.log?.info({ ...result }, 'retention sweep done');
    return result;
  }

  /** What removing the conversation would change; undefined when there is nothing left to remove. */
  private removal(record: CaseRecord) {
    // The intake's personal fields go; its anonymous ones (ids from fixed lists) stay.
    const dropped = personalFieldsIn(record.answers);
    const words = record.ownWords !== undefined;
    if (!words && dropped.length === 0) return undefined;
    return { words, dropped };
  }

  private async removeConversation(listed: CaseRecord, cutoff: number, now: Date): Promise<boolean> {
    // Read again just before writing: a case reopened since the list keeps its conversation.
    const record = await this.options.cases.get(listed.id);
    if (record?.status !== 'closed' || !record.closedAt || record.closedAt.getTime() > cutoff) {
      return false;
    }
    const removal = this.removal(record);
    if (!removal) return false;
    const amended = await this.options.cases.amend(
      record.id,
      {
        ...(removal.words ? { ownWords: null } : {}),
        answers: Object.fromEntries(removal.dropped.map((key) => [key, undefined])),
      },
      now,
    );
    if (!amended) return false;
    await this.audit(record, 'case.conversation-removed', `conversation:${record.closedAt.getTime()}`, now, {
      ownWords: removal.words,
      answers: removal.dropped.length,
    });
    return true;
  }

  private async unlinkReporter(record: CaseRecord, now: Date): Promise<boolean> {
    if (!(await this.options.cases.unlinkResident(record.id, now))) return false;
    await this.audit(record, 'case.reporter-unlinked', 'reporter-link', now, {});
    return true;
  }

  /** The id is derived from what happened, so a second sweep doing the same thing appends nothing. */
  private async audit(
    record: CaseRecord,
    action: string,
    what: string,
    at: Date,
    details: Record<string, string | number | boolean>,
  ): Promise<void> {
    await this.options.audit.append({
      id: `retention:${record.id}:${what}`,
      at,
      actor: { kind: 'system', id: 'retention' },
      action,
      caseId: record.id,
      details: { number: record.number, ...details },
      expiresAt: new Date(at.getTime() + this.options.config.retention.auditYears * YEAR_MS),
    });
  }
}

function needsUnlink(record: CaseRecord): boolean {
  return record.origin === 'neighbour' && record.anonymous && !UNLINKED_KEY.test(record.residentKey);
}
