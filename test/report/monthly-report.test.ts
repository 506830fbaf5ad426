import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../src/core/ports/store.js';
import { buildMonthlyReport, type MonthlyReport } from '../../src/report/monthly-report.js';
import { renderCsv } from '../../src/report/render-csv.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import type { ShownCount } from '../../src/report/suppress-small-numbers.js';
import { caseRecord, jst, many, reportConfig, translator } from './report-fixtures.js';

const build = (cases: CaseRecord[]) => buildMonthlyReport(cases, '2026-11', reportConfig);
const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

/**
 * 30 cases in November 2026 (and two just outside it):
 * - 包括: 12 elderly (one opened on Sunday 1 November at 00:30, when every window is closed) and
 *   3 elderly + disability;
 * - 障害: 6 disability, from family members;
 * - くらし: 2 livelihood, urgent, from neighbours;
 * - 多機関協働: 7 with no known field (5 self, 2 neighbours).
 */
function mixedMonth(): CaseRecord[] {
  return [
    caseRecord(jst('2026-11-01T00:30')),
    ...many(11),
    ...many(3, { fields: ['elderly', 'disability'] }),
    ...many(6, { windowId: 'shogai', fields: ['disability'], origin: 'family' }),
    ...many(2, { windowId: 'kurashi', fields: ['livelihood'], origin: 'neighbour', urgent: true }),
    ...many(5, { windowId: 'tasoukan', fields: [] }),
    ...many(2, { windowId: 'tasoukan', fields: [], origin: 'neighbour' }),
    // 31 October 23:59 and 1 December 00:00 in Tokyo: other months, although both are November in UTC.
    caseRecord(jst('2026-10-31T23:59'), { windowId: 'kodomo', fields: ['children'] }),
    caseRecord(jst('2026-12-01T00:00'), { windowId: 'kodomo', fields: ['children'] }),
  ];
}

/** Every published count in a report (not the derived figures). */
function allCounts(r: MonthlyReport): ShownCount[] {
  return [
    r.cases,
    ...r.byWindow.flatMap((w) => [...Object.values(w.fields), w.total]),
    ...Object.values(r.fieldTotals),
    ...Object.values(r.byOrigin),
    r.urgent.urgent,
    r.urgent.notUrgent,
    r.afterHours.closed,
    r.afterHours.open,
    r.afterHours.unknown,
    r.timeToAccept.accepted,
    r.timeToAccept.notAccepted,
    r.reroutes.cases,
    r.reroutes.none,
    r.reopened.cases,
    r.reopened.none,
    r.satisfaction.rated,
    r.satisfaction.notRated,
    ...Object.values(r.satisfaction.distribution),
  ];
}

