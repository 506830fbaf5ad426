import type { ChannelName, IncomingEvent } from './incoming-event.js';
import type { OutgoingMessage } from './outgoing-message.js';
import type { StaffNotice } from './staff-notice.js';
import type { CheckInAnswer, CheckInStatus, WatchPlan } from './watch-vocabulary.js';

/**
 * Storage ports. Every backend (embedded, MongoDB) implements these and passes the same contract
 * suite (test/store/store-contract.ts). Writes that decide ownership are single conditional updates
 * so that several service instances can share one MongoDB.
 *
 * Records carry `expiresAt` where the data has a retention limit; backends never return an expired
 * record, whether or not their engine has removed it yet.
 */

// ---------------------------------------------------------------- inbox

export type InboxStatus = 'pending' | 'done' | 'parked';

export interface InboxRecord {
  id: string;
  event: IncomingEvent;
  /** Ordering key: events with the same key are processed one at a time, oldest first. */
  key: string;
  status: InboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  receivedAt: Date;
  processedAt?: Date | undefined;
  lastError?: string | undefined;
  expiresAt: Date;
}

export interface InboxRepository {
  /** Stores a new pending event. 'duplicate' when one with the same id is already stored (any status). */
  add(event: IncomingEvent, key: string, receivedAt: Date, expiresAt: Date): Promise<'added' | 'duplicate'>;
  get(id: string): Promise<InboxRecord | null>;
  /** Distinct keys that have a pending event due at `now`, oldest event first. */
  dueKeys(now: Date, limit: number): Promise<string[]>;
  /** The oldest pending event of a key, due or not (a not-yet-due one blocks the ones after it). */
  oldestPending(key: string): Promise<InboxRecord | null>;
  /** pending → done. false when the event was not pending. */
  markDone(id: string, at: Date): Promise<boolean>;
  /** Records a failed attempt: pending again at `retryAt`, or parked when `retryAt` is null. */
  markFailed(id: string, error: string, retryAt: Date | null): Promise<boolean>;
  countByStatus(): Promise<Record<InboxStatus, number>>;
  /**
   * Erasure: the events of `key` that occurred at or before `upTo` lose what they said and who sent
   * them (content, address, reply token, error). Only the id stays, so a redelivery is still a
   * no-op; they are no longer returned by any read. Returns how many were redacted.
   */
  redact(key: string, upTo: Date, at: Date): Promise<number>;
  /** Deletes the events whose expiresAt has passed (the sweep; TTL indexes are lazy or absent). */
  removeExpired(now: Date): Promise<number>;
}

// ---------------------------------------------------------------- outbox

export type OutboxStatus = 'pending' | 'sent' | 'dead' | 'cancelled';

export interface NewOutboxItem {
  /** A UUID. Doubles as the idempotency key sent to the platform (LINE X-Line-Retry-Key). */
  id: string;
  channel: ChannelName;
  /** The recipient as the channel addresses them; also the ordering key. */
  address: string;
  messages: OutgoingMessage[];
  /** Single-use reply token, and until when it is worth trying. */
  replyToken?: string | undefined;
  replyTokenExpiresAt?: Date | undefined;
  /** Which inbox event (or other cause) produced this item, for tracing. */
  causedBy?: string | undefined;
  /** For staff channels: what staff must be told (then `messages` is empty). */
  notice?: StaffNotice | undefined;
  /** Redact the item once it is done (sent, dead or cancelled): the confirmation of an erasure. */
  redactWhenDone?: boolean | undefined;
  createdAt: Date;
}

