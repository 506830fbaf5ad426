import { randomInt } from 'node:crypto';
import type { Logger } from '../../logger.js';
import { residentAddress } from '../cases/case-actions.js';
import type { CaseAudit } from '../cases/case-audit.js';
import type { CaseDesk } from '../cases/case-desk.js';
import type { EscalationTimers } from '../cases/escalation-timers.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import { nameBasedUuid, type Outbox } from '../outbox.js';
import type { HandoffListener } from '../ports/handoff-listener.js';
import type { ChannelName } from '../ports/incoming-event.js';
import type { StaffRef } from '../ports/staff-notice.js';
import type {
  CaseRecord,
  CaseRepository,
  CheckInAnswer,
  CheckInRecord,
  SessionRepository,
  TimerRecord,
  TimerRepository,
  WatchChanges,
  WatchPlan,
  WatchRecord,
  WatchRepository,
} from '../ports/store.js';
import type { Translator } from '../ports/translator.js';
import type { WatchNote, WatchOutcome } from '../ports/watch-notice.js';
import { checkInMessage, consentMessage, residentNotice } from './watch-messages.js';
import { answerDeadline, checkInId, nextCheckIn, watchIdOf } from './watch-plan.js';
import { missedStreak } from './watch-streak.js';

const MINUTE_MS = 60_000;
/** Watcher codes: no 0/O or 1/I to misread; valid this long. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const WATCHER_CODE_HOURS = 24;
export const WATCHER_CODE = /^[A-HJ-NP-Z2-9]{6}$/;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** The durable timers of 見守り: the next check-in, and the end of a sent one's wait for an answer. */
export const WATCH_TIMER_KINDS = { checkIn: 'watch-checkin', close: 'watch-close' } as const;

export interface WatchDeskDeps {
  watches: WatchRepository;
  timers: TimerRepository;
  cases: CaseRepository;
  sessions: SessionRepository;
  outbox: Outbox;
  /** Where staff hear of it; without one, 見守り cannot be offered (nobody would be alerted). */
  staffChannel: ChannelName;
  audit: CaseAudit;
  desk: CaseDesk;
  handoff: HandoffListener;
  escalation: EscalationTimers;
  config: MunicipalityConfig;
  translator: Translator;
  logger: Logger;
  now: () => Date;
}

export type ProposeResult =
  | { kind: 'proposed'; watch: WatchRecord }
  | { kind: 'not-found' | 'unreachable' | 'already-active' };
export type ResidentResult<T extends string> = { kind: T; watch: WatchRecord } | { kind: 'gone' };
export type AnswerResult =
  | { kind: 'answered'; answer: CheckInAnswer; record: CaseRecord | null; windowOpen: boolean }
  | { kind: 'gone' };
export type OutcomeResult = { kind: 'recorded'; watch: WatchRecord | null } | { kind: 'not-found' };

/**
 * 見守り: gentle check-ins tied to a case. Staff offer it, the resident agrees, check-ins follow the
 * plan on the city's wall clock; answers reach the case, a streak of misses alerts the window.
 *
 * Every occurrence is a durable timer in the store, one pending per watch at a time (check-in, then
 * its answer deadline, then the next check-in), so a watch's steps never race each other. A step's
 * work is idempotent (the check-in record is keyed by watch and due time, the push and the notices
 * by fixed causes, the next timer by a fixed id) and the timer is claimed once the work is done: a
 * crash in between redoes the step, never a second message, and an occurrence is never skipped.
 */
export class WatchDesk {
  constructor(private readonly deps: WatchDeskDeps) {}

  private get now(): Date {
    return this.deps.now();
  }

  // ------------------------------------------------------------ staff side

  isOpen(windowId: string): boolean {
    return this.deps.desk.isWindowOpen(windowId);
  }

  async get(caseId: string): Promise<WatchRecord | null> {
    return this.deps.watches.get(caseId);
  }

  async history(caseId: string): Promise<CheckInRecord[]> {
    return this.deps.watches.listCheckIns(caseId);
  }

