import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import { describeNextOpening, isOpen } from '../municipality/opening-hours.js';
import type { CaseOrigin, CaseRecord, CaseStatus } from '../ports/store.js';
import type { Translate } from '../ports/translator.js';
import { type Intake, readIntake } from './intake.js';

/** One labelled line of what staff see; the value may span lines, and is plain text (not escaped). */
export interface SummaryLine {
  /** The i18n key of the label: lets a channel pick or style a line without reading its text. */
  key: string;
  label: string;
  value: string;
}

export interface Labelled {
  id: string;
  label: string;
}

/**
 * What staff see of a case, built once here for every staff view (the Slack alert and thread, the
 * playground's card and thread): channels only render it. The privacy rule lives here too: the
 * alert carries nothing the resident wrote or could be found by; their words, place and phone
 * number are in `intake.personal`, present only once someone has taken the case.
 */
export interface CaseSummary {
  id: string;
  number: string;
  status: CaseStatus;
  assignee?: string | undefined;
  receivedAt: Date;
  acceptedAt?: Date | undefined;
  closedAt?: Date | undefined;
  window: { id: string; name: string };
  origin: { id: CaseOrigin; label: string };
  language: { id: string; name: string };
  /** Staff do not know who is consulting. */
  anonymous: boolean;
  urgent: boolean;
  /** Danger was detected (a crisis category, or the safety question answered yes / not sure). */
  crisis: boolean;
  afterHours: boolean;
  openNow: boolean;
  rerouteCount: number;
  reopenCount: number;
  erased: boolean;
  /** The alert's lines, in order: window, subject, urgency, origin, contact, language, hours. */
  alert: SummaryLine[];
  /** Whether personal content may be shown (see isContentVisible). */
  contentVisible: boolean;
  intake: {
    /** The structured intake, for the thread after accept. */
    lines: SummaryLine[];
    /** Only when contentVisible. */
    personal?: PersonalContent | undefined;
  };
}

export interface PersonalContent {
  ownWords?: string | undefined;
  /** Area as written, place, phone number: free text as the resident gave it. */
  lines: SummaryLine[];
  /** A place that may end in "(lat, lon)", for a map link. */
  place?: string | undefined;
  attachments: number;
}

export interface SummaryContext {
  config: MunicipalityConfig;
  /** Staff-facing text in the view's language. */
  t: Translate;
  language: string;
  now: Date;
}

/** Personal content (own words, place, phone, resident messages) is shown only once someone has taken the case. */
export function isContentVisible(record: CaseRecord): boolean {
  return record.erasedAt === undefined && record.assignee !== undefined && record.status !== 'pending';
}

const localized = (names: Record<string, string>, language: string): string =>
  names[language] ?? names.ja ?? '';