export interface OutboxRecord extends NewOutboxItem {
  /** Monotonic order among the items of one address. */
  sequence: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  sentAt?: Date | undefined;
  lastError?: string | undefined;
  /** Set once a reply token was spent or refused: later attempts push. */
  replyTokenSpent?: boolean | undefined;
  /**
   * When a reply with the token was first attempted, written before the call. A later attempt while
   * the token lives replies again, and LINE's 400 for the token (already used) then means the earlier
   * attempt was delivered.
   */
  replyAttemptedAt?: Date | undefined;
  /** Set once the item is done (sent, dead, cancelled): it is deleted after that. */
  expiresAt?: Date | undefined;
  /** Set when erasure removed what the item said and to whom. */
  redactedAt?: Date | undefined;
}

/** Which outbox items an erasure redacts. */
export type OutboxRedaction =
  /** Everything sent (or to be sent) to one recipient. */
  | { kind: 'recipient'; channel: ChannelName; address: string }
  /** The staff notices of a case that relay what the resident wrote. */
  | { kind: 'case-relays'; caseId: string }
  | { kind: 'item'; id: string };

export interface OutboxRepository {
  /** Enqueues items in the given order (they keep it relative to each other and to earlier items). */
  enqueue(items: NewOutboxItem[]): Promise<void>;
  get(id: string): Promise<OutboxRecord | null>;
  /** Distinct addresses (with their channel) that have a pending item due at `now`, oldest first. */
  dueAddresses(now: Date, limit: number): Promise<Array<{ channel: ChannelName; address: string }>>;
  /** The oldest pending item for an address, due or not. */
  oldestPending(channel: ChannelName, address: string): Promise<OutboxRecord | null>;
  /** pending → sent, to be deleted at `expiresAt` (kept forever without). false when the item was not pending. */
  markSent(id: string, at: Date, expiresAt?: Date): Promise<boolean>;
  /**
   * A failed attempt to be retried at `retryAt`. `replyTokenSpent: true` marks the token spent; false
   * leaves the stored flag as it is (a sender may have marked it during the attempt).
   */
  markRetry(id: string, error: string, retryAt: Date, replyTokenSpent: boolean): Promise<boolean>;
  /** Records, before the call, that a reply is being attempted (the first such time is kept). */
  markReplyAttempted(id: string, at: Date): Promise<boolean>;
  /** The reply token was refused: later attempts push. */
  markReplyTokenSpent(id: string): Promise<boolean>;
  /** A permanent failure: parked as a dead letter with its error. */
  markDead(id: string, error: string, expiresAt?: Date): Promise<boolean>;
  /** Cancels every pending item of an address (e.g. the user blocked the account). Returns how many. */
  cancelPending(channel: ChannelName, address: string, reason: string, expiresAt?: Date): Promise<number>;
  countByStatus(): Promise<Record<OutboxStatus, number>>;
  /**
   * Erasure: the items lose their messages, the resident's words in staff notices, the recipient's
   * address and the reply token; id, status and times stay. Pending ones are cancelled. Returns how many.
   */
  redact(target: OutboxRedaction, at: Date, expiresAt: Date): Promise<number>;
  /** Deletes the items whose expiresAt has passed. */
  removeExpired(now: Date): Promise<number>;
}

// ---------------------------------------------------------------- leases

/**
 * Short leases on a key ("inbox:<key>", "outbox:<channel>:<address>"), so that one instance at a time
 * works on a user's events or messages. A lease whose holder died expires by itself.
 */
export interface LeaseRepository {
  /** true when `owner` now holds the lease (new, expired, or already its own: then it is extended). */
  acquire(key: string, owner: string, until: Date, now: Date): Promise<boolean>;
  release(key: string, owner: string): Promise<void>;
}

// ---------------------------------------------------------------- contacts

export interface ContactRecord {
  channel: ChannelName;
  address: string;
  /** false after the user blocked (unfollowed) the account: nothing more is sent. */
  following: boolean;
  updatedAt: Date;
}

export interface ContactRepository {
  get(channel: ChannelName, address: string): Promise<ContactRecord | null>;
  setFollowing(channel: ChannelName, address: string, following: boolean, at: Date): Promise<void>;
  /** Forgets the contact (e.g. when the resident's data is erased). Deleting a missing one is a no-op. */
  delete(channel: ChannelName, address: string): Promise<void>;
}