  /** Staff offer 見守り on a case (validated plan): the resident is asked, in their language. */
  async propose(caseId: string, plan: WatchPlan, staff: StaffRef): Promise<ProposeResult> {
    const record = await this.deps.cases.get(caseId);
    if (!record) return { kind: 'not-found' };
    const resident = residentAddress(record);
    if (!resident || record.erasedAt) return { kind: 'unreachable' };
    const existing = await this.deps.watches.get(caseId);
    if (existing?.status === 'active') return { kind: 'already-active' };
    const watch = await this.deps.watches.put(
      {
        id: caseId,
        caseId,
        residentKey: record.residentKey,
        language: record.language,
        plan,
        status: 'proposed',
        proposedBy: staff.id,
        createdAt: this.now,
      },
      this.now,
    );
    await this.auditWatch('watch.proposed', { kind: 'staff', id: staff.id }, record, {
      frequency: plan.frequency.kind,
      slot: plan.slot,
      durationDays: plan.durationDays,
      missThreshold: plan.missThreshold,
    });
    const stamp = this.now.getTime();
    await this.note(caseId, { kind: 'proposed', staffId: staff.id, plan }, `proposed:${stamp}`);
    const t = this.deps.translator.forLanguage(record.language);
    await this.deps.outbox.push(
      resident.channel,
      resident.address,
      [consentMessage(watch, t)],
      `watch-consent:${caseId}:${stamp}`,
    );
    return { kind: 'proposed', watch };
  }

  /** 訪問した / 電話で確認 / 入院中 / 終了, after an alert. 入院中 pauses; 終了 stops. */
  async recordOutcome(caseId: string, outcome: WatchOutcome, staff: StaffRef): Promise<OutcomeResult> {
    const record = await this.deps.cases.get(caseId);
    if (!record) return { kind: 'not-found' };
    await this.auditWatch('watch.outcome', { kind: 'staff', id: staff.id }, record, { outcome });
    await this.note(caseId, { kind: 'outcome', outcome, staffId: staff.id }, `outcome:${this.now.getTime()}`);
    const watch = await this.deps.watches.get(caseId);
    if (watch && outcome === 'ended') {
      await this.end(watch, { kind: 'staff', id: staff.id }, 'watch.stopped-by-staff');
      return { kind: 'recorded', watch: null };
    }
    if (watch?.status === 'active' && outcome === 'hospital') {
      const until = new Date(this.now.getTime() + this.deps.config.watch.pauseDays * 2 * DAY_MS);
      return { kind: 'recorded', watch: await this.reschedule(watch, { pausedUntil: until }) };
    }
    return { kind: 'recorded', watch };
  }

  // ------------------------------------------------------------ resident side

  /** The resident's 見守り (the newest), if any. */
  async ofResident(residentKey: string): Promise<WatchRecord | null> {
    const watches = await this.deps.watches.listByResident(residentKey);
    return watches.at(-1) ?? null;
  }

  /** A sent check-in still waiting for the resident's answer, if any. */
  async openCheckIn(residentKey: string): Promise<CheckInRecord | null> {
    const watch = await this.ofResident(residentKey);
    if (watch?.status !== 'active') return null;
    const last = (await this.deps.watches.listCheckIns(watch.id))
      .filter((c) => c.status !== 'skipped')
      .at(-1);
    return last?.status === 'sent' ? last : null;
  }

  async agree(watchId: string, residentKey: string): Promise<ResidentResult<'agreed' | 'already'>> {
    const watch = await this.ownWatch(watchId, residentKey);
    if (!watch) return { kind: 'gone' };
    if (watch.status === 'active') return { kind: 'already', watch };
    const startedAt = this.now;
    const endsAt = new Date(startedAt.getTime() + watch.plan.durationDays * DAY_MS);
    const active = await this.deps.watches.change(
      watch.id,
      watch.round,
      { status: 'active', startedAt, endsAt },
      this.now,
    );
    if (!active) return { kind: 'gone' };
    await this.scheduleCheckIn(active, this.firstAfter(active, startedAt));
    await this.auditWatch('watch.agreed', { kind: 'resident' }, { id: watch.caseId });
    await this.note(watch.caseId, { kind: 'agreed' }, `agreed:${active.round}`);
    return { kind: 'agreed', watch: active };
  }

