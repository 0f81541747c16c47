import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { KPIS, MAIN_KPIS, type KpiRow } from '../src/kpi/definitions.ts';
import { kpiForecasts } from '../src/kpi/forecasts.ts';
import { buildKpiLayout, change, changeColors, COLORS, trustLabel } from '../src/kpi/layout.ts';
import { renderKpiHtml } from '../src/kpi/render-html.ts';
import { layoutToXlsx } from '../src/kpi/render-xlsx.ts';
import { formatValue, sparkText } from '../src/kpi/format.ts';
import { columnLetter } from '../src/kpi/a1.ts';
import { addDays } from '../src/forecast/series.ts';
import { kpiById } from '../src/kpi/definitions.ts';

/** 120 days with a weekly cycle; the last day: new freelancers spike, DAU drops. */
function rows(n = 120): KpiRow[] {
  const week = [1.1, 1.05, 1, 1, 0.95, 0.6, 0.5];
  return Array.from({ length: n }, (_, t) => {
    const r: KpiRow = { date: addDays('2026-01-01', t) };
    for (const k of KPIS) r[k.id] = k.unit === 'version' ? 'm1' : k.unit === 'ratio' ? 0.3 + 0.01 * ((t * 7) % 5) : Math.round((100 + t) * week[t % 7] + ((t * 37) % 7));
    if (t === n - 1) {
      r.new_freelancers = 900;
      r.dau_freelancers = Math.round((r.dau_freelancers as number) * 0.2);
      r.median_model_score = 2;
    }
    return r;
  });
}

const data = rows();
const layout = buildKpiLayout({ rows: data, forecasts: kpiForecasts(data, { backtest: false }), generatedAt: '2026-05-01T00:00:00.000Z' });
const sheet = (name: string) => layout.sheets.find((s) => s.name === name)!;

test('four sheets in order; KPI_daily has one row per date, one column per KPI, formats by unit', () => {
  assert.deepEqual(layout.sheets.map((s) => s.name), ['ダッシュボード', 'KPI_daily', '予測', '説明']);
  const d = sheet('KPI_daily');
  assert.equal(d.rows.length, 1 + data.length);
  assert.deepEqual(d.rows[0].map((c) => c.v), ['日付', ...KPIS.map((k) => k.label_ja)]);
  assert.equal(d.rows[1][1 + KPIS.indexOf(kpiById('match_rate'))].format, '0.0%');
  assert.equal(d.rows[1][1 + KPIS.indexOf(kpiById('messages'))].format, '#,##0');
  assert.equal(d.rows[1][0].format, 'yyyy-mm-dd');
  assert.deepEqual([d.frozenRows, d.frozenColumns], [1, 1]);
  assert.equal(d.protected[0].range, `A1:${columnLetter(KPIS.length)}${data.length + 1}`);
});

test('dashboard: changes coloured by good direction, anomaly flag outside the band, sparkline source', () => {
  const dash = sheet('ダッシュボード');
  const row = (label: string) => dash.rows.find((r) => r[0]?.v === label)!;
  const nf = row('新規フリーランス登録');
  assert.ok((nf[4].v as number) > 0);
  assert.equal(nf[4].bg, COLORS.good); // up, good direction up
  const dau = row('日次アクティブ（フリーランス）');
  assert.ok((dau[4].v as number) < 0);
  assert.equal(dau[4].bg, COLORS.bad);
  assert.equal(row('モデルスコア中央値')[4].bg, COLORS.neutral); // no good direction
  assert.match(String(nf[9].v), /^⚠ 予測より高い/);
  assert.match(String(dau[9].v), /^⚠ 予測より低い/);
  assert.equal(row('メッセージ数')[9].v, '✓ 範囲内');
  assert.equal(nf[7].sparkline!.source, `'KPI_daily'!B92:B121`);
  assert.equal(nf[7].sparkline!.values.length, 30);
  assert.equal(dash.frozenRows, 3);
  assert.equal(dash.charts.length, MAIN_KPIS.length);
});

test('charts: 90 days of actuals then 90 forecast days with an 80% band', () => {
  const c = sheet('ダッシュボード').charts[0];
  assert.equal(c.x.values.length, 180);
  assert.equal(c.x.values[90], addDays(data[data.length - 1].date, 1));
  assert.equal(c.series[0].values.slice(0, 90).every((v) => typeof v === 'number'), true);
  assert.equal(c.series[0].values.slice(90).every((v) => v === null), true);
  for (let i = 90; i < 180; i++) assert.ok((c.band.lower.values[i] as number) <= (c.series[1].values[i] as number) && (c.series[1].values[i] as number) <= (c.band.upper.values[i] as number));
  assert.match(c.x.range, /^'予測'!A2:A181$/);
});