// ---------------------------------------------------------------- sessions

export interface SessionRecord {
  /** e.g. "line:U1234...". */
  key: string;
  /** Increments on every save; a save with a stale version is refused. */
  version: number;
  /** Conversation state; the engine parses it with its own schema on read. */
  state: unknown;
  updatedAt: Date;
  expiresAt: Date;
}

export interface SessionRepository {
  get(key: string, now: Date): Promise<SessionRecord | null>;
  /**
   * Saves `state` if the stored version is still `expectedVersion` (null: no session exists yet).
   * Returns the new record, or 'conflict' when another writer got there first.
   */
  save(
    key: string,
    state: unknown,
    expectedVersion: number | null,
    now: Date,
    expiresAt: Date,
  ): Promise<SessionRecord | 'conflict'>;
  delete(key: string): Promise<void>;
}

// ---------------------------------------------------------------- cases

export type CaseStatus = 'pending' | 'assigned' | 'closed';

/** Who is consulting: the resident about themselves, a family member, or a neighbour who noticed something. */
export type CaseOrigin = 'self' | 'family' | 'neighbour';

export interface NewCase {
  id: string;
  /** The resident's session key: never shown to staff. */
  residentKey: string;
  channel: ChannelName;
  origin: CaseOrigin;
  /** The resident asked not to be identified to staff. */
  anonymous: boolean;
  windowId: string;
  fields: string[];
  /** Household patterns (vocabulary PatternId) recognised in the consultation. */
  patterns: string[];
  urgent: boolean;
  language: string;
  /**
   * The case's intake (core/cases/intake.ts), stored under its historic name; read it with
   * readIntake, which parses it field by field.
   */
  answers: Record<string, unknown>;
  /** The resident's own words, as they wrote them; absent when they wrote none (or were erased). */
  ownWords?: string | undefined;
  createdAt: Date;
  expiresAt?: Date | undefined;
}

/** Where a case's alert lives in the staff channel (a Slack channel id and message ts). */
export interface StaffThreadRef {
  channel: string;
  ts: string;
}

export interface CaseRecord extends NewCase {
  /** Human-facing number, e.g. "2026-000123", unique. */
  number: string;
  status: CaseStatus;
  assignee?: string | undefined;
  version: number;
  updatedAt: Date;
  /** Set when the resident's data was erased (see CaseRepository.eraseResident). */
  erasedAt?: Date | undefined;
  /** Where the case's alert was posted for staff; absent until it was. */
  staffThread?: StaffThreadRef | undefined;
  /** When staff (last) accepted the case. */
  acceptedAt?: Date | undefined;
  /** When the case was closed; removed again when it is reopened. */
  closedAt?: Date | undefined;
  /** How often the case was moved to another window. 0 on create (and for cases stored before it existed). */
  rerouteCount: number;
  /** How often the case was reopened after being closed. 0 on create (and for older stored cases). */
  reopenCount: number;
  /** The resident's satisfaction rating, 1-5 (the store does not check the range). */
  satisfaction?: number | undefined;
  /**
   * つなぐシート consent asked of the resident, by target window id: 'asked' until they answer, then
   * their answer. Absent when never asked.
   */
  handoverConsent?: Record<string, HandoverConsentState> | undefined;
}

export type HandoverConsentState = 'asked' | 'yes' | 'no';

/**
 * What CaseRepository.transition may change. A field given as undefined is removed (`assignee` when
 * a case goes back to pending, `closedAt` when it is reopened). The counters are set to the given
 * value, not incremented: the caller computes them from the record it read.
 */
export type CaseTransitionChanges = Partial<
  Pick<
    CaseRecord,
    'status' | 'assignee' | 'windowId' | 'urgent' | 'acceptedAt' | 'closedAt' | 'rerouteCount' | 'reopenCount'
  >