  async decline(watchId: string, residentKey: string): Promise<ResidentResult<'declined'>> {
    const watch = await this.ownWatch(watchId, residentKey);
    if (!watch) return { kind: 'gone' };
    await this.deps.watches.delete(watch.id);
    await this.cancelTimers(watch.caseId);
    await this.auditWatch('watch.declined', { kind: 'resident' }, { id: watch.caseId });
    await this.note(watch.caseId, { kind: 'declined' }, `declined:${watch.round}`);
    return { kind: 'declined', watch };
  }

  /**
   * An answer to a check-in (a button, or words: `wrote`). 少し心配 / 話したい / words reach the case's
   * window as a new message on the case, which is reopened if it was closed.
   */
  async answer(checkIn: string, answer: CheckInAnswer, residentKey: string): Promise<AnswerResult> {
    const watch = await this.ownWatch(watchIdOf(checkIn), residentKey);
    if (!watch) return { kind: 'gone' };
    const settled = await this.deps.watches.settleCheckIn(checkIn, ['sent', 'missed'], {
      status: 'answered',
      answer,
      answeredAt: this.now,
    });
    if (settled) {
      await this.auditWatch(
        'watch.answered',
        { kind: 'resident' },
        { id: watch.caseId },
        {
          answer,
          late:
            settled.dueAt.getTime() + this.deps.config.watch.answerHours * 60 * MINUTE_MS <
            this.now.getTime(),
        },
      );
    }
    if (answer === 'fine') return { kind: 'answered', answer, record: null, windowOpen: true };
    let record = await this.deps.cases.get(watch.caseId);
    if (record?.status === 'closed') record = (await this.deps.desk.reopen(record)) ?? record;
    if (answer !== 'wrote' && record)
      await this.note(record.id, { kind: 'answer', answer }, `answer:${checkIn}:${answer}`);
    const windowOpen = record ? this.deps.desk.isWindowOpen(record.windowId) : false;
    return { kind: 'answered', answer, record, windowOpen };
  }

  async pause(watchId: string, residentKey: string): Promise<ResidentResult<'paused'>> {
    const watch = await this.ownWatch(watchId, residentKey);
    if (watch?.status !== 'active') return { kind: 'gone' };
    const until = new Date(this.now.getTime() + this.deps.config.watch.pauseDays * DAY_MS);
    const changed = await this.reschedule(watch, { pausedUntil: until });
    if (!changed) return { kind: 'gone' };
    await this.auditWatch('watch.paused', { kind: 'resident' }, { id: watch.caseId });
    await this.note(watch.caseId, { kind: 'paused' }, `paused:${changed.round}`);
    return { kind: 'paused', watch: changed };
  }

  async resume(watchId: string, residentKey: string): Promise<ResidentResult<'resumed'>> {
    const watch = await this.ownWatch(watchId, residentKey);
    if (watch?.status !== 'active') return { kind: 'gone' };
    const changed = await this.reschedule(watch, { pausedUntil: undefined });
    if (!changed) return { kind: 'gone' };
    await this.auditWatch('watch.resumed', { kind: 'resident' }, { id: watch.caseId });
    await this.note(watch.caseId, { kind: 'resumed' }, `resumed:${changed.round}`);
    return { kind: 'resumed', watch: changed };
  }

  async changeSlot(watchId: string, residentKey: string, slot: string): Promise<ResidentResult<'changed'>> {
    const watch = await this.ownWatch(watchId, residentKey);
    if (watch?.status !== 'active' || !this.deps.config.watch.slots.includes(slot)) return { kind: 'gone' };
    const changed = await this.reschedule(watch, { plan: { ...watch.plan, slot } });
    if (!changed) return { kind: 'gone' };
    await this.auditWatch('watch.time-changed', { kind: 'resident' }, { id: watch.caseId }, { slot });
    await this.note(watch.caseId, { kind: 'time-changed' }, `time:${changed.round}`);
    return { kind: 'changed', watch: changed };
  }

