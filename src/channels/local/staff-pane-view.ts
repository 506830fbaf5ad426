import { answerList, answerText } from '../../core/cases/answer-values.js';
import type { ThreadNote } from '../../core/cases/staff-notice.js';
import type { IncomingContent } from '../../core/incoming-event.js';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import { isOpen } from '../../core/municipality/opening-hours.js';
import type { CaseOrigin, CaseRecord, CaseStatus } from '../../core/store.js';
import type { Translate } from '../../core/translator.js';
import type { StaffFeedEntry } from './local-sender.js';

export interface Labelled {
  id: string;
  label: string;
}

/**
 * What the staff pane shows of a case: the alert. The same data as the Slack alert (slack-alert.ts),
 * read only from structured fields - never the resident's id, phone, place or own words; those
 * appear in the thread's intake note, and only once someone has taken the case.
 */
export interface CaseView {
  id: string;
  number: string;
  window: { id: string; name: string };
  fields: Labelled[];
  /** What a neighbour noticed (the choices, not their words). */
  observations: Labelled[];
  /** Household patterns recognised in the consultation (8050, double care...). */
  patterns: Labelled[];
  urgent: boolean;
  /** Crisis categories detected; empty when none. */
  crisis: Labelled[];
  /** The resident's answer to "are you in danger now?", as its label, when they were asked. */
  concern?: string | undefined;
  /** The urgency the resident chose (self intake), as its label. */
  urgency?: string | undefined;
  language: { id: string; name: string };
  origin: { id: CaseOrigin; label: string };
  anonymous: boolean;
  /** Whether and how staff can answer, never the means' details (the number). */
  contact?: string | undefined;
  /** The window was closed when the case arrived. */
  afterHours: boolean;
  openNow: boolean;
  waitingSince: string;
  status: CaseStatus;
  assignee?: string | undefined;
  acceptedAt?: string | undefined;
  closedAt?: string | undefined;
  rerouteCount: number;
  reopenCount: number;
  erased: boolean;
}

export interface SummaryLine {
  label: string;
  value: string;
}

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
  | { type: 'staff-reply'; staffId: string; text: string; replyId: string };

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

export interface ViewContext {
  config: MunicipalityConfig;
  /** Staff-facing text in the staff pane's language (the `staff.*` labels the Slack adapter uses too). */
  t: Translate;
  language: string;
  now: Date;
}

const localized = (names: Record<string, string>, language: string): string =>
  names[language] ?? names.ja ?? '';

/** A label from the locales, or the raw value when there is none (i18next returns the key). */
function label(t: Translate, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}

const labelled = (ctx: ViewContext, prefix: string, ids: string[]): Labelled[] =>
  ids.map((id) => ({ id, label: label(ctx.t, `${prefix}.${id}`, id) }));

const list = (ctx: ViewContext, items: Labelled[]): string | undefined =>
  items.length > 0 ? items.map((i) => i.label).join(ctx.t('common.list-separator')) : undefined;

function windowOf(id: string, ctx: ViewContext): { id: string; name: string } {
  const window = ctx.config.windows.find((w) => w.id === id);
  return { id, name: window ? localized(window.names, ctx.language) : id };
}

/** Personal content (own words, location, resident messages) is shown only to the person who took the case. */
export function isContentVisible(record: CaseRecord): boolean {
  return record.erasedAt === undefined && record.assignee !== undefined && record.status !== 'pending';
}

function contactOf(record: CaseRecord, ctx: ViewContext): string | undefined {
  if (record.origin === 'neighbour') {
    const contactable = answerText(record.answers.contactable) === 'yes';
    return ctx.t(
      contactable ? 'staff.contact.reporter-contactable' : 'staff.contact.reporter-not-contactable',
    );
  }
  const means = answerText(record.answers.contact);
  return means ? label(ctx.t, `staff.contact.means.${means}`, means) : undefined;
}

function concernOf(record: CaseRecord, ctx: ViewContext): string | undefined {
  const answer = answerText(record.answers.concern);
  return answer ? label(ctx.t, `staff.alert.concern.${answer}`, answer) : undefined;
}

export function renderCaseView(record: CaseRecord, ctx: ViewContext): CaseView {
  const window = ctx.config.windows.find((w) => w.id === record.windowId);
  const urgency = answerText(record.answers.urgency);
  return {
    id: record.id,
    number: record.number,
    window: windowOf(record.windowId, ctx),
    fields: labelled(ctx, 'field', record.fields.length > 0 ? record.fields : ['unknown']),
    observations: labelled(ctx, 'observation', answerList(record.answers.observations)),
    patterns: labelled(ctx, 'staff.pattern', record.patterns),
    urgent: record.urgent,
    crisis: labelled(ctx, 'staff.crisis', answerList(record.answers.crisis)),
    concern: concernOf(record, ctx),
    urgency: urgency ? label(ctx.t, `intake.urgency.${urgency}`, urgency) : undefined,
    language: {
      id: record.language,
      name: label(ctx.t, `language.name.${record.language}`, record.language),
    },
    origin: { id: record.origin, label: label(ctx.t, `staff.origin.${record.origin}`, record.origin) },
    anonymous: record.anonymous,
    contact: contactOf(record, ctx),
    afterHours: window ? !isOpen(window, record.createdAt, ctx.config.timezone) : false,
    openNow: window ? isOpen(window, ctx.now, ctx.config.timezone) : false,
    waitingSince: record.createdAt.toISOString(),
    status: record.status,
    assignee: record.assignee,
    acceptedAt: record.acceptedAt?.toISOString(),
    closedAt: record.closedAt?.toISOString(),
    rerouteCount: record.rerouteCount,
    reopenCount: record.reopenCount,
    erased: record.erasedAt !== undefined,
  };
}

/** The intake as the Slack thread shows it after accept: the summary, then the free text given. */
function intakeLines(record: CaseRecord, ctx: ViewContext): SummaryLine[] {
  const view = renderCaseView(record, ctx);
  const area = answerText(record.answers.area);
  const knownArea = area ? ctx.config.areas.find((a) => a.id === area) : undefined;
  const attachments = answerList(record.answers.attachments).length;
  const lines: Array<[string, string | undefined]> = [
    ['staff.alert.fields', record.fields.length > 0 ? list(ctx, view.fields) : undefined],
    ['staff.alert.observations', list(ctx, view.observations)],
    ['staff.intake.patterns', list(ctx, view.patterns)],
    ['staff.alert.urgency', view.urgency],
    ['staff.alert.origin', view.origin.label],
    ['staff.alert.contact', view.contact],
    ['staff.intake.area', knownArea ? localized(knownArea.names, ctx.language) : undefined],
    ['staff.intake.area-text', area && !knownArea ? area : undefined],
    ['staff.intake.location', answerText(record.answers.location)],
    ['staff.intake.phone', answerText(record.answers.phone)],
    ['playground.thread.attachments', attachments > 0 ? String(attachments) : undefined],
  ];
  return lines.flatMap(([key, value]) => (value ? [{ label: ctx.t(key), value }] : []));
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
      return record && visible
        ? { type: 'intake', hidden: false, lines: intakeLines(record, ctx), ownWords: record.ownWords }
        : { type: 'intake', hidden: true };
    case 'resident-message':
      return visible
        ? { type: 'resident-message', hidden: false, text: describeContent(note.content, ctx.t) }
        : { type: 'resident-message', hidden: true };
    case 'rerouted':
      return {
        type: 'rerouted',
        from: windowOf(note.fromWindowId, ctx).name,
        to: windowOf(note.toWindowId, ctx).name,
        staffId: note.staffId,
      };
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