export function summarizeCase(record: CaseRecord, ctx: SummaryContext): CaseSummary {
  const { t, config } = ctx;
  const intake = readIntake(record.answers);
  const label = (prefix: string, id: string): string => {
    const key = `${prefix}.${id}`;
    const text = t(key);
    return text === key ? id : text;
  };
  const list = (prefix: string, ids: readonly string[]) =>
    ids.length > 0 ? ids.map((id) => label(prefix, id)).join(t('common.list-separator')) : '';
  const line = (key: string, value: string | undefined): SummaryLine[] =>
    value ? [{ key, label: t(key), value }] : [];

  const window = config.windows.find((w) => w.id === record.windowId);
  const windowName = window ? localized(window.names, ctx.language) : record.windowId;
  const origin = { id: record.origin, label: label('staff.origin', record.origin) };
  const crisis = (intake.crisis ?? []).length > 0 || intake.concern === 'yes' || intake.concern === 'unsure';
  const observations = intake.observations ?? [];
  const neighbourSaw = record.origin === 'neighbour' && observations.length > 0;
  const fields = list('field', record.fields.length > 0 ? record.fields : ['unknown']);
  const patterns = list('staff.pattern', record.patterns);
  const subject = neighbourSaw ? list('observation', observations) : fields;

  const openNow = window ? isOpen(window, ctx.now, config.timezone) : false;
  const afterHours = window ? !isOpen(window, record.createdAt, config.timezone) : false;
  const next = window && !openNow ? describeNextOpening(window, ctx.now, config.timezone) : null;
  const hours = window
    ? [
        t(afterHours ? 'staff.hours.arrived-after-hours' : 'staff.hours.arrived-open'),
        openNow
          ? t('staff.hours.open-now')
          : next
            ? t('staff.hours.closed-now-until', {
                next: `${t(`time.weekday.${next.weekday}`)} ${next.time.replace(/^0/, '')}`,
              })
            : t('staff.hours.closed-now'),
      ].join('\n')
    : undefined;

  const urgency = urgencyText(record, intake, t, label);
  const contact = contactText(record, intake, t, label);
  const alert = [
    ...line('staff.alert.window', windowName),
    ...line(
      neighbourSaw ? 'staff.alert.observations' : 'staff.alert.fields',
      patterns ? `${subject}\n${t('staff.alert.patterns', { patterns })}` : subject,
    ),
    ...line('staff.alert.urgency', urgency),
    ...line('staff.alert.origin', origin.label),
    ...line('staff.alert.contact', contact),
    ...line('staff.alert.language', label('language.name', record.language)),
    ...line('staff.alert.hours', hours),
  ];

  const area = intake.area ? config.areas.find((a) => a.id === intake.area) : undefined;
  const intakeLines = [
    ...line('staff.alert.fields', record.fields.length > 0 ? fields : undefined),
    ...line('staff.alert.observations', list('observation', observations)),
    ...line('staff.intake.patterns', patterns),
    ...line('staff.alert.urgency', urgency),
    ...line('staff.alert.origin', origin.label),
    ...line('staff.alert.contact', contact),
    ...line('staff.intake.area', area ? localized(area.names, ctx.language) : undefined),
  ];
  const contentVisible = isContentVisible(record);
  const personal: PersonalContent | undefined = contentVisible
    ? {
        ownWords: record.ownWords,
        lines: [
          ...line('staff.intake.area-text', intake.areaText),
          ...line('staff.intake.location', intake.location),
          ...line('staff.intake.phone', intake.phone),
        ],
        place: intake.location ?? intake.areaText,
        attachments: (intake.attachments ?? []).length,
      }
    : undefined;

  return {
    id: record.id,
    number: record.number,
    status: record.status,
    assignee: record.assignee,
    receivedAt: record.createdAt,
    acceptedAt: record.acceptedAt,
    closedAt: record.closedAt,
    window: { id: record.windowId, name: windowName },
    origin,
    language: { id: record.language, name: label('language.name', record.language) },
    anonymous: record.anonymous,
    urgent: record.urgent,
    crisis,
    afterHours,
    openNow,
    rerouteCount: record.rerouteCount,
    reopenCount: record.reopenCount,
    erased: record.erasedAt !== undefined,
    alert,
    contentVisible,
    intake: { lines: intakeLines, personal },
  };
}

/**
 * One urgency: danger detected outranks the resident's own choice (which is then not shown beside
 * it); the answer to the safety question follows on its own line when it was asked.
 */
function urgencyText(
  record: CaseRecord,
  intake: Intake,
  t: Translate,
  label: (prefix: string, id: string) => string,
): string {
  const categories = (intake.crisis ?? []).map((c) => label('staff.crisis', c));
  const level = record.urgent
    ? categories.length > 0
      ? t('staff.alert.crisis-with', { categories: categories.join(t('common.list-separator')) })
      : t('staff.alert.crisis')
    : intake.urgency
      ? label('intake.urgency', intake.urgency)
      : t('staff.alert.urgency-unknown');
  return intake.concern ? `${level}\n${label('staff.alert.concern', intake.concern)}` : level;
}

/**
 * Whether staff know who it is, and how they may answer; never the means' details (the number).
 * A case opened before the resident was asked (a crisis) can be answered in the conversation it
 * came from.
 */
function contactText(
  record: CaseRecord,
  intake: Intake,
  t: Translate,
  label: (prefix: string, id: string) => string,
): string {
  const identity = t(record.anonymous ? 'staff.contact.anonymous' : 'staff.contact.identified');
  const means =
    record.origin === 'neighbour'
      ? t(
          intake.contact === 'line'
            ? 'staff.contact.reporter-contactable'
            : 'staff.contact.reporter-not-contactable',
        )
      : label('staff.contact.means', intake.contact ?? 'line');
  return `${identity}\n${means}`;
}
