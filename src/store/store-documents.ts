import { anonymousPart } from '../core/cases/intake.js';
import type { ChannelName, IncomingEvent } from '../core/ports/incoming-event.js';
import type { OutgoingMessage } from '../core/ports/outgoing-message.js';
/**
 * The stored shape of every record, shared by the embedded (SQLite, one JSON document per row) and MongoDB
 * backends: both keep the natural id in `_id` (so uniqueness comes with the primary key) and store
 * Dates as Dates (MongoDB natively, the embedded store as {"$$date": ms}).
 * Mapping back builds each record field by field so that no `_id` or stray stored field leaks out.
 */
import type { StaffNotice } from '../core/ports/staff-notice.js';
import type {
  AuditEntry,
  CaseAmendment,
  CaseOrigin,
  CaseRecord,
  CaseStatus,
  CaseTransitionChanges,
  ContactRecord,
  HandoverConsentState,
  InboxRecord,
  InboxStatus,
  NewCase,
  NewOutboxItem,
  NewTimer,
  OutboxRecord,
  OutboxRedaction,
  OutboxStatus,
  SessionRecord,
  StaffThreadRef,
  TimerRecord,
  TimerStatus,
} from '../core/ports/store.js';
import { escapeFieldNames, unescapeFieldNames } from './field-names.js';

export interface InboxDoc {
  _id: string;
  /** Absent once redacted (then `redactedAt` is set): every read filters those out. */
  event: IncomingEvent;
  key: string;
  status: InboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  receivedAt: Date;
  processedAt?: Date | undefined;
  lastError?: string | undefined;
  expiresAt: Date;
  redactedAt?: Date | undefined;
}

/** A newly received event, pending, as every backend stores it. */
export function newInboxDoc(event: IncomingEvent, key: string, receivedAt: Date, expiresAt: Date): InboxDoc {
  return {
    _id: event.id,
    event,
    key,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: receivedAt,
    receivedAt,
    expiresAt,
  };
}

export interface OutboxDoc {
  _id: string;
  channel: ChannelName;
  address: string;
  /**
   * contactId(channel, address), stored so that "distinct addresses" can group on one field: some
   * MongoDB-compatible servers (jongodb) cannot group on a compound `_id` expression.
   */
  addressKey: string;
  messages: OutgoingMessage[];
  replyToken?: string | undefined;
  replyTokenExpiresAt?: Date | undefined;
  causedBy?: string | undefined;
  notice?: StaffNotice | undefined;
  createdAt: Date;
  sequence: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  sentAt?: Date | undefined;
  lastError?: string | undefined;
  replyTokenSpent?: boolean | undefined;
  replyAttemptedAt?: Date | undefined;
  redactWhenDone?: boolean | undefined;
  expiresAt?: Date | undefined;
  redactedAt?: Date | undefined;
}

export interface LeaseDoc {
  _id: string;
  owner: string;
  until: Date;
}

export interface ContactDoc {
  /** `${channel}:${address}`: channel names contain no colon, so the id is unambiguous. */
  _id: string;
  channel: ChannelName;
  address: string;
  following: boolean;
  updatedAt: Date;
}

export interface SessionDoc {
  _id: string;
  version: number;
  /** Field names escaped (see field-names.ts). */
  state: unknown;
  updatedAt: Date;
  expiresAt: Date;
}

export interface CaseDoc {
  _id: string;
  number: string;
  residentKey: string;
  channel: ChannelName;
  origin: CaseOrigin;
  anonymous: boolean;
  windowId: string;
  fields: string[];
  patterns: string[];
  urgent: boolean;
  language: string;
  /** Field names escaped (see field-names.ts). */
  answers: Record<string, unknown>;
  ownWords?: string | undefined;
  createdAt: Date;
  expiresAt?: Date | undefined;
  status: CaseStatus;
  assignee?: string | undefined;
  version: number;
  updatedAt: Date;
  erasedAt?: Date | undefined;
  staffThread?: StaffThreadRef | undefined;
  acceptedAt?: Date | undefined;
  closedAt?: Date | undefined;
  /** Absent on cases stored before the counters existed: read as 0. */
  rerouteCount?: number | undefined;
  reopenCount?: number | undefined;
  satisfaction?: number | undefined;
  handoverConsent?: Record<string, HandoverConsentState> | undefined;
}