  async stop(watchId: string, residentKey: string): Promise<ResidentResult<'stopped'>> {
    const watch = await this.ownWatch(watchId, residentKey);
    if (!watch) return { kind: 'gone' };
    await this.end(watch, { kind: 'resident' }, 'watch.stopped');
    return { kind: 'stopped', watch };
  }

  /**
   * The resident lets a family member or neighbour be told of misses: a one-time code they pass on.
   * Linking needs that code, so nobody is linked without the resident's consent.
   */
  async inviteWatcher(
    watchId: string,
    residentKey: string,
  ): Promise<{ kind: 'invited'; code: string } | { kind: 'gone' }> {
    const watch = await this.ownWatch(watchId, residentKey);
    if (watch?.status !== 'active') return { kind: 'gone' };
    const code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    const expiresAt = new Date(this.now.getTime() + WATCHER_CODE_HOURS * 60 * MINUTE_MS);
    if (
      !(await this.deps.watches.setWatcher(
        watch.id,
        { watcherCode: code, watcherCodeExpiresAt: expiresAt },
        this.now,
      ))
    )
      return { kind: 'gone' };
    await this.auditWatch('watch.watcher-invited', { kind: 'resident' }, { id: watch.caseId });
    return { kind: 'invited', code };
  }

  /** Someone sends a watcher code: they are linked, and the resident hears that it happened. */
  async joinAsWatcher(code: string, watcherKey: string): Promise<{ kind: 'joined' } | { kind: 'unknown' }> {
    const watch = await this.deps.watches.findByWatcherCode(code, this.now);
    if (!watch || watch.residentKey === watcherKey) return { kind: 'unknown' };
    const linked = await this.deps.watches.setWatcher(
      watch.id,
      { watcherKey, watcherCode: undefined, watcherCodeExpiresAt: undefined },
      this.now,
    );
    if (!linked) return { kind: 'unknown' };
    await this.auditWatch('watch.watcher-linked', { kind: 'resident' }, { id: watch.caseId });
    await this.note(watch.caseId, { kind: 'watcher-linked' }, `watcher:${this.now.getTime()}`);
    await this.tell(
      watch,
      'watch.watcher.linked-resident',
      `watch-watcher-linked:${watch.id}:${this.now.getTime()}`,
    );
    return { kind: 'joined' };
  }

  async removeWatcher(watchId: string, residentKey: string): Promise<ResidentResult<'removed'>> {
    const watch = await this.ownWatch(watchId, residentKey);
    if (!watch) return { kind: 'gone' };
    const changed = await this.deps.watches.setWatcher(watch.id, { watcherKey: undefined }, this.now);
    if (!changed) return { kind: 'gone' };
    await this.auditWatch('watch.watcher-removed', { kind: 'resident' }, { id: watch.caseId });
    await this.note(watch.caseId, { kind: 'watcher-removed' }, `watcher-removed:${this.now.getTime()}`);
    return { kind: 'removed', watch: changed };
  }

  /** Erasure of someone who was a watcher: they are unlinked everywhere. */
  async forgetWatcher(watcherKey: string): Promise<number> {
    return this.deps.watches.forgetWatcher(watcherKey, this.now);
  }

  /** The resident asks for 見守り from the menu: their newest case's window hears it. */
  async request(
    residentKey: string,
  ): Promise<{ kind: 'requested'; record: CaseRecord } | { kind: 'no-case' }> {
    const record = await this.deps.cases.findLatestByResident(residentKey);
    if (!record) return { kind: 'no-case' };
    const reopened = record.status === 'closed' ? await this.deps.desk.reopen(record) : null;
    await this.auditWatch('watch.requested', { kind: 'resident' }, record);
    await this.note(record.id, { kind: 'requested' }, `requested:${this.now.getTime()}`);
    return { kind: 'requested', record: reopened ?? record };
  }

  /** Erasure: the resident's schedules and check-in history go. */
  async eraseResident(residentKey: string): Promise<number> {
    const watches = await this.deps.watches.listByResident(residentKey);
    for (const watch of watches) await this.cancelTimers(watch.caseId);
    return this.deps.watches.eraseResident(residentKey);
  }

