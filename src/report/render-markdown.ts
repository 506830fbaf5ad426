import type { MonthlyReport } from './monthly-report.js';
import {
  EXPOSED_WARNING,
  type Label,
  type ReportTable,
  type ReportValue,
  reportTables,
  SUPPRESSION_RULES,
} from './report-tables.js';

const both = (l: Label) => `${l.ja} (${l.en})`;
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
    ...(t.notes.length > 0 ? ['', ...t.notes.map((n) => `> ${n.ja}  \n> ${n.en}`)] : []),
    '',
  ];
}

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The report as Markdown for the city's 重層的支援会議 and the national programme reporting:
 * Japanese headings with English in parentheses, the suppression rule first, then one table per
 * section. Suppressed figures show their mark ("<5", "x"); "—" means nothing to compute.
 */
export function renderMarkdown(report: MonthlyReport): string {
  const [year, month] = report.month.split('-').map(Number) as [number, number];
  const lines = [
    `# ${report.municipality.name} 相談の入口 月次報告 ${year}年${month}月 (Monthly report, ${MONTHS_EN[month - 1]} ${year})`,
    '',
    `- 対象 (Scope): ${report.month} に受け付けた相談（${report.timezone} の日付で集計） (cases opened in ${report.month}, dated in ${report.timezone})`,
    `- 相談件数 (Cases): ${value(report.cases)}`,
    '',
    `## ${both({ ja: '小さな数の取り扱い', en: 'Small-number suppression' })}`,
    '',
    ...SUPPRESSION_RULES.map((r) => `- ${r.ja}  \n  ${r.en}`),
    '',
    ...(report.exposedCells > 0 ? [`> **${EXPOSED_WARNING.ja}**  \n> ${EXPOSED_WARNING.en}`, ''] : []),
    ...reportTables(report).flatMap((t, i) => table(t, i + 1)),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