export interface CounterDoc {
  _id: string;
  seq: number;
}

export interface AuditDoc {
  _id: string;
  at: Date;
  actor: AuditEntry['actor'];
  action: string;
  caseId?: string | undefined;
  /** Field names escaped (see field-names.ts). */
  details?: Record<string, string | number | boolean> | undefined;
  expiresAt: Date;
}

export interface TimerDoc {
  _id: string;
  caseId: string;
  kind: string;
  dueAt: Date;
  /** Field names escaped (see field-names.ts). */
  data?: Record<string, string | number | boolean> | undefined;
  status: TimerStatus;
  firedAt?: Date | undefined;
  createdAt: Date;
}

export interface SeenDoc {
  _id: string;
  at: Date;
  expiresAt: Date;
}

/** Drops keys whose value is undefined, so optional fields are absent rather than present-but-undefined. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function contactId(channel: ChannelName, address: string): string {
  return `${channel}:${address}`;
}

export function inboxFromDoc(d: InboxDoc): InboxRecord {
  return compact({
    id: d._id,
    event: d.event,
    key: d.key,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    receivedAt: d.receivedAt,
    processedAt: d.processedAt,
    lastError: d.lastError,
    expiresAt: d.expiresAt,
  });
}

/** A freshly enqueued item: pending and due at once. */
export function newOutboxDoc(item: NewOutboxItem, sequence: number): OutboxDoc {
  const { id, ...rest } = item;
  return compact({
    _id: id,
    ...rest,
    addressKey: contactId(item.channel, item.address),
    sequence,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: item.createdAt,
  });
}

export function outboxFromDoc(d: OutboxDoc): OutboxRecord {
  return compact({
    id: d._id,
    channel: d.channel,
    address: d.address,
    messages: d.messages,
    replyToken: d.replyToken,
    replyTokenExpiresAt: d.replyTokenExpiresAt,
    causedBy: d.causedBy,
    notice: d.notice,
    createdAt: d.createdAt,
    sequence: d.sequence,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    sentAt: d.sentAt,
    lastError: d.lastError,
    replyTokenSpent: d.replyTokenSpent,
    replyAttemptedAt: d.replyAttemptedAt,
    redactWhenDone: d.redactWhenDone,
    expiresAt: d.expiresAt,
    redactedAt: d.redactedAt,
  });
}

export function contactFromDoc(d: ContactDoc): ContactRecord {
  return { channel: d.channel, address: d.address, following: d.following, updatedAt: d.updatedAt };
}

export function sessionFromDoc(d: SessionDoc): SessionRecord {
  return {
    key: d._id,
    version: d.version,
    state: unescapeFieldNames(d.state),
    updatedAt: d.updatedAt,
    expiresAt: d.expiresAt,
  };
}

/** A new case with its number: pending, at its first version. */
export function newCaseDoc(input: NewCase, number: string): CaseDoc {
  return caseToDoc({
    ...input,
    number,
    status: 'pending',
    version: 1,
    updatedAt: input.createdAt,
    rerouteCount: 0,
    reopenCount: 0,
  });
}

export function caseToDoc(r: CaseRecord): CaseDoc {
  const { id, answers, ...rest } = r;
  return compact({ _id: id, ...rest, answers: escapeFieldNames(answers) as Record<string, unknown> });
}

export function caseFromDoc(d: CaseDoc): CaseRecord {
  return compact({
    id: d._id,
    number: d.number,
    residentKey: d.residentKey,
    channel: d.channel,
    origin: d.origin,
    anonymous: d.anonymous,
    windowId: d.windowId,
    fields: d.fields,
    patterns: d.patterns,
    urgent: d.urgent,
    language: d.language,
    answers: unescapeFieldNames(d.answers) as Record<string, unknown>,
    ownWords: d.ownWords,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    status: d.status,
    assignee: d.assignee,
    version: d.version,
    updatedAt: d.updatedAt,
    erasedAt: d.erasedAt,
    staffThread: d.staffThread && { channel: d.staffThread.channel, ts: d.staffThread.ts },
    acceptedAt: d.acceptedAt,
    closedAt: d.closedAt,
    rerouteCount: d.rerouteCount ?? 0,
    reopenCount: d.reopenCount ?? 0,
    satisfaction: d.satisfaction,
    handoverConsent: d.handoverConsent && { ...d.handoverConsent },
  });
}