  // ------------------------------------------------------------ timers

  /** Runs the due steps of every watch. Safe on every instance at once. Returns how many it completed. */
  async fireDue(limit = 50): Promise<number> {
    let fired = 0;
    const kinds: string[] = Object.values(WATCH_TIMER_KINDS);
    for (const timer of await this.deps.timers.due(this.now, limit, kinds)) {
      try {
        if (timer.kind === WATCH_TIMER_KINDS.checkIn) await this.checkInStep(timer);
        else await this.closeStep(timer);
      } catch (err) {
        // Left pending: the next poll (here or on another instance) redoes the step.
        this.deps.logger.error({ err, timer: timer.id }, 'a 見守り step failed; it will run again');
        continue;
      }
      if (await this.deps.timers.claim(timer.id, this.now)) fired++;
    }
    return fired;
  }

  private async checkInStep(timer: TimerRecord): Promise<void> {
    const watch = await this.current(timer);
    if (!watch?.startedAt || !watch.endsAt) return;
    const dueAt = timer.dueAt;
    const id = checkInId(watch.id, dueAt);
    let checkIn = await this.deps.watches.getCheckIn(id);
    const caseRecord = await this.deps.cases.get(watch.caseId);
    const resident = caseRecord && residentAddress(caseRecord);
    if (!checkIn) {
      const skip = !resident ? 'unreachable' : await this.reasonToSkip(watch, dueAt);
      await this.deps.watches.addCheckIn({
        id,
        watchId: watch.id,
        caseId: watch.caseId,
        dueAt,
        status: skip ? 'skipped' : 'sent',
        skipReason: skip ?? undefined,
        expiresAt: new Date(dueAt.getTime() + this.deps.config.watch.historyDays * DAY_MS),
      });
      checkIn = await this.deps.watches.getCheckIn(id);
    }
    if (!checkIn) return;
    const next = nextCheckIn(
      watch.plan,
      { startedAt: watch.startedAt, endsAt: watch.endsAt, after: dueAt },
      this.deps.config.timezone,
    );
    if (checkIn.status === 'skipped') {
      await this.auditWatch(
        'watch.check-in-skipped',
        { kind: 'system' },
        caseRecord ?? { id: watch.caseId },
        {
          reason: checkIn.skipReason ?? 'unknown',
        },
        `skip:${id}`,
      );
      if (checkIn.skipReason === 'unreachable') return this.end(watch, { kind: 'system' }, 'watch.ended');
      return this.scheduleCheckIn(watch, next);
    }
    if (resident) {
      const t = this.deps.translator.forLanguage(watch.language);
      await this.deps.outbox.push(
        resident.channel,
        resident.address,
        [checkInMessage(watch, checkIn, t)],
        `watch-checkin:${id}`,
      );
    }
    await this.auditWatch(
      'watch.check-in-sent',
      { kind: 'system' },
      caseRecord ?? { id: watch.caseId },
      {},
      `sent:${id}`,
    );
    await this.deps.timers.schedule(
      {
        id: `${WATCH_TIMER_KINDS.close}:${watch.id}:${watch.round}:${id}`,
        caseId: watch.caseId,
        kind: WATCH_TIMER_KINDS.close,
        dueAt: answerDeadline(dueAt, next, this.deps.config),
        data: { round: watch.round, checkIn: id },
      },
      this.now,
    );
  }

  private async closeStep(timer: TimerRecord): Promise<void> {
    const watch = await this.current(timer);
    const id = String(timer.data?.checkIn ?? '');
    if (!watch?.startedAt || !watch.endsAt || !id) return;
    await this.deps.watches.settleCheckIn(id, ['sent'], { status: 'missed' });
    const checkIn = await this.deps.watches.getCheckIn(id);
    if (!checkIn) return;
    if (checkIn.status === 'missed') {
      const history = await this.deps.watches.listCheckIns(watch.id);
      const streak = missedStreak(history, id);
      const record = await this.deps.cases.get(watch.caseId);
      await this.auditWatch(
        'watch.check-in-missed',
        { kind: 'system' },
        record ?? { id: watch.caseId },
        { streak },
        `missed:${id}`,
      );
      if (streak === watch.plan.missThreshold) await this.alert(watch, checkIn, history, record);
    }
    const next = nextCheckIn(
      watch.plan,
      { startedAt: watch.startedAt, endsAt: watch.endsAt, after: checkIn.dueAt },
      this.deps.config.timezone,
    );
    await this.scheduleCheckIn(watch, next);
  }