>;

/**
 * What CaseRepository.amend may change. A field left out (or given as undefined) stays as it is;
 * `answers` is merged key by key; `ownWords: null` removes the resident's own words.
 */
export interface CaseAmendment {
  answers?: Record<string, unknown> | undefined;
  fields?: string[] | undefined;
  patterns?: string[] | undefined;
  ownWords?: string | null | undefined;
  windowId?: string | undefined;
  urgent?: boolean | undefined;
  origin?: CaseOrigin | undefined;
  anonymous?: boolean | undefined;
  staffThread?: StaffThreadRef | undefined;
  satisfaction?: number | undefined;
  /** Replaces the whole map: the caller merges it with what it read. */
  handoverConsent?: Record<string, HandoverConsentState> | undefined;
}

export interface CaseRepository {
  /** Creates a case with the next number of its year (from an atomic counter). */
  create(input: NewCase): Promise<CaseRecord>;
  get(id: string): Promise<CaseRecord | null>;
  /**
   * Applies `changes` only if the case is currently in one of `fromStatuses`: the single
   * conditional update that makes "accept" exactly-once. null when the condition did not hold.
   */
  transition(
    id: string,
    fromStatuses: CaseStatus[],
    changes: CaseTransitionChanges,
    at: Date,
  ): Promise<CaseRecord | null>;
  /**
   * Edits a case's content whatever its status (status changes go through `transition`): `answers`
   * is merged shallowly (a given key replaces the stored one; a key given as undefined is removed),
   * the other given fields are replaced. Bumps version and updatedAt. null when the case does not
   * exist, has expired, or was erased (an erased case must not take personal data again).
   */
  amend(id: string, changes: CaseAmendment, at: Date): Promise<CaseRecord | null>;
  listByStatus(status: CaseStatus, limit: number): Promise<CaseRecord[]>;
  /** The resident's cases, newest first, without expired ones. */
  listByResident(residentKey: string): Promise<CaseRecord[]>;
  /** The resident's newest case (by createdAt) whatever its status, or null; expired ones are skipped. */
  findLatestByResident(residentKey: string): Promise<CaseRecord | null>;
  /** How many (unexpired) cases are in each status: for the metrics. */
  countByStatus(): Promise<Record<CaseStatus, number>>;
  /** The case whose alert (the parent of the staff thread) is the message `ts` in `channel`. */
  findByStaffThread(channel: string, ts: string): Promise<CaseRecord | null>;
  /**
   * Erases the resident's personal data from every one of their cases (expired ones included):
   * removes `ownWords`, keeps only the fields of `answers` the intake tags anonymous, replaces `residentKey`
   * with `erased:<case id>` so the case can no longer be linked to them, sets `erasedAt` (and bumps
   * version and updatedAt). Number, window, fields, patterns, status and the audit trail stay, so
   * anonymised counts remain possible. Returns how many cases were changed.
   */
  eraseResident(residentKey: string, at: Date): Promise<number>;
  /**
   * Cuts a closed case's link to the person who wrote it (residentKey becomes `unlinked:<id>`),
   * keeping everything else: an anonymous reporter stays anonymous once the case is done. One
   * compare-and-set on the version; true only for the call that changed it.
   */
  unlinkResident(id: string, at: Date): Promise<boolean>;
}

// ---------------------------------------------------------------- audit

export interface AuditEntry {
  id: string;
  at: Date;
  actor: { kind: 'staff' | 'system' | 'resident'; id?: string | undefined };
  action: string;
  caseId?: string | undefined;
  /** Identifiers and flags only: never message bodies. */
  details?: Record<string, string | number | boolean> | undefined;
  expiresAt: Date;
}

export interface AuditRepository {
  /** Append-only: there is no update or delete. */
  append(entry: AuditEntry): Promise<void>;
  listForCase(caseId: string): Promise<AuditEntry[]>;
}

