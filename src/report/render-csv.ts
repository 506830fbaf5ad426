import type { MonthlyReport } from './monthly-report.js';
import { type ReportValue, reportTables, SUPPRESSION_RULES } from './report-tables.js';

/** Excel in Japan reads a CSV without a byte order mark as Shift_JIS and garbles the Japanese. */
const BOM = '\uFEFF';
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
 * The report in long format, one figure per line: `section,row,column,value` plus the Japanese
 * labels of each. One shape for every section, so a spreadsheet can filter or pivot it and months
 * can be stacked and joined on the ids. Suppressed figures carry their mark ("<5", "x") as the
 * value; an empty value means there was nothing to compute. The first lines (section "meta") name
 * the municipality and month and state the suppression rule. UTF-8 with a BOM, CRLF line ends.
 */
export function renderCsv(report: MonthlyReport): string {
  const lines: string[][] = [HEADER];
  const meta = (row: string, v: string, label: string) =>
    lines.push(['meta', row, 'value', v, '', label, '']);
  meta('municipality', report.municipality.name, '自治体');
  meta('municipality-id', report.municipality.id, '自治体ID');
  meta('month', report.month, '対象月');
  meta('timezone', report.timezone, '集計に用いた時刻の地域');
  SUPPRESSION_RULES.forEach((rule, i) => {
    meta(`suppression-${i + 1}`, rule.ja, '小さな数の取り扱い');
  });
  // Normally 0; otherwise some "<5" can still be worked out and the file needs a look before publishing.
  meta('exposed-cells', String(report.exposedCells), '割り出せてしまう「<5」の数（通常0）');
  for (const table of reportTables(report)) {
    for (const row of table.rows) {
      table.columns.forEach((column, i) => {
        lines.push([
          table.id,
          row.id,
          column.id,
          value(row.values[i] ?? null),
          table.title.ja,
          row.label.ja,
          column.label.ja,
        ]);
      });
    }
  }
  const body = lines.map((fields) => fields.map((f) => quote(text(f))).join(',')).join('\r\n');
  return `${BOM}${body}\r\n`;
}
