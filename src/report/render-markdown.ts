import type { Translator } from '../core/ports/translator.js';
import type { MonthlyReport } from './monthly-report.js';
import {
  ASIDE_LANGUAGE,
  EXPOSED_WARNING_KEY,
  type Label,
  labelOf,
  localName,
  type ReportTable,
  type ReportValue,
  reportTables,
  reportText,
  SUPPRESSION_RULE_KEYS,
} from './report-tables.js';

/** "text (English)"; just the text where the two are the same (a report in English). */
const both = (l: Label) => (l.en === l.text ? l.text : `${l.text} (${l.en})`);
/** A paragraph and its English on the next line of the same paragraph (a Markdown hard break). */
function twoLines(l: Label, indent: string, strong = false): string {
  const text = strong ? `**${l.text}**` : l.text;
  return l.en === l.text ? text : `${text}  \n${indent}${l.en}`;
}
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const value = (v: ReportValue) => (v === null ? '—' : String(v));

function table(t: ReportTable, index: number): string[] {
  const header = [t.rowHeading, ...t.columns.map((c) => c.label)].map(both);
  const align = ['---', ...t.columns.map(() => '---:')];
  const rows = t.rows.map((r) => [both(r.label), ...r.values.map(value)]);
  const line = (fields: string[]) => `| ${fields.map(cell).join(' | ')} |`;
  return [
    `## ${index}. ${both(t.title)}`,
    '',
    line(header),
    line(align),
    ...rows.map(line),
    ...(t.notes.length > 0 ? ['', ...t.notes.map((n) => `> ${twoLines(n, '> ')}`)] : []),
    '',
  ];
}

/** The month's name in `language` (for locales that spell it, such as English "November"). */
function monthName(year: number, month: number, language: string): string {
  const at = new Date(Date.UTC(year, month - 1, 15));
  try {
    return new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' }).format(at);
  } catch {
    return new Intl.DateTimeFormat(ASIDE_LANGUAGE, { month: 'long', timeZone: 'UTC' }).format(at);
  }
}

/**
 * The report as Markdown for the city's 重層的支援会議 and the national programme reporting:
 * headings in `language` (default the source language, Japanese) with English in parentheses, the
 * suppression rule first, then one table per section. Suppressed figures show their mark ("<5",
 * "x"); "—" means nothing to compute. The text comes from the `report` locales; the municipality's
 * and windows' names from the config, in `language` where it has them.
 */
export function renderMarkdown(report: MonthlyReport, translator: Translator, language?: string): string {
  const x = reportText(translator, language);
  const [year, month] = report.month.split('-').map(Number) as [number, number];
  const municipality = localName(report.municipalityNames, x.language, report.municipality.name);
  const dated = { month: report.month, timezone: report.timezone };
  const title = x.t('report.title', {
    municipality,
    year,
    month,
    monthName: monthName(year, month, x.language),
  });
  // The English aside is the short title: the full one already names the municipality.
  const aside =
    x.language === ASIDE_LANGUAGE
      ? ''
      : ` (${x.en('report.title.short', { year, month, monthName: monthName(year, month, ASIDE_LANGUAGE) })})`;
  const lines = [
    `# ${title}${aside}`,
    '',
    `- ${both(labelOf(x, 'report.scope'))}: ${both(labelOf(x, 'report.scope.text', dated))}`,
    `- ${both(labelOf(x, 'report.cases'))}: ${value(report.cases)}`,
    '',
    `## ${both(labelOf(x, 'report.suppression.title'))}`,
    '',
    ...SUPPRESSION_RULE_KEYS.map((key) => `- ${twoLines(labelOf(x, key), '  ')}`),
    '',
    ...(report.exposedCells > 0 ? [`> ${twoLines(labelOf(x, EXPOSED_WARNING_KEY), '> ', true)}`, ''] : []),
    ...reportTables(report, x).flatMap((t, i) => table(t, i + 1)),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