// ---------------------------------------------------------------- timers

export type TimerStatus = 'pending' | 'fired' | 'cancelled';

export interface NewTimer {
  /** Chosen by the caller, so that scheduling the same timer again is a no-op. */
  id: string;
  caseId: string;
  /** What the timer is for (e.g. "escalation"); cancelForCase can target one kind. */
  kind: string;
  dueAt: Date;
  data?: Record<string, string | number | boolean> | undefined;
}

export interface TimerRecord extends NewTimer {
  status: TimerStatus;
  firedAt?: Date | undefined;
  createdAt: Date;
}

/**
 * Durable timers (e.g. escalation of a case nobody accepted): they survive restarts, and `claim`
 * makes each fire once even when several instances poll `due` at the same time.
 */
export interface TimerRepository {
  /** Idempotent by id: scheduling an existing id changes nothing. */
  schedule(timer: NewTimer, at: Date): Promise<'scheduled' | 'exists'>;
  /**
   * Pending timers of the given kinds with dueAt <= now, earliest first. Each owner asks for its own
   * kinds, so a backlog of one kind (見守り's check-ins at 09:00) never hides another (escalations).
   */
  due(now: Date, limit: number, kinds: readonly string[]): Promise<TimerRecord[]>;
  /** pending → fired, exactly once across instances: true for the one caller that fired it. */
  claim(id: string, at: Date): Promise<boolean>;
  /** Cancels a case's pending timers (of one kind, or all); returns how many. */
  cancelForCase(caseId: string, kind?: string): Promise<number>;
  get(id: string): Promise<TimerRecord | null>;
}

// ---------------------------------------------------------------- seen ids

/**
 * Dedupe of platform ids that do not go through the inbox (e.g. Slack Events API `event_id`
 * retries). An id is remembered until its expiresAt; after that it counts as new again.
 */
export interface SeenRepository {
  /** true the first time an id is recorded; false for every later call (until it expires). */
  firstSeen(id: string, at: Date, expiresAt: Date): Promise<boolean>;
}

// ---------------------------------------------------------------- 見守り (watch)

export type { CheckInAnswer, CheckInStatus, WatchFrequency, WatchPlan } from './watch-vocabulary.js';

/** proposed: the resident was asked and has not agreed yet; active: check-ins run. */
export type WatchStatus = 'proposed' | 'active';

/** One case's 見守り (its id is the case id): the schedule. Deleted when it stops. */
export interface WatchRecord {
  id: string;
  caseId: string;
  /** The resident's session key (never shown to staff). */
  residentKey: string;
  language: string;
  plan: WatchPlan;
  status: WatchStatus;
  /** Who offered it (a staff id). */
  proposedBy: string;
  createdAt: Date;
  startedAt?: Date | undefined;
  endsAt?: Date | undefined;
  /** No check-in before this instant (しばらくお休み). */
  pausedUntil?: Date | undefined;
  /** Bumped by every change of the schedule: timers of an older round are stale. */
  round: number;
  updatedAt: Date;
  /** A family member or neighbour the resident linked (their session key): told of misses, never content. */
  watcherKey?: string | undefined;
  /** The one-time code the resident gave them, until it is used or expires. */
  watcherCode?: string | undefined;
  watcherCodeExpiresAt?: Date | undefined;
}

export type WatcherChanges = Partial<
  Pick<WatchRecord, 'watcherKey' | 'watcherCode' | 'watcherCodeExpiresAt'>
>;

export type WatchChanges = Partial<
  Pick<WatchRecord, 'plan' | 'status' | 'startedAt' | 'endsAt' | 'pausedUntil' | 'language'>
>;

/** Why a due check-in was not sent. */
export type CheckInSkip = 'late' | 'conversation' | 'unreachable';

