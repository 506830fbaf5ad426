import type { Evaluation, ItemResult, Rate } from './evaluate-understanding.js';
import { ratio, summarize } from './evaluate-understanding.js';

const pct = (r: Rate): string =>
  r.total === 0 ? '    -     ' : `${ratio(r).toFixed(3)} ${`(${r.hits}/${r.total})`.padEnd(9)}`;

const COLUMNS = [
  ['crisis→numbers', (e: Evaluation) => e.crisisReachNumbers],
  ['crisis→alert', (e: Evaluation) => e.crisisReachCrisis],
  ['concern→numbers', (e: Evaluation) => e.concernReachNumbers],
  ['ordinary→ask', (e: Evaluation) => e.ordinaryConcern],
  ['ordinary→alert', (e: Evaluation) => e.ordinaryCrisis],
  ['window', (e: Evaluation) => e.windowAccuracy],
] as const;

function groupBy(
  results: ItemResult[],
  key: (r: ItemResult) => string | undefined,
): Map<string, ItemResult[]> {
  const groups = new Map<string, ItemResult[]>();
  for (const r of results) {
    const k = key(r);
    if (k === undefined) continue;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

/** One table: the goals' figures overall, then by language, crisis category, style and field. */
export function formatEvaluation(title: string, evaluation: Evaluation): string {
  const lines = [`== ${title}: ${evaluation.results.length} items`];
  const header = ['', ...COLUMNS.map(([name]) => name)];
  const row = (label: string, e: Evaluation) =>
    [label.padEnd(22), ...COLUMNS.map(([, get]) => pct(get(e)).padEnd(16))].join(' ');
  lines.push([header[0]?.padEnd(22), ...header.slice(1).map((h) => h?.padEnd(16))].join(' '));
  lines.push(row('ALL', evaluation));
  for (const [name, key] of [
    ['lang', (r: ItemResult) => r.item.lang],
    ['category', (r: ItemResult) => r.item.category],
    ['style', (r: ItemResult) => r.item.style],
    ['field', (r: ItemResult) => r.item.field],
  ] as const) {
    lines.push(`-- by ${name}`);
    for (const [label, group] of groupBy(evaluation.results, key)) lines.push(row(label, summarize(group)));
  }
  return lines.join('\n');
}

/** The items the understanding got wrong, for reading the development set only (never the sealed one). */
export function formatMisses(evaluation: Evaluation): string {
  const lines: string[] = [];
  for (const r of evaluation.results) {
    const missedRisk =
      (r.item.risk === 'crisis' && r.tier !== 'crisis') ||
      (r.item.risk === 'concern' && r.tier === 'none') ||
      (r.item.risk === 'none' && r.tier !== 'none');
    const missedWindow = r.expectedWindow !== undefined && r.window !== r.expectedWindow;
    if (missedRisk || missedWindow) {
      const what = missedRisk
        ? `${r.item.risk}→${r.tier} (${r.sources.join('+') || '-'})`
        : `${r.expectedWindow}→${r.window}`;
      lines.push(
        `${r.item.id} [${r.item.lang} ${r.item.category ?? r.item.field ?? r.item.style}] ${what}: ${r.item.text}`,
      );
    }
  }
  return lines.join('\n');
}
