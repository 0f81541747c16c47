/**
 * The KPI workbook as one pure function of the daily rows and their forecasts. Every
 * renderer (Apps Script, /dev/kpi, .xlsx) draws exactly this, so the sheet looks the same
 * everywhere and is tested once.
 */
import { KPIS, MAIN_KPIS, type KpiDef, type KpiRow } from './definitions.ts';
import type { KpiForecasts } from './forecasts.ts';
import type { BacktestResult } from '../forecast/backtest.ts';
import { a1Local, a1Range } from './a1.ts';
import { SHEET_NAMES, type Cell, type ChartSpec, type SheetLayout, type WorkbookLayout } from './layout-types.ts';

export interface KpiLayoutInput {
  /** Every stored day, ascending. */
  rows: KpiRow[];
  forecasts: KpiForecasts;
  generatedAt: string;
}

export const COLORS = {
  header: '#1f3864',
  headerText: '#ffffff',
  good: '#d9ead3',
  goodText: '#1e6b30',
  bad: '#f4cccc',
  badText: '#990000',
  neutral: '#eeeeee',
  anomaly: '#fce8b2',
  actual: '#1a73e8',
  forecast: '#e37400',
  band: '#fbd7a8',
  muted: '#666666',
};

const FORMATS: Record<KpiDef['unit'], string> = { count: '#,##0', ratio: '0.0%', score: '0.00', version: '@' };
const CHANGE_FORMAT = '+0.0%;-0.0%;0.0%';
const SPARK_DAYS = 30;
const CHART_HISTORY = 90;
/** Month-over-month compares with 28 days earlier: same weekday, so the weekly cycle cancels. */
export const CHANGE_LAGS = [
  { days: 1, label_ja: '前日比', label_en: 'vs previous day' },
  { days: 7, label_ja: '前週比', label_en: 'vs 7 days before' },
  { days: 28, label_ja: '前月比（28日前）', label_en: 'vs 28 days before' },
] as const;

const header = (v: string, note?: string): Cell => ({ v, bold: true, bg: COLORS.header, color: COLORS.headerText, align: 'center', wrap: true, note });