export function auditToDoc(e: AuditEntry): AuditDoc {
  const { id, details, ...rest } = e;
  return compact({
    _id: id,
    ...rest,
    actor: compact(e.actor),
    details: details === undefined ? undefined : (escapeFieldNames(details) as AuditDoc['details']),
  });
}

export function auditFromDoc(d: AuditDoc): AuditEntry {
  return compact({
    id: d._id,
    at: d.at,
    actor: compact({ kind: d.actor.kind, id: d.actor.id }),
    action: d.action,
    caseId: d.caseId,
    details: d.details === undefined ? undefined : (unescapeFieldNames(d.details) as AuditEntry['details']),
    expiresAt: d.expiresAt,
  });
}

/** The fields a case transition may change; anything else in `changes` is ignored. */
const TRANSITION_FIELDS = [
  'status',
  'assignee',
  'windowId',
  'urgent',
  'acceptedAt',
  'closedAt',
  'rerouteCount',
  'reopenCount',
] as const satisfies readonly (keyof CaseTransitionChanges)[];

export interface CaseTransitionUpdate {
  $set: Record<string, unknown>;
  $unset?: Record<string, ''>;
}

/**
 * The field changes of CaseRepository.transition, valid for MongoDB and the embedded store; each backend
 * adds the version bump its way. A field given explicitly as undefined (e.g. `assignee` when a case
 * goes back to pending, `closedAt` when it is reopened) is removed.
 */
export function caseTransitionUpdate(changes: CaseTransitionChanges, at: Date): CaseTransitionUpdate {
  const $set: Record<string, unknown> = { updatedAt: at };
  const $unset: Record<string, ''> = {};
  for (const field of TRANSITION_FIELDS) {
    if (!(field in changes)) continue;
    const value = changes[field];
    if (value === undefined) $unset[field] = '';
    else $set[field] = value;
  }
  // An empty $unset is an error on older MongoDB servers, so it is only sent when needed.
  return Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
}

/** A `$set`/`$unset` update of a case, for MongoDB and the embedded store. */
export interface CaseUpdate {
  $set: Record<string, unknown>;
  $unset?: Record<string, ''>;
}

/** The stored document after `update`, so a compare-and-set need not read the case back. */
export function applyCaseUpdate(doc: CaseDoc, update: CaseUpdate): CaseDoc {
  const after: Record<string, unknown> = { ...doc, ...update.$set };
  for (const field of Object.keys(update.$unset ?? {})) delete after[field];
  return after as unknown as CaseDoc;
}

/** The fields CaseRepository.amend replaces when given; `answers` and `ownWords` are handled apart. */
const AMEND_FIELDS = [
  'fields',
  'patterns',
  'windowId',
  'urgent',
  'origin',
  'anonymous',
  'staffThread',
  'satisfaction',
  'handoverConsent',
] as const satisfies readonly (keyof CaseAmendment)[];

/**
 * CaseRepository.amend applied to the case as read (`current`): meant for a compare-and-set on
 * `current.version`, which is why it sets the next version rather than incrementing it.
 */
export function caseAmendUpdate(current: CaseDoc, changes: CaseAmendment, at: Date): CaseUpdate {
  const $set: Record<string, unknown> = { updatedAt: at, version: current.version + 1 };
  const $unset: Record<string, ''> = {};
  for (const field of AMEND_FIELDS) {
    const value = changes[field];
    if (value !== undefined) $set[field] = value;
  }
  if (changes.ownWords === null) $unset.ownWords = '';
  else if (changes.ownWords !== undefined) $set.ownWords = changes.ownWords;
  if (changes.answers !== undefined) {
    // Escaping is one-to-one on keys, so merging the escaped forms merges the answers themselves.
    const given = escapeFieldNames(changes.answers) as Record<string, unknown>;
    $set.answers = compact({ ...current.answers, ...given });
  }
  return Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
}