describe('buildMonthlyReport', () => {
  const report = build(mixedMonth());
  const row = (id: string) => report.byWindow.find((w) => w.id === id);

  it('counts the cases opened in the month on the Tokyo clock', () => {
    expect(report.cases).toBe(30);
    expect(row('kodomo')?.total).toBe(0);
    expect(report).toMatchObject({ month: '2026-11', timezone: 'Asia/Tokyo' });
    expect(report.municipality).toEqual({ id: 'test-city', name: 'テスト市' });
  });

  it('counts by window × field, a case with several fields in each, with a total per window', () => {
    expect(report.byWindow.map((w) => [w.id, w.name])).toEqual([
      ['houkatsu', '地域包括支援センター'],
      ['shogai', '障害者相談支援センター'],
      ['kodomo', 'こども家庭センター'],
      ['kurashi', 'くらしサポート窓口'],
      ['tasoukan', '多機関協働'],
      ['outreach', 'まちの守り人'],
    ]);
    expect(row('houkatsu')?.fields).toMatchObject({ elderly: 15, disability: '<5', children: 0 });
    expect(row('shogai')).toMatchObject({ total: 6, fields: { disability: 6, elderly: 0 } });
    expect(row('tasoukan')).toMatchObject({ total: 7, fields: { unknown: 7, elderly: 0 } });
    expect(report.fieldTotals).toMatchObject({ elderly: 15, unknown: 7, children: 0 });
  });

  it('shows every count from 1 to 4 as "<5" and keeps 0 as 0', () => {
    expect(row('kurashi')).toMatchObject({ total: '<5', fields: { livelihood: '<5' } });
    expect(report.fieldTotals.livelihood).toBe('<5');
    expect(report.byOrigin.neighbour).toBe('<5');
    expect(report.urgent.urgent).toBe('<5');
    expect(row('outreach')?.total).toBe(0);
    for (const count of allCounts(report)) {
      if (typeof count === 'number') expect(count === 0 || count >= 5, String(count)).toBe(true);
    }
  });

  it('hides a second cell as "x" where the totals would give a "<5" cell away', () => {
    expect(report.exposedCells).toBe(0);
    // disability: 包括 <5 + 障害 6 = 9 would give 3.
    expect(report.fieldTotals.disability).toBe('x');
    // window totals: 30 - 15 - 6 - 7 would give くらし's 2; 包括's row only says 15 to 19.
    expect(row('houkatsu')?.total).toBe('x');
    // self 20 + family 6 + neighbours <5 = 30.
    expect(report.byOrigin).toEqual({ self: 20, family: 'x', neighbour: '<5' });
    expect(report.urgent).toEqual({ urgent: '<5', notUrgent: 'x' });
  });

  it('hides the after-hours share when it rests on fewer than 5 cases', () => {
    expect(report.afterHours).toEqual({ closed: '<5', open: 'x', unknown: 0, sharePercent: '<5' });
  });

  it('has nothing to compute for accepting, rerouting, reopening and rating in a month without them', () => {
    expect(report.timeToAccept).toEqual({
      accepted: 0,
      notAccepted: 30,
      medianMinutes: null,
      p90Minutes: null,
    });
    expect(report.reroutes).toEqual({ cases: 0, none: 30, total: 0 });
    expect(report.reopened).toEqual({ cases: 0, none: 30, total: 0 });
    expect(report.satisfaction.mean).toBeNull();
  });

  it('refuses a month that is not YYYY-MM', () => {
    expect(() => buildMonthlyReport([], '2026-13', reportConfig)).toThrow(/YYYY-MM/);
    expect(() => buildMonthlyReport([], '2026-1', reportConfig)).toThrow(/YYYY-MM/);
  });
});

describe('after-hours share', () => {
  it("judges each case by its window's hours, Saturdays and public holidays at the time it was opened", () => {
    const report = build([
      // Saturday 7 November 10:00: 包括 is open on Saturday mornings, 障害 is not.
      ...Array.from({ length: 5 }, () => caseRecord(jst('2026-11-07T10:00'))),
      ...Array.from({ length: 5 }, () =>
        caseRecord(jst('2026-11-07T10:00'), { windowId: 'shogai', fields: ['disability'] }),
      ),
      // Tuesday 10 November: 10:00 open, 20:00 closed; Tuesday 3 November is 文化の日.
      ...Array.from({ length: 5 }, () =>
        caseRecord(jst('2026-11-10T10:00'), { windowId: 'shogai', fields: ['disability'] }),
      ),
      ...Array.from({ length: 5 }, () => caseRecord(jst('2026-11-10T20:00'))),
      ...Array.from({ length: 5 }, () => caseRecord(jst('2026-11-03T10:00'))),
    ]);
    expect(report.afterHours).toEqual({ closed: 15, open: 10, unknown: 0, sharePercent: 60 });
  });

  it('cannot judge a case whose window is no longer configured, and shows that window by its id', () => {
    const report = build([...many(5), ...many(5, { windowId: 'old-window' })]);
    expect(report.afterHours).toEqual({ closed: 0, open: 5, unknown: 5, sharePercent: 0 });
    expect(report.byWindow.at(-1)).toMatchObject({
      id: 'old-window',
      name: 'old-window',
      configured: false,
      total: 5,
    });
  });
});

