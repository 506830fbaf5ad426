import type { CaseOrigin } from '../core/store.js';
import {
  FIELD_COLUMNS,
  type FieldColumn,
  type MonthlyReport,
  ORIGINS,
  SCORES,
  type ShownFigure,
} from './monthly-report.js';
import type { ShownCount } from './suppress-small-numbers.js';

/** Japanese first (the city's meetings), English for the national programme and for readers abroad. */
export interface Label {
  ja: string;
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

/** The wording of the report for the fields: the programme's terms rather than the chat's plain words. */
export const FIELD_LABELS: Record<FieldColumn, Label> = {
  elderly: { ja: '高齢・介護', en: 'Older people, care' },
  disability: { ja: '障害', en: 'Disability' },
  children: { ja: 'こども・子育て', en: 'Children, parenting' },
  livelihood: { ja: '生活困窮（お金・仕事・住まい）', en: 'Livelihood (money, work, housing)' },
  isolation: { ja: 'こころ・孤立', en: 'Mental health, isolation' },
  violence: { ja: 'DV・虐待', en: 'Violence, abuse' },
  unknown: { ja: '分野未定・制度の狭間', en: 'Unspecified, between programmes' },
};

export const ORIGIN_LABELS: Record<CaseOrigin, Label> = {
  self: { ja: '本人', en: 'The person themselves' },
  family: { ja: '家族', en: 'Family' },
  neighbour: { ja: '近隣・地域の方', en: 'Neighbour, community' },
};

/** The rule printed at the top of every output, so nobody mistakes a mark for a number. */
export const SUPPRESSION_RULES: Label[] = [
  {
    ja: '1〜4件の数は、個人の特定につながるおそれがあるため「<5」と表示します（0はそのまま0）。',
    en: 'Counts from 1 to 4 could identify people and are shown as "<5" (0 stays 0).',
  },
  {
    ja: '合計との差から「<5」の数が分かってしまう場合は、その合計に含まれる次に小さい数も「x」（秘匿）とします。',
    en: 'Where a "<5" cell could be worked out from a total, the next smallest cell of that total is hidden as "x".',
  },
  {
    ja: '5件未満から計算した値（平均・中央値・割合など）は「<5」、隠した数を明らかにしうる値は「<5」または「x」と表示します。',
    en: 'Figures computed from fewer than 5 cases (means, medians, shares) show "<5"; figures that could reveal a hidden cell show its mark.',
  },
  {
    ja: '「—」は計算の対象がないことを示します。',
    en: '"—" means there was nothing to compute.',
  },
];

/** Printed when suppression could not protect every "<5" cell (MonthlyReport.exposedCells > 0). */
export const EXPOSED_WARNING: Label = {
  ja: '注意: この報告には、他の数から値を割り出せてしまう「<5」が残っています。公開前に表をまとめる（月や分野を合わせる）などの確認をしてください。',
  en: 'Check before publishing: some "<5" cells in this report can still be worked out from other figures; merge rows or months first.',
};

const VALUE_COLUMN = [{ id: 'value', label: { ja: '値', en: 'Value' } }];
const TOTAL: Label = { ja: '合計', en: 'Total' };

function listTable(
  id: string,
  title: Label,
  rows: Array<[string, Label, ReportValue]>,
  notes: Label[] = [],
): ReportTable {
  return {
    id,
    title,
    rowHeading: { ja: '項目', en: 'Item' },
    columns: VALUE_COLUMN,
    rows: rows.map(([rowId, label, value]) => ({ id: rowId, label, values: [value] })),
    notes,
  };
}

/** The report as tables: one model for every renderer, so CSV and Markdown always say the same. */
export function reportTables(r: MonthlyReport): ReportTable[] {
  const columns = [
    ...FIELD_COLUMNS.map((f) => ({ id: f, label: FIELD_LABELS[f] })),
    { id: 'total', label: { ja: '計', en: 'Total' } },
  ];
  return [
    {
      id: 'window-field',
      title: { ja: '窓口別・分野別の相談件数', en: 'Cases by window and field' },
      rowHeading: { ja: '窓口', en: 'Window' },
      columns,
      rows: [
        ...r.byWindow.map((w) => ({
          id: w.id,
          label: { ja: w.configured ? w.name : `${w.name}（設定にない窓口）`, en: w.id },
          values: [...FIELD_COLUMNS.map((f) => w.fields[f]), w.total],
        })),
        { id: 'total', label: TOTAL, values: [...FIELD_COLUMNS.map((f) => r.fieldTotals[f]), r.cases] },
      ],
      notes: [
        {
          ja: '複数の分野にまたがる相談は各分野に数えるため、分野の件数の和は「計」と一致しないことがあります。窓口は現在の担当窓口です。',
          en: 'A case with several fields counts in each, so a row may add up to more than its total. The window is the one the case is with now.',
        },
      ],
    },
    listTable('origin', { ja: '相談者別の件数', en: 'Cases by who consulted' }, [
      ...ORIGINS.map((o): [string, Label, ReportValue] => [o, ORIGIN_LABELS[o], r.byOrigin[o]]),
      ['total', TOTAL, r.cases],
    ]),
    listTable('urgent', { ja: '緊急度', en: 'Urgency' }, [
      ['urgent', { ja: '緊急', en: 'Urgent' }, r.urgent.urgent],
      ['not-urgent', { ja: '緊急でない', en: 'Not urgent' }, r.urgent.notUrgent],
    ]),
    listTable(
      'after-hours',
      { ja: '開所時間外の相談', en: 'Consultations outside opening hours' },
      [
        ['closed', { ja: '時間外（窓口の閉所中）', en: 'Window closed' }, r.afterHours.closed],
        ['open', { ja: '開所時間内', en: 'Window open' }, r.afterHours.open],
        ['unknown', { ja: '判定できない（設定にない窓口）', en: 'Unknown window' }, r.afterHours.unknown],
        [
          'share-percent',
          { ja: '時間外の割合（%）', en: 'After-hours share (%)' },
          r.afterHours.sharePercent,
        ],
      ],
      [
        {
          ja: '相談を受け付けた時刻に、その相談の窓口が開いていたかどうか（曜日・時間・祝日・休業日）で判定します。',
          en: "Judged by the case's window's hours, public holidays and closed dates at the time the case was opened.",
        },
      ],
    ),
    listTable(
      'time-to-accept',
      { ja: '受付（担当決定）までの時間', en: 'Time to accept' },
      [
        ['accepted', { ja: '担当が決まった件数', en: 'Accepted cases' }, r.timeToAccept.accepted],
        ['not-accepted', { ja: '担当が決まっていない件数', en: 'Not accepted' }, r.timeToAccept.notAccepted],
        ['median-minutes', { ja: '中央値（分）', en: 'Median (minutes)' }, r.timeToAccept.medianMinutes],
        [
          'p90-minutes',
          { ja: '90パーセンタイル（分）', en: '90th percentile (minutes)' },
          r.timeToAccept.p90Minutes,
        ],
      ],
      [
        {
          ja: '相談の受付から職員が担当するまで（窓口を変えた場合は最後の担当まで）。90パーセンタイルは最近順位法です。',
          en: 'From the case opening to a staff member accepting it (the last acceptance after a reroute); nearest-rank percentile.',
        },
      ],
    ),
    listTable('reroutes', { ja: '窓口の変更（つなぎ直し）', en: 'Reroutes' }, [
      ['rerouted', { ja: '窓口を変えた件数', en: 'Cases rerouted' }, r.reroutes.cases],
      ['not-rerouted', { ja: '変えていない件数', en: 'Cases not rerouted' }, r.reroutes.none],
      ['reroutes-total', { ja: '変更の延べ回数', en: 'Reroutes in total' }, r.reroutes.total],
    ]),
    listTable('reopened', { ja: '相談の再開', en: 'Reopened cases' }, [
      ['reopened', { ja: '再開した件数', en: 'Cases reopened' }, r.reopened.cases],
      ['not-reopened', { ja: '再開していない件数', en: 'Cases not reopened' }, r.reopened.none],
      ['reopenings-total', { ja: '再開の延べ回数', en: 'Reopenings in total' }, r.reopened.total],
    ]),
    listTable(
      'satisfaction',
      { ja: '満足度', en: 'Satisfaction' },
      [
        ['rated', { ja: '回答した件数', en: 'Cases rated' }, r.satisfaction.rated],
        ['not-rated', { ja: '回答のない件数', en: 'Cases not rated' }, r.satisfaction.notRated],
        ...SCORES.map((k): [string, Label, ReportValue] => [
          `score-${k}`,
          { ja: `${k}（5がもっとも満足）`, en: `Score ${k} (5 = most satisfied)` },
          r.satisfaction.distribution[k],
        ]),
        ['mean', { ja: '平均（1〜5）', en: 'Mean (1-5)' }, r.satisfaction.mean],
      ],
      [
        {
          ja: '相談の終了後に任意でお願いしている5段階の評価です。',
          en: 'The optional 1-5 rating residents are asked for after a case is closed.',
        },
      ],
    ),
  ];
}
