import type { Logger } from '../../logger.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { Outbox } from '../outbox.js';
import type { ChannelName } from '../ports/incoming-event.js';
import type { CaseRecord, CaseRepository, TimerRepository } from '../ports/store.js';
import type { CaseAudit } from './case-audit.js';

const MINUTE_MS = 60_000;
const KIND = 'escalation';

/**
 * Durable escalation timers: a case nobody has accepted in time is announced again with the
 * on-call group (level 1), then to the supervisor channel (level 2). Due times live in the store,
 * so they survive restarts, and a timer is claimed by one instance only, so it fires once. A case is
 * never silently dropped: it stays pending and visible until someone acts.
 */
export class EscalationTimers {
  constructor(
    private readonly timers: TimerRepository,
    private readonly cases: CaseRepository,
    private readonly config: MunicipalityConfig,
    private readonly outbox: Outbox,
    private readonly staffChannel: ChannelName,
    private readonly audit: CaseAudit,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** (Re)schedules both levels for a pending case, from now, with the urgency it has now. */
  async schedule(record: CaseRecord): Promise<void> {
    const { pendingMinutes, urgentPendingMinutes, supervisorMinutes } = this.config.escalation;
    const first = record.urgent ? urgentPendingMinutes : pendingMinutes;
    // Urgent cases reach the supervisor sooner, in the same proportion.
    const second = Math.max(first + 1, Math.round((supervisorMinutes * first) / pendingMinutes));
    const from = this.now().getTime();
    const round = `${record.version}-${from}`;
    await this.timers.cancelForCase(record.id, KIND);
    for (const [level, minutes] of [
      [1, first],
      [2, second],
    ] as const) {
      await this.timers.schedule(
        {
          id: `${KIND}:${record.id}:${round}:${level}`,
          caseId: record.id,
          kind: KIND,
          dueAt: new Date(from + minutes * MINUTE_MS),
          data: { level, waitingMinutes: minutes },
        },
        this.now(),
      );
    }
  }

  async cancel(caseId: string): Promise<void> {
    await this.timers.cancelForCase(caseId, KIND);
  }

  /** Fires what is due. Safe to call from every instance at once. Returns how many fired. */
  async fireDue(limit = 50): Promise<number> {
    let fired = 0;
    for (const timer of await this.timers.due(this.now(), limit, [KIND])) {
      if (!(await this.timers.claim(timer.id, this.now()))) continue;
      const record = await this.cases.get(timer.caseId);
      if (record?.status !== 'pending') continue;
      const level = timer.data?.level === 2 ? 2 : 1;
      const waitingMinutes = Math.round((this.now().getTime() - record.createdAt.getTime()) / MINUTE_MS);
      await this.outbox.notify(
        this.staffChannel,
        { kind: 'thread', caseId: record.id, note: { type: 'escalation', level, waitingMinutes } },
        `escalation:${timer.id}`,
      );
      await this.audit.record('case.escalated', { kind: 'system' }, record, { level });
      this.logger.warn({ caseNumber: record.number, level, waitingMinutes }, 'case still waiting: escalated');
      fired++;
    }
    return fired;
  }
}
