/**
 * The stored shape of every record, shared by the embedded (nedb) and MongoDB backends: both keep
 * the natural id in `_id` (so uniqueness comes with the primary key) and store Dates natively.
 * Mapping back builds each record field by field so that no `_id` or stray stored field leaks out.
 */
import type { ChannelName, IncomingEvent } from '../core/incoming-event.js';
import type { OutgoingMessage } from '../core/outgoing-message.js';
import type {
  AuditEntry,
  CaseRecord,
  CaseStatus,
  ContactRecord,
  InboxRecord,
  InboxStatus,
  NewOutboxItem,
  OutboxRecord,
  OutboxStatus,
  SessionRecord,
} from '../core/store.js';
import { escapeFieldNames, unescapeFieldNames } from './field-names.js';

export interface InboxDoc {
  _id: string;
  event: IncomingEvent;
  key: string;
  status: InboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  receivedAt: Date;
  processedAt?: Date | undefined;
  lastError?: string | undefined;
  expiresAt: Date;
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
  createdAt: Date;
  sequence: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  sentAt?: Date | undefined;
  lastError?: string | undefined;
  replyTokenSpent?: boolean | undefined;
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
  windowId: string;
  fields: string[];
  urgent: boolean;
  language: string;
  /** Field names escaped (see field-names.ts). */
  answers: Record<string, unknown>;
  createdAt: Date;
  expiresAt?: Date | undefined;
  status: CaseStatus;
  assignee?: string | undefined;
  version: number;
  updatedAt: Date;
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
    createdAt: d.createdAt,
    sequence: d.sequence,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    sentAt: d.sentAt,
    lastError: d.lastError,
    replyTokenSpent: d.replyTokenSpent,
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
    windowId: d.windowId,
    fields: d.fields,
    urgent: d.urgent,
    language: d.language,
    answers: unescapeFieldNames(d.answers) as Record<string, unknown>,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    status: d.status,
    assignee: d.assignee,
    version: d.version,
    updatedAt: d.updatedAt,
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
const TRANSITION_FIELDS = ['status', 'assignee', 'windowId', 'urgent'] as const;

export interface CaseTransitionUpdate {
  $set: Record<string, unknown>;
  $unset?: Record<string, ''>;
}

/**
 * The field changes of CaseRepository.transition, valid for both nedb and MongoDB; each backend
 * adds the version bump its way. A field given explicitly as undefined (e.g. `assignee` when a case
 * goes back to pending) is removed.
 */
export function caseTransitionUpdate(
  changes: Partial<Pick<CaseRecord, (typeof TRANSITION_FIELDS)[number]>>,
  at: Date,
): CaseTransitionUpdate {
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

/** Zeroes for every status, so a status with no records still appears in the counts. */
export function emptyCounts<S extends string>(statuses: readonly S[]): Record<S, number> {
  return Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
}

export const INBOX_STATUSES: readonly InboxStatus[] = ['pending', 'done', 'parked'];
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sent', 'dead', 'cancelled'];
