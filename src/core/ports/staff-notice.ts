import type { IncomingContent } from './incoming-event.js';
import type { WatchNote } from './watch-notice.js';

/**
 * What staff must be told about a case, channel-neutral. The core decides *what*; the staff channel
 * adapter (Slack, the playground) decides *how*, reading the case's current state from the store
 * when it delivers the notice, so an alert never shows stale data.
 *
 * Notices travel through the durable outbox addressed to `case:<caseId>`, so the notices of one case
 * reach staff in order (the alert before its thread).
 */
export type StaffNotice =
  /** Post the case's alert in its window's channel, or refresh it where it already is. */
  | { kind: 'alert'; caseId: string }
  /** A line in the case's thread. */
  | { kind: 'thread'; caseId: string; note: ThreadNote };

export type ThreadNote =
  /** After accept: the intake summary and the resident's own words (escaped by the adapter). */
  | { type: 'intake' }
  /** The resident wrote again: relayed as it is (text escaped; media uploaded or described). */
  | { type: 'resident-message'; content: IncomingContent; eventId: string }
  /** Crisis detected (again): highest priority; mention the on-call group. */
  | { type: 'crisis' }
  /** Not accepted in time: level 1 mentions the on-call group, level 2 goes to the supervisor channel. */
  | { type: 'escalation'; level: 1 | 2; waitingMinutes: number }
  /** The outcome of a staff reply's delivery to the resident (✅ / ⚠️ with the reason). */
  | { type: 'delivery'; replyId: string; delivered: boolean; error?: string | undefined }
  | { type: 'accepted'; staffId: string }
  | { type: 'rerouted'; fromWindowId: string; toWindowId: string; staffId: string }
  | { type: 'closed'; staffId: string; note?: string | undefined }
  | { type: 'reopened' }
  | { type: 'satisfaction'; score: number }
  /**
   * Staff asked for a つなぐシート for `windowId` (core/cases/handover-sheet.ts): the channel builds it
   * from the case when it delivers, and posts it in the thread (Markdown and PDF) as resident content,
   * so erasure and retention remove it with the rest.
   */
  | {
      type: 'handover-sheet';
      windowId: string;
      consent: boolean;
      staffId: string;
      staffName?: string | undefined;
    }
  /** Staff asked the resident whether the case may go to `windowId` (the sheet follows their answer). */
  | { type: 'consent-asked'; windowId: string; staffId: string }
  /**
   * The resident erased their data, or its retention period ended: staff see that it happened, and
   * the staff channel removes its own copies of what the resident wrote.
   */
  | { type: 'erased'; reason?: 'retention' | undefined }
  /** 見守り (core/watch): check-ins tied to this case. */
  | { type: 'watch'; watch: WatchNote };

/** Who did something, as the staff channel identifies them (a Slack user id). */
export interface StaffRef {
  id: string;
  /** Shown on the alert ("担当: @name"); never sent to the resident unless the city opts in. */
  displayName?: string | undefined;
}
