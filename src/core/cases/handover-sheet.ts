import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { AuditEntry, CaseRecord } from '../ports/store.js';
import type { Translate } from '../ports/translator.js';
import { summarizeCase } from './case-summary.js';
import { readIntake } from './intake.js';

/**
 * つなぐシート: what one window hands to the next so that the resident does not have to tell their
 * story again. Built here, in the core, from the case and its one staff summary; channels only render
 * it (Markdown in the thread, a printable PDF).
 *
 * Two variants, as the national 相談受付・申込票: with the resident's consent to share, and without
 * it. Without consent the sheet carries nothing that identifies the person (their own words, place,
 * phone, how to reach them) and says it is for a 支援会議 (Social Welfare Act art. 106-6) only. A
 * neighbour's report is always the second kind: the household never consented, and the reporter's
 * identity and contact are never on a sheet at all.
 */
export type HandoverVariant = 'consented' | 'support-meeting';

export interface SheetItem {
  label?: string | undefined;
  value: string;
}

export interface SheetSection {
  /** Stable id: lets a renderer style a section (the resident's words are quoted). */
  id: 'basics' | 'consent' | 'concern' | 'own-words' | 'contact' | 'history' | 'wishes';
  heading: string;
  items: SheetItem[];
}

export interface HandoverSheet {
  caseId: string;
  number: string;
  variant: HandoverVariant;
  title: string;
  /** The privacy line printed under the title. */
  notice: string;
  targetWindow: { id: string; name: string };
  producedAt: Date;
  sections: SheetSection[];
  /** A file name without personal data: the case number and the window id. */
  fileName: string;
}

export interface HandoverRequest {
  record: CaseRecord;
  /** The case's audit trail, for "the windows involved so far and what each did". */
  auditTrail: readonly AuditEntry[];
  targetWindowId: string;
  /** Staff confirmed with the resident that the sheet may go to the other window with their details. */
  consent: boolean;
  /** Who produced it, as staff see them (display name); optional. */
  producedBy?: string | undefined;
  now: Date;
}

export interface HandoverContext {
  config: MunicipalityConfig;
  /** Staff-facing text: the sheet is written in Japanese, the staff language. */
  t: Translate;
}

/** Consent can only be recorded for someone who spoke for themselves (or their family) and named themselves. */
export function canRecordConsent(record: CaseRecord): boolean {
  return record.origin !== 'neighbour' && !record.anonymous && record.erasedAt === undefined;
}

export function buildHandoverSheet(request: HandoverRequest, ctx: HandoverContext): HandoverSheet {
  const { record, now } = request;
  const { config, t } = ctx;
  const consented = request.consent && canRecordConsent(record);
  const variant: HandoverVariant = consented ? 'consented' : 'support-meeting';
  const summary = summarizeCase(record, { config, t, language: 'ja', now });
  const intake = readIntake(record.answers);
  const windowName = (id: string) => config.windows.find((w) => w.id === id)?.names.ja ?? id;
  const when = dateFormatter(config.timezone);
  const neighbour = record.origin === 'neighbour';
  const omitted = t(neighbour ? 'handover.omitted.neighbour' : 'handover.omitted.no-consent');
  const line = (key: string, value: string | undefined): SheetItem[] =>
    value ? [{ label: t(key), value }] : [];
  const summaryValue = (key: string) => summary.intake.lines.find((l) => l.key === key)?.value;

  const basics: SheetSection = {
    id: 'basics',
    heading: t('handover.section.basics'),
    items: [
      ...line('handover.label.number', record.number),
      ...line('handover.label.to', windowName(request.targetWindowId)),
      ...line('handover.label.from', windowName(record.windowId)),
      ...line('handover.label.produced-at', when(now)),
      ...line('handover.label.produced-by', request.producedBy),
      ...line('handover.label.received-at', when(record.createdAt)),
      ...line('handover.label.origin', summary.origin.label),
      ...line('handover.label.language', summary.language.name),
    ],
  };

  const consent: SheetSection = {
    id: 'consent',
    heading: t('handover.section.consent'),
    items: [
      {
        value: t(
          !consented
            ? 'handover.consent.no'
            : record.handoverConsent?.[request.targetWindowId] === 'yes'
              ? 'handover.consent.yes-resident'
              : 'handover.consent.yes',
        ),
      },
    ],
  };

  const area = intake.area ? config.areas.find((a) => a.id === intake.area) : undefined;
  const concern: SheetSection = {
    id: 'concern',
    heading: t('handover.section.concern'),
    items: [
      ...line('handover.label.fields', summaryValue('staff.alert.fields')),
      ...line('handover.label.observations', summaryValue('staff.alert.observations')),
      ...line('handover.label.patterns', summaryValue('staff.intake.patterns')),
      ...line('handover.label.urgency', summaryValue('staff.alert.urgency')),
      ...line('handover.label.area', area?.names.ja),
    ],
  };

  const ownWords: SheetSection = {
    id: 'own-words',
    heading: t(neighbour ? 'handover.section.reporter-words' : 'handover.section.own-words'),
    items: [
      {
        value: !consented
          ? omitted
          : record.erasedAt !== undefined
            ? t('handover.erased')
            : (record.ownWords ?? t('handover.none')),
      },
    ],
  };

  const contact: SheetSection = {
    id: 'contact',
    heading: t('handover.section.contact'),
    items: consented
      ? [
          {
            label: t('handover.label.contact-means'),
            value: t(`handover.contact.${intake.contact ?? 'line'}`),
          },
          ...line('handover.label.phone', intake.phone),
          ...line('handover.label.area-text', intake.areaText),
          ...line('handover.label.location', intake.location),
        ]
      : [{ value: omitted }],
  };

  const history: SheetSection = {
    id: 'history',
    heading: t('handover.section.history'),
    items: windowHistory(request.auditTrail, record, windowName, when, t),
  };

  const wishes: SheetSection = {
    id: 'wishes',
    heading: t('handover.section.wishes'),
    items: neighbour
      ? [{ value: t('handover.wishes.not-asked') }]
      : [
          {
            label: t('handover.label.when'),
            value: t(
              intake.urgency ? `handover.wishes.urgency.${intake.urgency}` : 'handover.wishes.unknown',
            ),
          },
          {
            label: t('handover.label.how'),
            value: t(`handover.wishes.contact.${intake.contact ?? 'line'}`),
          },
          ...(record.anonymous ? [{ value: t('handover.wishes.anonymous') }] : []),
        ],
  };

  return {
    caseId: record.id,
    number: record.number,
    variant,
    title: t(consented ? 'handover.title.consented' : 'handover.title.support-meeting'),
    notice: t(consented ? 'handover.notice.consented' : 'handover.notice.support-meeting'),
    targetWindow: { id: request.targetWindowId, name: windowName(request.targetWindowId) },
    producedAt: now,
    sections: [basics, consent, concern, ownWords, contact, history, wishes],
    fileName: `tsunagu-${record.number}-${request.targetWindowId}.pdf`,
  };
}