describe('time to accept', () => {
  const accepted = (n: number) => {
    const createdAt = jst('2026-11-10T10:00');
    return caseRecord(createdAt, { status: 'assigned', acceptedAt: minutes(createdAt, n) });
  };

  it('gives the median and the nearest-rank 90th percentile in minutes over accepted cases', () => {
    const report = build([...[120, 5, 60, 15, 10, 20].map(accepted), ...many(5)]);
    expect(report.timeToAccept).toEqual({
      accepted: 6,
      notAccepted: 5,
      medianMinutes: 17.5,
      p90Minutes: 120,
    });
  });

  it('uses the middle value for an odd count and rounds to a tenth of a minute', () => {
    const createdAt = jst('2026-11-10T10:00');
    const odd = [1.25, 2, 3, 4, 100].map((n) =>
      caseRecord(createdAt, { acceptedAt: new Date(createdAt.getTime() + n * 60_000) }),
    );
    expect(build([...odd, ...many(5)]).timeToAccept).toMatchObject({ medianMinutes: 3, p90Minutes: 100 });
  });

  it('shows the median as "<5" when fewer than 5 cases were accepted', () => {
    const report = build([...[5, 10, 15, 20].map(accepted), ...many(10)]);
    expect(report.timeToAccept).toEqual({
      accepted: '<5',
      notAccepted: 'x',
      medianMinutes: '<5',
      p90Minutes: '<5',
    });
  });

  it('still shows the median when the accepted count is hidden only to protect the others', () => {
    const report = build([...[5, 10, 15, 20, 25, 30].map(accepted), ...many(2)]);
    expect(report.timeToAccept).toEqual({
      accepted: 'x',
      notAccepted: '<5',
      medianMinutes: 17.5,
      p90Minutes: 30,
    });
  });
});

describe('reroutes and reopened cases', () => {
  it('counts the cases rerouted and the reroutes in total', () => {
    const report = build([...many(5, { rerouteCount: 1 }), ...many(1, { rerouteCount: 2 }), ...many(6)]);
    expect(report.reroutes).toEqual({ cases: 6, none: 6, total: 7 });
  });

  it('hides the total of reroutes with the count of rerouted cases', () => {
    const report = build([...many(3, { rerouteCount: 2 }), ...many(10)]);
    expect(report.reroutes).toEqual({ cases: '<5', none: 'x', total: '<5' });
  });

  it('counts reopened cases', () => {
    const report = build([...many(5, { reopenCount: 1 }), ...many(5)]);
    expect(report.reopened).toEqual({ cases: 5, none: 5, total: 5 });
  });
});

describe('satisfaction', () => {
  const rated = (score: number, n: number) => many(n, { status: 'closed', satisfaction: score });

  it('gives the count, the distribution and the mean', () => {
    const report = build([...rated(5, 5), ...rated(4, 5), ...rated(3, 5), ...many(5)]);
    expect(report.satisfaction).toEqual({
      rated: 15,
      notRated: 5,
      distribution: { '1': 0, '2': 0, '3': 5, '4': 5, '5': 5 },
      mean: 4,
    });
  });

  it('hides the mean when it could solve for a hidden score', () => {
    const report = build([...rated(5, 9), ...rated(4, 7), ...rated(3, 5), ...rated(1, 1), ...many(5)]);
    // Hiding the 5 of score 3 would not do: 1 + x = 6 with x at least 5 gives the 1 back.
    expect(report.satisfaction.distribution).toEqual({ '1': '<5', '2': 0, '3': 5, '4': 'x', '5': 9 });
    expect(report.satisfaction).toMatchObject({ rated: 22, mean: '<5' });
    expect(report.exposedCells).toBe(0);
  });

  it('says so when a "<5" cannot be protected, and the outputs warn', () => {
    // 1 + three hidden scores of exactly 5 = 16: whatever else is hidden, the 1 can be worked out.
    const report = build([...rated(5, 5), ...rated(4, 5), ...rated(3, 5), ...rated(1, 1), ...many(5)]);
    expect(report.exposedCells).toBeGreaterThan(0);
    expect(renderMarkdown(report, translator)).toContain('公開前に');
    expect(renderCsv(report, translator)).toMatch(/\r\nmeta,exposed-cells,value,[1-9]/);
    expect(renderMarkdown(build(many(5)), translator)).not.toContain('公開前に');
  });

  it('shows the mean of fewer than 5 ratings as "<5" and ignores ratings outside 1-5', () => {
    const report = build([...rated(5, 4), ...many(1, { satisfaction: 9 }), ...many(5)]);
    expect(report.satisfaction).toMatchObject({ rated: '<5', mean: '<5' });
  });
});