function valueOf(row: KpiRow | undefined, id: string): number | null {
  const v = row?.[id];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Relative change, or null when either side is missing or the base is 0. */
export function change(latest: number | null, base: number | null): number | null {
  if (latest === null || base === null || base === 0) return null;
  return latest / base - 1;
}

/** Colour of a change given the KPI's good direction. */
export function changeColors(k: KpiDef, c: number | null): { bg?: string; color?: string } {
  if (c === null || c === 0 || k.good === 'none') return c === null ? {} : { bg: COLORS.neutral };
  const good = (c > 0) === (k.good === 'up');
  return good ? { bg: COLORS.good, color: COLORS.goodText } : { bg: COLORS.bad, color: COLORS.badText };
}

/**
 * How far a manager can trust the forecast, from the backtest: high when it beats both the
 * in-sample seasonal-naive scale (MASE < 1) and seasonal naive out of sample; medium when
 * it only beats the latter; low otherwise.
 */
export function trustLabel(bt: BacktestResult | null | undefined): string {
  if (!bt) return '—';
  const beatsNaive = bt.relativeMae !== null && bt.relativeMae < 1;
  if (bt.mase < 1 && beatsNaive) return '高 (high)';
  if (beatsNaive) return '中 (medium)';
  return '低 (low)';
}

function dailySheet(rows: KpiRow[]): SheetLayout {
  const head: Cell[] = [header('日付', 'Date (Asia/Tokyo)'), ...KPIS.map((k) => header(k.label_ja, k.label_en))];
  const body = rows.map((r): Cell[] => [
    { v: r.date, format: 'yyyy-mm-dd' },
    ...KPIS.map((k): Cell => ({ v: r[k.id] ?? null, format: FORMATS[k.unit] })),
  ]);
  const lastRow = Math.max(1, rows.length);
  return {
    name: SHEET_NAMES.daily,
    rows: [head, ...body],
    columnWidths: [100, ...KPIS.map(() => 120)],
    frozenRows: 1,
    frozenColumns: 1,
    protected: [{ range: a1Local(0, 0, lastRow, KPIS.length), description: 'KPI_daily は自動更新されます。手で編集しないでください（KPI を更新 で再計算）。' }],
    charts: [],
    tabColor: COLORS.actual,
  };
}

/** Forecast data for the charts: the last 90 actual days, then 90 forecast days. */
function forecastSheet(rows: KpiRow[], forecasts: KpiForecasts): { sheet: SheetLayout; charts: (anchorRow: number) => ChartSpec[] } {
  const hist = rows.slice(-CHART_HISTORY);
  const horizon = Math.max(0, ...MAIN_KPIS.map((k) => forecasts[k.id]?.dates.length ?? 0));
  const futureDates = MAIN_KPIS.map((k) => forecasts[k.id]?.dates).find((d) => d && d.length === horizon) ?? [];
  const dates = [...hist.map((r) => r.date), ...futureDates];
  const head: Cell[] = [header('日付')];
  for (const k of MAIN_KPIS) head.push(header(`${k.label_ja} 実績`), header(`${k.label_ja} 予測`), header(`${k.label_ja} 下限80%`), header(`${k.label_ja} 上限80%`));
  const body: Cell[][] = dates.map((date, i) => {
    const row: Cell[] = [{ v: date, format: 'yyyy-mm-dd' }];
    const future = i >= hist.length;
    for (const k of MAIN_KPIS) {
      const f = forecasts[k.id];
      const j = i - hist.length;
      const fmt = FORMATS[k.unit];
      row.push({ v: future ? null : valueOf(hist[i], k.id), format: fmt });
      row.push({ v: future && f ? f.mean[j] ?? null : null, format: fmt });
      row.push({ v: future && f ? f.lower[j] ?? null : null, format: fmt });
      row.push({ v: future && f ? f.upper[j] ?? null : null, format: fmt });
    }
    return row;
  });
  const n = dates.length;
  const sheet: SheetLayout = {
    name: SHEET_NAMES.forecast,
    rows: [head, ...body],
    columnWidths: [100, ...MAIN_KPIS.flatMap(() => [90, 90, 90, 90])],
    frozenRows: 1,
    frozenColumns: 1,
    protected: [{ range: a1Local(0, 0, Math.max(1, n), MAIN_KPIS.length * 4), description: 'グラフ用の予測データ（自動生成）' }],
    charts: [],
  };
  const col = (ci: number) => ({ range: a1Range(SHEET_NAMES.forecast, 1, ci, Math.max(1, n), ci), values: body.map((r) => r[ci].v as number | null) });
  const charts = (anchorRow: number): ChartSpec[] =>
    MAIN_KPIS.map((k, i) => {
      const base = 1 + i * 4;
      return {
        id: `chart_${k.id}`,
        title: `${k.label_ja}（実績 ${CHART_HISTORY} 日 + 予測 ${horizon} 日, 80% 区間）`,
        anchor: { row: anchorRow + Math.floor(i / 2) * 20, col: (i % 2) * 6 },
        width: 600,
        height: 340,
        x: { range: a1Range(SHEET_NAMES.forecast, 1, 0, Math.max(1, n), 0), values: dates },
        series: [
          { name: '実績', ...col(base), color: COLORS.actual },
          { name: '予測', ...col(base + 1), color: COLORS.forecast, dashed: true },
        ],
        band: { lower: { name: '下限80%', ...col(base + 2), color: COLORS.band }, upper: { name: '上限80%', ...col(base + 3), color: COLORS.band }, color: COLORS.band },
        yFormat: FORMATS[k.unit],
      };
    });
  return { sheet, charts };
}

function dashboardSheet(rows: KpiRow[], forecasts: KpiForecasts, generatedAt: string, charts: (anchorRow: number) => ChartSpec[]): SheetLayout {
  const latest = rows[rows.length - 1];
  const at = (lag: number) => rows[rows.length - 1 - lag];
  const cols = ['指標', '単位', '最新日', '値', ...CHANGE_LAGS.map((l) => l.label_ja), `推移（${SPARK_DAYS}日）`, '予測帯 80%', '判定', 'MASE', '対季節ナイーブ', '予測の信頼度'];
  const notes = ['KPI', 'Unit', 'Latest date', 'Value', ...CHANGE_LAGS.map((l) => l.label_en), `Last ${SPARK_DAYS} days`, '80% forecast band for the latest day', 'Anomaly flag', 'Backtest MASE (scale: in-sample seasonal-naive MAE; < 1 beats it)', 'Backtest MAE ÷ seasonal-naive MAE on the same days (< 1 beats it)', 'Forecast trust'];
  const out: Cell[][] = [
    [{ v: 'Workship KPI ダッシュボード', bold: true }, { v: null }, { v: `更新: ${generatedAt}`, color: COLORS.muted }],
    [{ v: latest ? `最新日 ${latest.date}（日本時間）。色は良い方向（緑）・悪い方向（赤）。判定は前日までのデータで立てた予測帯（80%）の外なら ⚠。` : 'データがありません（KPI を更新 を実行してください）', italic: true, color: COLORS.muted }],
    cols.map((c, i) => header(c, notes[i])),
  ];
  const first = 3;
  const unitJa: Record<KpiDef['unit'], string> = { count: '件/人', ratio: '割合', score: 'スコア', version: 'バージョン' };
  const dailyCol = (k: KpiDef) => 1 + KPIS.indexOf(k);
  for (const k of KPIS) {
    const value = latest?.[k.id] ?? null;
    const fmt = FORMATS[k.unit];
    const row: Cell[] = [{ v: k.label_ja, bold: k.main, note: k.label_en }, { v: unitJa[k.unit] }, { v: latest?.date ?? null, format: 'yyyy-mm-dd' }, { v: value, format: fmt, bold: true }];
    if (k.unit === 'version') {
      while (row.length < cols.length) row.push({ v: null });
      out.push(row);
      continue;
    }
    for (const lag of CHANGE_LAGS) {
      const c = change(valueOf(latest, k.id), valueOf(at(lag.days), k.id));
      row.push({ v: c, format: CHANGE_FORMAT, ...changeColors(k, c) });
    }
    const sparkRows = rows.slice(-SPARK_DAYS);
    const spark = sparkRows.map((r) => valueOf(r, k.id) ?? 0);
    const startRow = 1 + rows.length - sparkRows.length;
    row.push({
      v: spark.length ? spark.map((x) => x.toFixed(k.unit === 'count' ? 0 : 3)).join(' ') : null,
      sparkline: spark.length ? { values: spark, source: a1Range(SHEET_NAMES.daily, startRow, dailyCol(k), rows.length, dailyCol(k)), color: COLORS.actual } : undefined,
    });
    const f = forecasts[k.id];
    const last = f?.last && f.last.date === latest?.date ? f.last : null;
    const fmtNum = (x: number) => (k.unit === 'ratio' ? `${(x * 100).toFixed(1)}%` : k.unit === 'score' ? x.toFixed(2) : Math.round(x).toLocaleString('en-US'));
    row.push({ v: last ? `${fmtNum(last.lower)} – ${fmtNum(last.upper)}` : '—', align: 'center' });
    row.push(
      last
        ? last.anomaly
          ? { v: last.value > last.upper ? '⚠ 予測より高い' : '⚠ 予測より低い', bg: COLORS.anomaly, color: COLORS.badText, bold: true, note: 'Outside the 80% forecast band' }
          : { v: '✓ 範囲内', color: COLORS.goodText, note: 'Inside the 80% forecast band' }
        : { v: '—', color: COLORS.muted },
    );
    const ratioCell = (x: number | null): Cell => ({ v: x, format: '0.00', ...(x === null ? {} : x < 1 ? { color: COLORS.goodText } : { color: COLORS.badText }) });
    row.push(ratioCell(f?.backtest?.mase ?? null), ratioCell(f?.backtest?.relativeMae ?? null));
    row.push({ v: trustLabel(f?.backtest) });
    out.push(row);
  }
  const tableEnd = first + KPIS.length - 1;
  out.push([], [{ v: '主要 KPI の推移と 90 日予測（80% 区間）', bold: true }]);
  const chartRow = out.length;
  return {
    name: SHEET_NAMES.dashboard,
    rows: out,
    columnWidths: [210, 80, 100, 100, 90, 90, 120, 170, 170, 130, 70, 100, 110],
    frozenRows: first,
    frozenColumns: 1,
    protected: [{ range: a1Local(0, 0, tableEnd, cols.length - 1), description: 'ダッシュボードは自動生成されます（数式・書式を保護）。' }],
    charts: charts(chartRow),
    tabColor: COLORS.forecast,
  };
}

function helpSheet(): SheetLayout {
  const goodJa: Record<KpiDef['good'], string> = { up: '増えると良い', down: '減ると良い', none: '—' };
  const head = ['ID', '指標', 'Label', '単位', '良い方向', '定義', 'Definition'].map((h) => header(h));
  const rows: Cell[][] = [head];
  for (const k of KPIS) {
    rows.push([{ v: k.id }, { v: k.label_ja, bold: k.main }, { v: k.label_en }, { v: k.unit }, { v: goodJa[k.good] }, { v: k.definition_ja, wrap: true }, { v: k.definition_en, wrap: true }]);
  }
  const notes: [string, string][] = [
    ['日付', '日付はすべて日本時間（Asia/Tokyo）の暦日です。毎日の自動更新は 08:00 に前日までを追加します。 / Days are Asia/Tokyo calendar days.'],
    ['更新', 'KPI を更新 は最後の日付より後の日だけを BigQuery から読み、日付ごとに 1 行を上書きします（2 回実行しても同じ結果）。backfill は指定期間を作り直します。'],
    ['比較', `前日比・前週比・前月比は 1・7・28 日前との比（28 日前は同じ曜日）。色: 緑 = 良い方向、赤 = 悪い方向、灰 = 方向なし。`],
    ['予測', '減衰トレンド付き加法 Holt-Winters（週次季節性, ETS(A,Ad,A)）。パラメータは一歩先予測の二乗誤差和を最小化。帯は 80% 予測区間。 / Additive damped Holt-Winters with weekly seasonality; 80% prediction intervals.'],
    ['判定', '最新日の値が、前日までのデータで作った予測の 80% 区間の外なら ⚠。約 5 日に 1 回は偶然でも外れます。'],
    ['MASE', 'ローリング起点バックテスト（14 日先まで、7 日ずつずらして 8 回）の平均絶対誤差を、学習期間での「先週の同じ曜日」予測の平均絶対誤差で割った値。1 未満なら学習期間の季節ナイーブより良い。'],
    ['対季節ナイーブ', '同じバックテストで、予測の平均絶対誤差 ÷「最後の 1 週間を繰り返す」予測（季節ナイーブ）の平均絶対誤差。1 未満なら季節ナイーブより当たる。'],
    ['信頼度', '高 = MASE と対季節ナイーブがともに 1 未満、中 = 対季節ナイーブだけ 1 未満、低 = どちらも 1 以上。'],
  ];
  rows.push([]);
  for (const [k, v] of notes) rows.push([{ v: k, bold: true }, { v, wrap: true }]);
  return {
    name: SHEET_NAMES.help,
    rows,
    columnWidths: [190, 190, 190, 70, 100, 420, 420],
    frozenRows: 1,
    frozenColumns: 0,
    protected: [{ range: a1Local(0, 0, rows.length - 1, 6), description: 'KPI の定義（コードから生成）' }],
    charts: [],
  };
}

export function buildKpiLayout(input: KpiLayoutInput): WorkbookLayout {
  const rows = input.rows.slice().sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const fc = forecastSheet(rows, input.forecasts);
  return {
    title: 'Workship KPI',
    generatedAt: input.generatedAt,
    sheets: [dashboardSheet(rows, input.forecasts, input.generatedAt, fc.charts), dailySheet(rows), fc.sheet, helpSheet()],
  };
}