/** A newly scheduled timer: pending. */
export function newTimerDoc(t: NewTimer, at: Date): TimerDoc {
  return compact({
    _id: t.id,
    caseId: t.caseId,
    kind: t.kind,
    dueAt: t.dueAt,
    data: t.data === undefined ? undefined : (escapeFieldNames(t.data) as TimerDoc['data']),
    status: 'pending',
    createdAt: at,
  });
}

export function timerFromDoc(d: TimerDoc): TimerRecord {
  return compact({
    id: d._id,
    caseId: d.caseId,
    kind: d.kind,
    dueAt: d.dueAt,
    data: d.data === undefined ? undefined : (unescapeFieldNames(d.data) as TimerRecord['data']),
    status: d.status,
    firedAt: d.firedAt,
    createdAt: d.createdAt,
  });
}

/** What stands in for a redacted inbox key or outbox address: it points at no one. */
export const REDACTED = 'erased';

/** Reads skip redacted inbox events. */
export const NOT_REDACTED = { redactedAt: { $exists: false } } as const;

/** InboxRepository.redact as one update, for MongoDB and the embedded store. */
export function inboxRedactUpdate(at: Date) {
  return { $set: { key: REDACTED, redactedAt: at }, $unset: { event: '' as const, lastError: '' as const } };
}

/** The items an OutboxRedaction selects, as a MongoDB query. */
export function outboxRedactionQuery(target: OutboxRedaction): Record<string, unknown> {
  switch (target.kind) {
    case 'recipient':
      return { channel: target.channel, address: target.address };
    case 'case-relays':
      return { address: `case:${target.caseId}`, 'notice.note.type': 'resident-message' };
    case 'item':
      return { _id: target.id };
  }
}

/** OutboxRepository.redact's change to every selected item (pending ones are cancelled first). */
export function outboxRedactUpdate(at: Date, expiresAt: Date) {
  return {
    $set: { messages: [], address: REDACTED, addressKey: REDACTED, redactedAt: at, expiresAt },
    $unset: { notice: '' as const, replyToken: '' as const, replyTokenExpiresAt: '' as const },
  };
}

/** Timers due at the same moment fire in a stable order. */
export const TIMER_ORDER = { dueAt: 1, _id: 1 } as const;

/** What stands in for the resident's key on an erased case: unique, and linked to no one. */
/** Whether a case is still linked to the resident who wrote it. */
export function isLinkedResidentKey(residentKey: string): boolean {
  return !residentKey.startsWith('erased:') && !residentKey.startsWith('unlinked:');
}

export function erasedResidentKey(caseId: string): string {
  return `erased:${caseId}`;
}

/** CaseRepository.eraseResident for one case as read, for a compare-and-set on `current.version`. */
export function caseEraseUpdate(current: CaseDoc, at: Date): CaseUpdate {
  // What is kept is what the intake tags anonymous (core/cases/intake.ts).
  const kept = anonymousPart(unescapeFieldNames(current.answers) as Record<string, unknown>);
  return {
    $set: {
      answers: escapeFieldNames(kept),
      residentKey: erasedResidentKey(current._id),
      erasedAt: at,
      updatedAt: at,
      version: current.version + 1,
    },
    $unset: { ownWords: '' },
  };
}

/**
 * A compare-and-set only fails because another writer succeeded in between, so a caller retries
 * at most once per competing writer; this bound only turns a bug into an error instead of a spin.
 */
export const MAX_CAS_ATTEMPTS = 1000;

/** Zeroes for every status, so a status with no records still appears in the counts. */
export function emptyCounts<S extends string>(statuses: readonly S[]): Record<S, number> {
  return Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
}

export const INBOX_STATUSES: readonly InboxStatus[] = ['pending', 'done', 'parked'];
export const CASE_STATUSES: readonly CaseStatus[] = ['pending', 'assigned', 'closed'];
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sent', 'dead', 'cancelled'];