describe('renderCsv', () => {
  const csv = renderCsv(build(mixedMonth()), translator);
  const lines = csv.slice(1).split('\r\n');

  it('starts with a UTF-8 byte order mark and ends lines with CRLF, for Excel in Japan', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.slice(1)).not.toMatch(/[^\r]\n/);
  });

  it('is long format: one figure per line with its ids and Japanese labels', () => {
    expect(lines[0]).toBe('section,row,column,value,section_label,row_label,column_label');
    expect(lines).toContain(
      'window-field,houkatsu,elderly,15,窓口別・分野別の相談件数,地域包括支援センター,高齢・介護',
    );
    expect(lines).toContain(
      'window-field,houkatsu,disability,<5,窓口別・分野別の相談件数,地域包括支援センター,障害',
    );
    expect(lines).toContain('window-field,houkatsu,total,x,窓口別・分野別の相談件数,地域包括支援センター,計');
    expect(lines).toContain('window-field,total,total,30,窓口別・分野別の相談件数,合計,計');
    expect(lines).toContain('origin,family,value,x,相談者別の件数,家族,値');
    expect(lines).toContain(
      'time-to-accept,median-minutes,value,,受付（担当決定）までの時間,中央値（分）,値',
    );
    expect(lines.filter((l) => l.startsWith('window-field,'))).toHaveLength(7 * 8);
  });

  it('names the municipality and month and states the suppression rule first', () => {
    expect(lines[1]).toBe('meta,municipality,value,テスト市,,自治体,');
    expect(lines).toContain('meta,month,value,2026-11,,対象月,');
    expect(lines.some((l) => l.startsWith('meta,suppression-1,value,1〜4件の数は') && l.includes('<5'))).toBe(
      true,
    );
  });

  it('quotes fields with commas and keeps text that Excel would run as a formula as text', () => {
    const config = structuredClone(reportConfig);
    const first = config.windows[0];
    if (first) first.names.ja = '=HYPERLINK("x"),包括';
    const text = renderCsv(buildMonthlyReport(many(5), '2026-11', config), translator);
    expect(text).toContain(`"'=HYPERLINK(""x""),包括"`);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(build(mixedMonth()), translator);

  it('has Japanese headings with English in parentheses', () => {
    expect(md.split('\n')[0]).toBe(
      '# テスト市 相談の入口 月次報告 2026年11月 (Monthly report, November 2026)',
    );
    expect(md).toContain('## 小さな数の取り扱い (Small-number suppression)');
    expect(md).toContain('## 1. 窓口別・分野別の相談件数 (Cases by window and field)');
    expect(md).toContain('## 8. 満足度 (Satisfaction)');
    expect(md).toContain('- 相談件数 (Cases): 30');
  });

  it('states the suppression rule before any figure', () => {
    expect(md.indexOf('「<5」と表示します')).toBeGreaterThan(0);
    expect(md.indexOf('「<5」と表示します')).toBeLessThan(md.indexOf('## 1.'));
    expect(md).toContain('"x"');
  });

  it('renders the window × field table with the marks', () => {
    expect(md).toContain(
      '| 窓口 (Window) | 高齢・介護 (Older people, care) | 障害 (Disability) | こども・子育て (Children, parenting) | ' +
        '生活困窮（お金・仕事・住まい） (Livelihood (money, work, housing)) | こころ・孤立 (Mental health, isolation) | ' +
        'DV・虐待 (Violence, abuse) | 分野未定・制度の狭間 (Unspecified, between programmes) | 計 (Total) |',
    );
    expect(md).toContain('| 地域包括支援センター (houkatsu) | 15 | <5 | 0 | 0 | 0 | 0 | 0 | x |');
    expect(md).toContain('| 障害者相談支援センター (shogai) | 0 | 6 | 0 | 0 | 0 | 0 | 0 | 6 |');
    expect(md).toContain('| 合計 (Total) | 15 | x | 0 | <5 | 0 | 0 | 7 | 30 |');
    expect(md).toContain('| 中央値（分） (Median (minutes)) | — |');
  });

  it('ends with one newline', () => {
    expect(md.endsWith('|\n') || md.endsWith('.\n')).toBe(true);
    expect(md.endsWith('\n\n')).toBe(false);
  });
});

