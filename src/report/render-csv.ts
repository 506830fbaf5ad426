import type { Translator } from '../core/ports/translator.js';
import type { MonthlyReport } from './monthly-report.js';
import {
  localName,
  type ReportValue,
  reportTables,
  reportText,
  SUPPRESSION_RULE_KEYS,
} from './report-tables.js';

/** Excel in Japan reads a CSV without a byte order mark as Shift_JIS and garbles the Japanese. */
const BOM = '\uFEFF';
/** Column names of the data format (not display text): scripts and pivot tables refer to them. */
const HEADER = ['section', 'row', 'column', 'value', 'section_label', 'row_label', 'column_label'];

/** A text cell that Excel would run as a formula (=, +, -, @) is kept as text with a leading quote. */
function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

const value = (v: ReportValue): string => (v === null ? '' : String(v));

/**
 * The report in long format, one figure per line: `section,row,column,value` plus the labels of each
 * in `language` (default the source language, Japanese, for the city's staff). One shape for every
 * section, so a spreadsheet can filter or pivot it and months can be stacked and joined on the ids.
 * Suppressed figures carry their mark ("<5", "x") as the value; an empty value means there was
 * nothing to compute. The first lines (section "meta") name the municipality and month and state the
 * suppression rule. UTF-8 with a BOM, CRLF line ends. The text comes from the `report` locales.
 */
export function renderCsv(report: MonthlyReport, translator: Translator, language?: string): string {
  const x = reportText(translator, language);
  const lines: string[][] = [HEADER];
  const meta = (row: string, v: string, labelKey: string) =>
    lines.push(['meta', row, 'value', v, '', x.t(labelKey), '']);
  const municipality = localName(report.municipalityNames, x.language, report.municipality.name);
  meta('municipality', municipality, 'report.meta.municipality');
  meta('municipality-id', report.municipality.id, 'report.meta.municipality-id');
  meta('month', report.month, 'report.meta.month');
  meta('timezone', report.timezone, 'report.meta.timezone');
  SUPPRESSION_RULE_KEYS.forEach((key, i) => {
    lines.push(['meta', `suppression-${i + 1}`, 'value', x.t(key), '', x.t('report.suppression.title'), '']);
  });
  // Normally 0; otherwise some "<5" can still be worked out and the file needs a look before publishing.
  meta('exposed-cells', String(report.exposedCells), 'report.meta.exposed-cells');
  for (const table of reportTables(report, x)) {
    for (const row of table.rows) {
      table.columns.forEach((column, i) => {
        lines.push([
          table.id,
          row.id,
          column.id,
          value(row.values[i] ?? null),
          table.title.text,
          row.label.text,
          column.label.text,
        ]);
      });
    }
  }
  const body = lines.map((fields) => fields.map((f) => quote(text(f))).join(',')).join('\r\n');
  return `${BOM}${body}\r\n`;
}