/** What each window did, read from the audit trail (ids and flags only, so nothing personal). */
function windowHistory(
  trail: readonly AuditEntry[],
  record: CaseRecord,
  windowName: (id: string) => string,
  when: (d: Date) => string,
  t: Translate,
): SheetItem[] {
  const entries = [...trail].sort((a, b) => a.at.getTime() - b.at.getTime());
  const opened = entries.find((e) => e.action === 'case.opened');
  let current = typeof opened?.details?.window === 'string' ? opened.details.window : record.windowId;
  const items: SheetItem[] = [];
  const add = (at: Date, windowId: string, key: string, values: Record<string, string> = {}) =>
    items.push({
      label: when(at),
      value: t('handover.history.line', { window: windowName(windowId), did: t(key, values) }),
    });
  for (const entry of entries) {
    const details = entry.details ?? {};
    switch (entry.action) {
      case 'case.opened':
        add(entry.at, current, 'handover.history.opened');
        break;
      case 'case.accepted':
        add(entry.at, current, 'handover.history.accepted');
        break;
      case 'case.rerouted': {
        const to = typeof details.to === 'string' ? details.to : current;
        add(
          entry.at,
          typeof details.from === 'string' ? details.from : current,
          'handover.history.rerouted',
          {
            to: windowName(to),
          },
        );
        current = to;
        break;
      }
      case 'case.handover-sheet':
        add(entry.at, current, 'handover.history.sheet', {
          to: windowName(typeof details.window === 'string' ? details.window : current),
        });
        break;
      case 'case.closed':
        add(entry.at, current, 'handover.history.closed');
        break;
      case 'case.reopened':
        add(entry.at, current, 'handover.history.reopened');
        break;
    }
  }
  return items.length > 0 ? items : [{ value: t('handover.none') }];
}

function dateFormatter(timeZone: string): (d: Date) => string {
  const format = new Intl.DateTimeFormat('ja-JP', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  return (d) => format.format(d);
}

/**
 * The sheet as Markdown, for the case thread. Every text is passed through the caller's
 * `quote` (Slack needs & < > escaped; the playground shows it as plain text).
 */
export function handoverMarkdown(sheet: HandoverSheet, quote: (text: string) => string = (s) => s): string {
  const out: string[] = [`# ${quote(sheet.title)}（${sheet.number}）`, '', `> ${quote(sheet.notice)}`, ''];
  for (const section of sheet.sections) {
    out.push(`## ${quote(section.heading)}`);
    for (const item of section.items) {
      const value = quote(item.value);
      if (section.id === 'own-words' && item.label === undefined && sheet.variant === 'consented')
        out.push(...value.split('\n').map((l) => `> ${l}`));
      else if (item.label) out.push(`- **${quote(item.label)}**: ${value.split('\n').join(' / ')}`);
      else out.push(`- ${value.split('\n').join(' / ')}`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}
