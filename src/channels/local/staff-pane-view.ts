import {
  type CaseSummary,
  isContentVisible,
  type SummaryContext,
  type SummaryLine,
  summarizeCase,
} from '../../core/cases/case-summary.js';
import type { IncomingContent } from '../../core/ports/incoming-event.js';
import type { ThreadNote } from '../../core/ports/staff-notice.js';
import type { CaseRecord } from '../../core/ports/store.js';
import type { Translate } from '../../core/ports/translator.js';
import type { StaffFeedEntry } from './local-sender.js';
import { renderWatchEntry, type WatchEntryView } from './staff-pane-watch.js';

/**
 * What the staff pane shows of a case: the case summary (core/cases/case-summary.ts), the same one
 * the Slack alert renders, with its times as ISO strings for the browser.
 */
export type CaseView = Omit<CaseSummary, 'receivedAt' | 'acceptedAt' | 'closedAt' | 'intake'> & {
  waitingSince: string;
  acceptedAt?: string | undefined;
  closedAt?: string | undefined;
};

/** One line of a case thread, ready to draw. `hidden`: personal content withheld until someone accepts. */
export type ThreadEntryView =
  | { type: 'intake'; hidden: true }
  | { type: 'intake'; hidden: false; lines: SummaryLine[]; ownWords?: string | undefined }
  | { type: 'resident-message'; hidden: true }
  | { type: 'resident-message'; hidden: false; text: string }
  | { type: 'crisis' }
  | { type: 'escalation'; level: 1 | 2; waitingMinutes: number }
  | { type: 'delivery'; replyId: string; delivered: boolean; error?: string | undefined }
  | { type: 'accepted'; staffId: string }
  | { type: 'rerouted'; from: string; to: string; staffId: string }
  | { type: 'closed'; staffId: string; note?: string | undefined }
  | { type: 'reopened' }
  | { type: 'satisfaction'; score: number }
  | { type: 'erased' }
  /** Staff asked the resident whether the case may go to `to`. */
  | { type: 'consent-asked'; to: string; staffId: string }
  /** A つなぐシート: where it goes, and where the pane downloads it (built on request from the case). */
  | {
      type: 'handover-sheet';
      to: string;
      consent: boolean;
      staffId: string;
      pdfUrl: string;
      markdownUrl: string;
    }
  | { type: 'staff-reply'; staffId: string; text: string; replyId: string }
  | WatchEntryView;

export interface FeedEntryView {
  sequence: number;
  at: string;
  caseId: string;
  /** The case's alert is (re)posted: draw or refresh its card. */
  alert: boolean;
  note?: ThreadEntryView | undefined;
  /** The case as it is now (null once it is gone from the store). */
  case: CaseView | null;
}

/** Staff-facing text in the staff pane's language (the `staff.*` labels the Slack adapter uses too). */
export type ViewContext = SummaryContext;

const localized = (names: Record<string, string>, language: string): string =>
  names[language] ?? names.ja ?? '';

function windowName(id: string, ctx: ViewContext): string {
  const window = ctx.config.windows.find((w) => w.id === id);
  return window ? localized(window.names, ctx.language) : id;
}

export function renderCaseView(record: CaseRecord, ctx: ViewContext): CaseView {
  const { receivedAt, acceptedAt, closedAt, intake: _intake, ...summary } = summarizeCase(record, ctx);
  return {
    ...summary,
    waitingSince: receivedAt.toISOString(),
    acceptedAt: acceptedAt?.toISOString(),
    closedAt: closedAt?.toISOString(),
  };
}

/** The intake as the thread shows it after accept: the summary's lines, then the free text given. */
function intakeEntry(record: CaseRecord, ctx: ViewContext): ThreadEntryView {
  const { intake } = summarizeCase(record, ctx);
  const personal = intake.personal;
  if (!personal) return { type: 'intake', hidden: true };
  const attachments: SummaryLine[] =
    personal.attachments > 0
      ? [
          {
            key: 'playground.thread.attachments',
            label: ctx.t('playground.thread.attachments'),
            value: String(personal.attachments),
          },
        ]
      : [];
  return {
    type: 'intake',
    hidden: false,
    lines: [...intake.lines, ...personal.lines, ...attachments],
    ownWords: personal.ownWords,
  };
}

function describeContent(content: IncomingContent, t: Translate): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'choice':
      return t('playground.thread.resident-choice');
    case 'location': {
      const where = `${content.latitude.toFixed(5)}, ${content.longitude.toFixed(5)}`;
      return `${t('playground.thread.resident-location')} ${[content.title, content.address, where].filter(Boolean).join(' / ')}`;
    }
    case 'media':
      return t('playground.thread.resident-media', { media: content.media });
    case 'sticker':
      return t('playground.thread.resident-sticker');
    case 'follow':
    case 'unfollow':
      return t(`playground.thread.resident-${content.type}`);
  }
}

export function renderThreadNote(
  note: ThreadNote,
  record: CaseRecord | null,
  ctx: ViewContext,
): ThreadEntryView {
  const visible = record !== null && isContentVisible(record);
  switch (note.type) {
    case 'intake':
      return record ? intakeEntry(record, ctx) : { type: 'intake', hidden: true };
    case 'resident-message':
      return visible
        ? { type: 'resident-message', hidden: false, text: describeContent(note.content, ctx.t) }
        : { type: 'resident-message', hidden: true };
    case 'rerouted':
      return {
        type: 'rerouted',
        from: windowName(note.fromWindowId, ctx),
        to: windowName(note.toWindowId, ctx),
        staffId: note.staffId,
      };
    case 'handover-sheet': {
      const query = new URLSearchParams({
        window: note.windowId,
        consent: note.consent ? '1' : '0',
        by: note.staffName ?? note.staffId,
      });
      const base = `/playground/api/cases/${encodeURIComponent(record?.id ?? '')}/handover-sheet`;
      return {
        type: 'handover-sheet',
        to: windowName(note.windowId, ctx),
        consent: note.consent,
        staffId: note.staffId,
        pdfUrl: `${base}.pdf?${query}`,
        markdownUrl: `${base}.md?${query}`,
      };
    }
    case 'consent-asked':
      return { type: 'consent-asked', to: windowName(note.windowId, ctx), staffId: note.staffId };
    case 'watch':
      return renderWatchEntry(note.watch, ctx);
    default:
      return note;
  }
}

/** A feed entry as the staff pane draws it, read against the case as it is now. */
export function renderFeedEntry(
  entry: StaffFeedEntry,
  record: CaseRecord | null,
  ctx: ViewContext,
): FeedEntryView {
  const base = {
    sequence: entry.sequence,
    at: entry.at,
    caseId: entry.caseId,
    case: record ? renderCaseView(record, ctx) : null,
  };
  if (entry.kind === 'reply') {
    return {
      ...base,
      alert: false,
      note: { type: 'staff-reply', staffId: entry.staffId, text: entry.text, replyId: entry.replyId },
    };
  }
  const { notice } = entry;
  return notice.kind === 'alert'
    ? { ...base, alert: true }
    : { ...base, alert: false, note: renderThreadNote(notice.note, record, ctx) };
}