describe('the report in other languages', () => {
  const withUnconfigured = () => [...mixedMonth(), ...many(5, { windowId: 'old-window' })];
  const exposed = () => [
    ...many(5, { satisfaction: 5 }),
    ...many(5, { satisfaction: 4 }),
    ...many(5, { satisfaction: 3 }),
    ...many(1, { satisfaction: 1 }),
    ...many(5),
  ];

  it('has text for every label in every language: no locale key shows through', () => {
    for (const language of translator.languages) {
      for (const report of [build(withUnconfigured()), build(exposed())]) {
        const md = renderMarkdown(report, translator, language);
        const csv = renderCsv(report, translator, language);
        expect(md, language).not.toMatch(/report\.[a-z]/);
        expect(csv, language).not.toMatch(/report\.[a-z]/);
        expect(md, language).not.toContain('{{');
        expect(csv, language).not.toContain('{{');
      }
    }
  });

  it('renders headings in the chosen language and keeps the English in parentheses', () => {
    const md = renderMarkdown(build(mixedMonth()), translator, 'zh');
    expect(md.split('\n')[0]).toBe('# テスト市 咨询窗口 月度报告 2026年11月 (Monthly report, November 2026)');
    expect(md).toContain('## 8. 满意度 (Satisfaction)');
    expect(md).toContain('| 合计 (Total) | 15 | x | 0 | <5 | 0 | 0 | 7 | 30 |');
    expect(md).toContain('- 咨询件数 (Cases): 30');
  });

  it('uses the names the config gives for the language, and the Japanese where it gives none', () => {
    const config = structuredClone(reportConfig);
    config.municipality.names.ko = '테스트시';
    const first = config.windows[0];
    if (first) first.names.ko = '지역포괄지원센터';
    const report = buildMonthlyReport(mixedMonth(), '2026-11', config);
    const md = renderMarkdown(report, translator, 'ko');
    expect(md.split('\n')[0]).toBe(
      '# 테스트시 상담 창구 월간 보고서 2026년 11월 (Monthly report, November 2026)',
    );
    expect(md).toContain('| 지역포괄지원센터 (houkatsu) | 15 |');
    expect(md).toContain('| 障害者相談支援センター (shogai) | 0 | 6 |');
    expect(renderCsv(report, translator, 'ko')).toContain(
      '\r\nmeta,municipality,value,테스트시,,지자체,\r\n',
    );
  });

  it('writes CSV labels in the chosen language', () => {
    const csv = renderCsv(build(mixedMonth()), translator, 'pt-BR');
    expect(csv).toContain('\r\norigin,family,value,x,Consultas por quem procurou,Familiares,Valor\r\n');
  });

  it('does not repeat English in parentheses in an English report', () => {
    const md = renderMarkdown(build(withUnconfigured()), translator, 'en');
    expect(md.split('\n')[0]).toBe('# テスト市 consultation front door: monthly report, November 2026');
    expect(md).toContain('## 1. Cases by window and field\n');
    expect(md).toContain('| Window | Older people, care |');
    expect(md).toContain('| 地域包括支援センター (houkatsu) | 15 |');
    expect(md).toContain('| old-window (window no longer configured) (old-window) | 5 |');
    expect(md).not.toContain('(Total)');
  });
});