  /** The window hears of the missed streak in the thread (with a mention) and the ladder starts. */
  private async alert(
    watch: WatchRecord,
    checkIn: CheckInRecord,
    history: CheckInRecord[],
    record: CaseRecord | null,
  ): Promise<void> {
    const lines = history
      .filter((c) => c.dueAt.getTime() <= checkIn.dueAt.getTime())
      .slice(-10)
      .map((c) => ({ dueAt: c.dueAt.toISOString(), status: c.status, answer: c.answer }));
    await this.note(
      watch.caseId,
      { kind: 'alert', missed: watch.plan.missThreshold, history: lines },
      `alert:${checkIn.id}`,
    );
    await this.auditWatch(
      'watch.alerted',
      { kind: 'system' },
      record ?? { id: watch.caseId },
      {
        missed: watch.plan.missThreshold,
      },
      `alert:${checkIn.id}`,
    );
    // The watcher (if the resident linked one) hears that check-ins went unanswered, and nothing else.
    if (watch.watcherKey) {
      const at = watch.watcherKey.indexOf(':');
      const channel = watch.watcherKey.slice(0, at);
      if (channel === 'line' || channel === 'local') {
        const t = this.deps.translator.forLanguage(watch.language);
        await this.deps.outbox.push(
          channel,
          watch.watcherKey.slice(at + 1),
          [residentNotice('watch.watcher.alert', t)],
          `watch-watcher-alert:${checkIn.id}`,
        );
      }
    }
    if (!(await this.deps.watches.settleCheckIn(checkIn.id, ['missed'], { alerted: true }))) return;
    if (!record) return;
    // The ladder unaccepted cases use: a closed case waits for a person again; a waiting one escalates.
    if (record.status === 'closed') {
      const reopened = await this.deps.cases.transition(
        record.id,
        ['closed'],
        { status: 'pending', assignee: undefined, closedAt: undefined, reopenCount: record.reopenCount + 1 },
        this.now,
      );
      if (reopened) {
        await this.deps.audit.record('case.reopened', { kind: 'system' }, reopened, { by: 'watch-alert' });
        await this.deps.handoff.caseReopened(reopened);
      }
    } else if (record.status === 'pending') {
      await this.deps.escalation.schedule(record);
    }
    this.deps.logger.warn({ caseNumber: record.number }, '見守り: missed check-ins reached the threshold');
  }

  // ------------------------------------------------------------ helpers

  private async reasonToSkip(watch: WatchRecord, dueAt: Date): Promise<'late' | 'conversation' | null> {
    if (this.now.getTime() - dueAt.getTime() > this.deps.config.watch.lateMinutes * MINUTE_MS) return 'late';
    const session = await this.deps.sessions.get(watch.residentKey, this.now);
    const quiet = this.deps.config.watch.quietAfterActivityMinutes * MINUTE_MS;
    if (session && this.now.getTime() - session.updatedAt.getTime() < quiet) return 'conversation';
    return null;
  }

  /** The watch a timer belongs to, if the timer is of its current round (older rounds are stale). */
  private async current(timer: TimerRecord): Promise<WatchRecord | null> {
    const watch = await this.deps.watches.get(timer.caseId);
    if (watch?.status !== 'active' || watch.round !== Number(timer.data?.round)) return null;
    return watch;
  }

  private firstAfter(watch: WatchRecord, after: Date): Date | null {
    if (!watch.startedAt || !watch.endsAt) return null;
    const from = watch.pausedUntil && watch.pausedUntil > after ? watch.pausedUntil : after;
    return nextCheckIn(
      watch.plan,
      { startedAt: watch.startedAt, endsAt: watch.endsAt, after: from },
      this.deps.config.timezone,
    );
  }