/** One due check-in of a watch and what became of it; ids and flags only, never words. */
export interface CheckInRecord {
  /** `<watch id>-<due time>`: one record per occurrence, whoever decides it first. */
  id: string;
  watchId: string;
  caseId: string;
  dueAt: Date;
  status: CheckInStatus;
  answer?: CheckInAnswer | undefined;
  answeredAt?: Date | undefined;
  skipReason?: CheckInSkip | undefined;
  /** Set on the check-in whose miss raised the alert. */
  alerted?: boolean | undefined;
  expiresAt: Date;
}

export interface WatchRepository {
  /** Creates or replaces a case's watch (round 0 on create). */
  put(record: Omit<WatchRecord, 'round' | 'updatedAt'>, at: Date): Promise<WatchRecord>;
  get(id: string): Promise<WatchRecord | null>;
  /** The resident's watches, oldest first. */
  listByResident(residentKey: string): Promise<WatchRecord[]>;
  /**
   * Applies `changes` if the stored round is still `round` (a compare-and-set), bumping the round.
   * null when another change got there first or the watch is gone.
   */
  change(id: string, round: number, changes: WatchChanges, at: Date): Promise<WatchRecord | null>;
  /** Links or unlinks a watcher (fields given as undefined are removed); the schedule's round stays. */
  setWatcher(id: string, changes: WatcherChanges, at: Date): Promise<WatchRecord | null>;
  /** The watch whose unexpired watcher code this is. */
  findByWatcherCode(code: string, now: Date): Promise<WatchRecord | null>;
  /** Erasure of a watcher: they are unlinked from every watch. Returns how many. */
  forgetWatcher(watcherKey: string, at: Date): Promise<number>;
  /** Stopping deletes the schedule. true when there was one. */
  delete(id: string): Promise<boolean>;
  countByStatus(): Promise<Record<WatchStatus, number>>;
  /** Records a decided occurrence. 'exists' when it was already decided (by this or another instance). */
  addCheckIn(record: CheckInRecord): Promise<'added' | 'exists'>;
  getCheckIn(id: string): Promise<CheckInRecord | null>;
  /** Applies `changes` only if the check-in is in one of `from` (the single write that settles it). */
  settleCheckIn(
    id: string,
    from: CheckInStatus[],
    changes: Partial<Pick<CheckInRecord, 'status' | 'answer' | 'answeredAt' | 'alerted'>>,
  ): Promise<CheckInRecord | null>;
  /** A watch's check-ins, by due time. */
  listCheckIns(watchId: string): Promise<CheckInRecord[]>;
  /** Every check-in due in [from, to), by due time (the monthly report). */
  listCheckInsDue(from: Date, to: Date): Promise<CheckInRecord[]>;
  /** Erasure: deletes the resident's watches and their check-ins. Returns how many watches. */
  eraseResident(residentKey: string): Promise<number>;
  /** Deletes the check-ins whose expiresAt has passed. */
  removeExpired(now: Date): Promise<number>;
}

// ---------------------------------------------------------------- the store

export interface Store {
  readonly kind: 'embedded' | 'mongo';
  inbox: InboxRepository;
  outbox: OutboxRepository;
  leases: LeaseRepository;
  contacts: ContactRepository;
  sessions: SessionRepository;
  cases: CaseRepository;
  audit: AuditRepository;
  timers: TimerRepository;
  seen: SeenRepository;
  watch: WatchRepository;
  /** Throws when the backend cannot be reached. */
  ping(): Promise<void>;
  /**
   * Makes removed and overwritten data physically gone where the backend keeps old versions (the
   * embedded store's append-only files); a no-op for MongoDB. Called after an erasure.
   */
  compact(): Promise<void>;
  /**
   * Resolves once every write made so far is committed, before something that depends on them
   * leaves the process (a message sent). A backend that commits the writes of one moment together
   * (the embedded store on the processing thread, turn-commit.ts) resolves with that commit; for the
   * others there is nothing to wait for.
   */
  flush(): Promise<void>;
  close(): Promise<void>;
}
