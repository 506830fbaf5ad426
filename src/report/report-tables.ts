import type { Translate, Translator } from '../core/ports/translator.js';
import { WATCH_OUTCOMES } from '../core/ports/watch-notice.js';
import {
  FIELD_COLUMNS,
  type MonthlyReport,
  ORIGINS,
  SCORES,
  type ShownFigure,
  type WindowRow,
} from './monthly-report.js';
import type { ShownCount } from './suppress-small-numbers.js';
import type { WatchFigures } from './watch-report.js';

/** The language of the parenthesised text in the Markdown headings (for the national programme and readers abroad). */
export const ASIDE_LANGUAGE = 'en';

/**
 * The report's text: `t` in the report's language (Japanese for the city's meetings, or `--lang`),
 * `en` for the English beside it. Every word comes from the `report.*` keys of locales/.
 */
export interface ReportText {
  language: string;
  t: Translate;
  en: Translate;
}

/** The report's text in `language` (default: the translator's source language, Japanese). */
export function reportText(translator: Translator, language?: string): ReportText {
  const lang = language ?? translator.languages[0] ?? 'ja';
  return { language: lang, t: translator.forLanguage(lang), en: translator.forLanguage(ASIDE_LANGUAGE) };
}

/** A label in the report's language (`text`) and in English (`en`; a window's id for a window row). */
export interface Label {
  text: string;
  en: string;
}

export type ReportValue = ShownCount | ShownFigure;

export interface ReportTable {
  /** Stable ids (section, row, column): month-to-month files can be joined on them. */
  id: string;
  title: Label;
  rowHeading: Label;
  columns: Array<{ id: string; label: Label }>;
  rows: Array<{ id: string; label: Label; values: ReportValue[] }>;
  notes: Label[];
}

/** `key` of the `report` locales in the report's language and in English. */
export const labelOf = (x: ReportText, key: string, values?: Record<string, string | number>): Label => ({
  text: x.t(key, values),
  en: x.en(key, values),
});

/** Keys of the rules printed at the top of every output, so nobody mistakes a mark for a number. */
export const SUPPRESSION_RULE_KEYS = [
  'report.suppression.rule-1',
  'report.suppression.rule-2',
  'report.suppression.rule-3',
  'report.suppression.rule-4',
] as const;

/** Printed when suppression could not protect every "<5" cell (MonthlyReport.exposedCells > 0). */
export const EXPOSED_WARNING_KEY = 'report.exposed-warning';

/** A name from the config in `language`; a locale without one falls back to the Japanese, then to `fallback`. */
export function localName(
  names: Readonly<Record<string, string>>,
  language: string,
  fallback: string,
): string {
  return names[language] ?? names.ja ?? fallback;
}

/**
 * A window's row label: its name in the report's language with its id beside it (the id is what
 * months are joined on, and stays readable whatever the language).
 */
function windowLabel(x: ReportText, w: WindowRow): Label {
  const name = localName(w.names, x.language, w.name);
  return { text: w.configured ? name : x.t('report.window.unconfigured', { name }), en: w.id };
}

type ListRow = [id: string, value: ReportValue, label?: Label];

/** A table of one value per row; a row's label is `report.<table id>.<row id>` unless given. */
function listTable(x: ReportText, id: string, rows: ListRow[], withNote = false): ReportTable {
  return {
    id,
    title: labelOf(x, `report.${id}.title`),
    rowHeading: labelOf(x, 'report.heading.item'),
    columns: [{ id: 'value', label: labelOf(x, 'report.column.value') }],
    rows: rows.map(([rowId, value, label]) => ({
      id: rowId,
      label: label ?? labelOf(x, `report.${id}.${rowId}`),
      values: [value],
    })),
    notes: withNote ? [labelOf(x, `report.${id}.note`)] : [],
  };
}

/** The report as tables: one model for every renderer, so CSV and Markdown always say the same. */
export function reportTables(r: MonthlyReport, x: ReportText): ReportTable[] {
  const total = labelOf(x, 'report.row.total');
  return [
    {
      id: 'window-field',
      title: labelOf(x, 'report.window-field.title'),
      rowHeading: labelOf(x, 'report.heading.window'),
      columns: [
        // The programme's terms rather than the chat's plain words (conversation.json's field.*).
        ...FIELD_COLUMNS.map((f) => ({ id: f, label: labelOf(x, `report.field.${f}`) })),
        { id: 'total', label: labelOf(x, 'report.column.total') },
      ],
      rows: [
        ...r.byWindow.map((w) => ({
          id: w.id,
          label: windowLabel(x, w),
          values: [...FIELD_COLUMNS.map((f) => w.fields[f]), w.total],
        })),
        { id: 'total', label: total, values: [...FIELD_COLUMNS.map((f) => r.fieldTotals[f]), r.cases] },
      ],
      notes: [labelOf(x, 'report.window-field.note')],
    },
    listTable(x, 'origin', [...ORIGINS.map((o): ListRow => [o, r.byOrigin[o]]), ['total', r.cases, total]]),
    listTable(x, 'urgent', [
      ['urgent', r.urgent.urgent],
      ['not-urgent', r.urgent.notUrgent],
    ]),
    listTable(
      x,
      'after-hours',
      [
        ['closed', r.afterHours.closed],
        ['open', r.afterHours.open],
        ['unknown', r.afterHours.unknown],
        ['share-percent', r.afterHours.sharePercent],
      ],
      true,
    ),
    listTable(
      x,
      'time-to-accept',
      [
        ['accepted', r.timeToAccept.accepted],
        ['not-accepted', r.timeToAccept.notAccepted],
        ['median-minutes', r.timeToAccept.medianMinutes],
        ['p90-minutes', r.timeToAccept.p90Minutes],
      ],
      true,
    ),
    listTable(x, 'reroutes', [
      ['rerouted', r.reroutes.cases],
      ['not-rerouted', r.reroutes.none],
      ['reroutes-total', r.reroutes.total],
    ]),
    listTable(x, 'reopened', [
      ['reopened', r.reopened.cases],
      ['not-reopened', r.reopened.none],
      ['reopenings-total', r.reopened.total],
    ]),
    listTable(
      x,
      'satisfaction',
      [
        ['rated', r.satisfaction.rated],
        ['not-rated', r.satisfaction.notRated],
        ...SCORES.map(
          (k): ListRow => [
            `score-${k}`,
            r.satisfaction.distribution[k],
            labelOf(x, 'report.satisfaction.score', { score: k }),
          ],
        ),
        ['mean', r.satisfaction.mean],
      ],
      true,
    ),
    ...(r.watch ? [watchTable(r.watch, x)] : []),
  ];
}

/** 見守り: people, check-ins, answers, alerts, outcomes, and the LINE pushes they cost. */
function watchTable(w: WatchFigures, x: ReportText): ReportTable {
  return listTable(
    x,
    'watch',
    [
      ['people', w.people],
      ['sent', w.sent],
      ['answered', w.answered],
      ['missed', w.missed],
      ['waiting', w.waiting],
      ['skipped', w.skipped],
      ['answered-share', w.answeredSharePercent],
      ['alerts', w.alerts],
      ...WATCH_OUTCOMES.map((o): ListRow => [`outcome-${o}`, w.outcomes[o]]),
      ['pushes', w.pushes],
    ],
    true,
  );
}