  private async scheduleCheckIn(watch: WatchRecord, dueAt: Date | null): Promise<void> {
    if (!dueAt) return this.end(watch, { kind: 'system' }, 'watch.ended');
    await this.deps.timers.schedule(
      {
        id: `${WATCH_TIMER_KINDS.checkIn}:${watch.id}:${watch.round}:${dueAt.getTime()}`,
        caseId: watch.caseId,
        kind: WATCH_TIMER_KINDS.checkIn,
        dueAt,
        data: { round: watch.round },
      },
      this.now,
    );
  }

  /** A change of schedule: a new round, the old round's timers cancelled, the next check-in planned. */
  private async reschedule(watch: WatchRecord, changes: WatchChanges): Promise<WatchRecord | null> {
    const changed = await this.deps.watches.change(watch.id, watch.round, changes, this.now);
    if (!changed) return null;
    await this.cancelTimers(watch.caseId);
    await this.scheduleCheckIn(changed, this.firstAfter(changed, this.now));
    return changed;
  }

  /** Stopping deletes the schedule; the check-in history stays until its retention ends. */
  private async end(
    watch: WatchRecord,
    actor: { kind: 'staff' | 'system' | 'resident'; id?: string },
    action: 'watch.stopped' | 'watch.ended' | 'watch.stopped-by-staff',
  ): Promise<void> {
    if (!(await this.deps.watches.delete(watch.id))) return;
    await this.cancelTimers(watch.caseId);
    await this.auditWatch(action, actor, { id: watch.caseId });
    await this.note(
      watch.caseId,
      { kind: action === 'watch.ended' ? 'ended' : 'stopped' },
      `end:${watch.round}`,
    );
    if (action === 'watch.stopped') return;
    const record = await this.deps.cases.get(watch.caseId);
    const resident = record && residentAddress(record);
    if (resident) {
      const t = this.deps.translator.forLanguage(watch.language);
      await this.deps.outbox.push(
        resident.channel,
        resident.address,
        [residentNotice('watch.ended', t)],
        `watch-ended:${watch.id}:${watch.round}`,
      );
    }
  }

  private async tell(watch: WatchRecord, key: string, cause: string): Promise<void> {
    const record = await this.deps.cases.get(watch.caseId);
    const resident = record && residentAddress(record);
    if (!resident) return;
    const t = this.deps.translator.forLanguage(watch.language);
    await this.deps.outbox.push(resident.channel, resident.address, [residentNotice(key, t)], cause);
  }

  private async cancelTimers(caseId: string): Promise<void> {
    await this.deps.timers.cancelForCase(caseId, WATCH_TIMER_KINDS.checkIn);
    await this.deps.timers.cancelForCase(caseId, WATCH_TIMER_KINDS.close);
  }

  private async ownWatch(watchId: string, residentKey: string): Promise<WatchRecord | null> {
    const watch = await this.deps.watches.get(watchId);
    return watch && watch.residentKey === residentKey ? watch : null;
  }

  private async note(caseId: string, watch: WatchNote, cause: string): Promise<void> {
    await this.deps.outbox.notify(
      this.deps.staffChannel,
      { kind: 'thread', caseId, note: { type: 'watch', watch } },
      `watch:${caseId}:${cause}`,
    );
  }

  private async auditWatch(
    action: string,
    actor: { kind: 'staff' | 'system' | 'resident'; id?: string | undefined },
    record: Pick<CaseRecord, 'id'> & Partial<Pick<CaseRecord, 'number'>>,
    details: Record<string, string | number | boolean> = {},
    fixedId?: string,
  ): Promise<void> {
    const withNumber = {
      id: record.id,
      number: record.number ?? (await this.deps.cases.get(record.id))?.number ?? '',
    };
    await this.deps.audit.record(
      action,
      actor,
      withNumber,
      details,
      fixedId ? { id: nameBasedUuid(`audit:${action}:${fixedId}`) } : {},
    );
  }
}