test('説明 lists every KPI with its Japanese and English definition', () => {
  const help = sheet('説明');
  for (const k of KPIS) assert.ok(help.rows.some((r) => r[0]?.v === k.id && r[5]?.v === k.definition_ja && r[6]?.v === k.definition_en), k.id);
});

test('change, colours, trust and number formatting helpers', () => {
  assert.equal(change(110, 100)! .toFixed(2), '0.10');
  assert.equal(change(5, 0), null);
  assert.equal(change(null, 3), null);
  assert.deepEqual(changeColors(kpiById('messages'), null), {});
  assert.equal(trustLabel({ mase: 0.7, maseSeasonalNaive: 1.1, relativeMae: 0.64, coverage80: 0.8, origins: 8, horizon: 14 }), '高 (high)');
  assert.equal(trustLabel({ mase: 1.1, maseSeasonalNaive: 1.3, relativeMae: 0.85, coverage80: 0.8, origins: 8, horizon: 14 }), '中 (medium)');
  assert.equal(formatValue(1234567.4, '#,##0'), '1,234,567');
  assert.equal(formatValue(0.1234, '0.0%'), '12.3%');
  assert.equal(formatValue(0.05, '+0.0%;-0.0%;0.0%'), '+5.0%');
  assert.equal(formatValue(-0.05, '+0.0%;-0.0%;0.0%'), '-5.0%');
  assert.equal(sparkText([1, 2, 3]), '▁▅█');
  assert.equal(columnLetter(0), 'A');
  assert.equal(columnLetter(26), 'AA');
});

test('HTML dashboard: one SVG chart per main KPI with a band polygon, sparklines, escaped text', () => {
  const html = renderKpiHtml(layout, { xlsxHref: '/dev/kpi.xlsx' });
  assert.equal((html.match(/<svg class="chart"/g) ?? []).length, MAIN_KPIS.length);
  assert.equal((html.match(/<polygon class="band"/g) ?? []).length, MAIN_KPIS.length);
  assert.ok((html.match(/<svg class="spark"/g) ?? []).length >= 10);
  assert.match(html, /⚠ 予測より高い/);
  assert.match(html, /href="\/dev\/kpi.xlsx"/);
  assert.doesNotMatch(html, /undefined|NaN/);
});

test('.xlsx: same sheets, values, number formats, fills, frozen panes and protection', async () => {
  const buf = await layoutToXlsx(layout);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  assert.deepEqual(wb.worksheets.map((w) => w.name), ['ダッシュボード', 'KPI_daily', '予測', '説明']);
  const daily = wb.getWorksheet('KPI_daily')!;
  assert.equal(daily.getCell('B2').value, data[0].new_freelancers);
  assert.equal(daily.getCell('B2').numFmt, '#,##0');
  assert.ok(daily.getCell('A2').value instanceof Date);
  assert.deepEqual([daily.views[0].state, (daily.views[0] as { ySplit?: number }).ySplit], ['frozen', 1]);
  const dash = wb.getWorksheet('ダッシュボード')!;
  const nfRow = dash.getRows(1, 40)!.find((r) => r.getCell(1).value === '新規フリーランス登録')!;
  assert.equal((nfRow.getCell(5).fill as ExcelJS.FillPattern).fgColor?.argb, 'FFD9EAD3');
  assert.match(String(nfRow.getCell(8).value), /^[▁▂▃▄▅▆▇█]{30}$/);
  // Excel's default is locked: protected cells stay locked, cells below the table are unlocked.
  assert.notEqual(nfRow.getCell(1).protection?.locked, false);
  assert.equal(dash.getCell(KPIS.length + 8, 1).protection?.locked, false);
  assert.ok((dash as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet);
});

test('count forecasts never go below 0 and ratios stay within [0, 1]', () => {
  const sparse = Array.from({ length: 70 }, (_, t): KpiRow => {
    const r: KpiRow = { date: addDays('2026-01-01', t) };
    for (const k of KPIS) r[k.id] = k.unit === 'version' ? 'm1' : k.unit === 'ratio' ? (t % 7 === 0 ? 0.98 : 0.9) : (t * 13) % 3 === 0 ? 1 : 0;
    return r;
  });
  const f = kpiForecasts(sparse, { backtest: false });
  const nc = f.new_companies!;
  assert.ok(nc.lower.every((v) => v >= 0) && nc.mean.every((v) => v >= 0) && nc.last!.lower >= 0);
  const mr = f.match_rate!;
  assert.ok(mr.upper.every((v) => v <= 1) && mr.lower.every((v) => v >= 0));
});
