/**
 * The stored shape of watches (見守り) and their check-ins, shared by both backends: the natural id
 * in `_id`, Dates stored natively, records rebuilt field by field so nothing stray leaks out.
 */
import type {
  CheckInRecord,
  WatchChanges,
  WatcherChanges,
  WatchRecord,
  WatchStatus,
} from '../core/ports/store.js';

export interface WatchDoc extends Omit<WatchRecord, 'id'> {
  _id: string;
}

export interface CheckInDoc extends Omit<CheckInRecord, 'id'> {
  _id: string;
}

export const WATCH_STATUSES: readonly WatchStatus[] = ['proposed', 'active'];

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function newWatchDoc(record: Omit<WatchRecord, 'round' | 'updatedAt'>, at: Date): WatchDoc {
  const { id, ...rest } = record;
  return compact({ _id: id, ...rest, round: 0, updatedAt: at });
}

export function watchFromDoc(d: WatchDoc): WatchRecord {
  return compact({
    id: d._id,
    caseId: d.caseId,
    residentKey: d.residentKey,
    language: d.language,
    plan: {
      frequency: d.plan.frequency,
      slot: d.plan.slot,
      durationDays: d.plan.durationDays,
      missThreshold: d.plan.missThreshold,
      daysOff: d.plan.daysOff,
    },
    status: d.status,
    proposedBy: d.proposedBy,
    createdAt: d.createdAt,
    startedAt: d.startedAt,
    endsAt: d.endsAt,
    pausedUntil: d.pausedUntil,
    round: d.round,
    updatedAt: d.updatedAt,
    watcherKey: d.watcherKey,
    watcherCode: d.watcherCode,
    watcherCodeExpiresAt: d.watcherCodeExpiresAt,
  });
}

/** WatchRepository.setWatcher as one update, without bumping the round. */
export function watcherUpdate(changes: WatcherChanges, at: Date) {
  const $set: Record<string, unknown> = { updatedAt: at };
  const $unset: Record<string, ''> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) $unset[key] = '';
    else $set[key] = value;
  }
  return { $set, ...(Object.keys($unset).length > 0 ? { $unset } : {}) };
}

/** WatchRepository.change as one update: given fields set, fields given as undefined removed. */
export function watchChangeUpdate(changes: WatchChanges, at: Date) {
  const $set: Record<string, unknown> = { updatedAt: at };
  const $unset: Record<string, ''> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) $unset[key] = '';
    else $set[key] = value;
  }
  return { $set, ...(Object.keys($unset).length > 0 ? { $unset } : {}), $inc: { round: 1 } };
}

export function checkInToDoc(record: CheckInRecord): CheckInDoc {
  const { id, ...rest } = record;
  return compact({ _id: id, ...rest });
}

export function checkInFromDoc(d: CheckInDoc): CheckInRecord {
  return compact({
    id: d._id,
    watchId: d.watchId,
    caseId: d.caseId,
    dueAt: d.dueAt,
    status: d.status,
    answer: d.answer,
    answeredAt: d.answeredAt,
    skipReason: d.skipReason,
    alerted: d.alerted,
    expiresAt: d.expiresAt,
  });
}

/** settleCheckIn's change, without undefined values. */
export function checkInSettleUpdate(changes: Partial<CheckInRecord>) {
  return { $set: compact({ ...changes }) };
}

export const CHECK_IN_ORDER = { dueAt: 1, _id: 1 } as const;
