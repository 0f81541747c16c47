/**
 * Draws a WorkbookLayout (scoring-service/src/kpi/layout.ts) onto the spreadsheet: values,
 * number formats, colours, notes, sparklines (SPARKLINE formulas), frozen panes, column
 * widths, warning-only protections and embedded line charts. Each sheet is redrawn whole.
 */
import type { Cell, ChartSpec, SheetLayout, WorkbookLayout } from '../../../scoring-service/src/kpi/layout-types.ts';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Enum values from the Apps Script globals (injected so Node tests can pass fakes). */
export interface SheetEnums {
  protectionRange: GoogleAppsScript.Spreadsheet.ProtectionType;
  lineChart: GoogleAppsScript.Charts.ChartType;
}

function sparklineFormula(c: Cell): string {
  const s = c.sparkline!;
  return `=SPARKLINE(${s.source},{"charttype","line";"color","${s.color}";"linewidth",2})`;
}

function grid<T>(rows: Cell[][], width: number, pick: (c: Cell | undefined) => T): T[][] {
  return rows.map((r) => {
    const out: T[] = [];
    for (let i = 0; i < width; i++) out.push(pick(r[i]));
    return out;
  });
}

function drawChart(ss: Spreadsheet, sheet: Sheet, spec: ChartSpec, enums: SheetEnums): void {
  const all = [spec.x.range, ...spec.series.map((s) => s.range), spec.band.lower.range, spec.band.upper.range];
  let builder = sheet.newChart().setChartType(enums.lineChart);
  for (const r of all) builder = builder.addRange(ss.getRange(r));
  const colors = [...spec.series.map((s) => s.color), spec.band.color, spec.band.color];
  const names = [...spec.series.map((s) => s.name), spec.band.lower.name, spec.band.upper.name];
  const dashed = [...spec.series.map((s) => !!s.dashed), true, true];
  const series: Record<number, unknown> = {};
  names.forEach((n, i) => (series[i] = { labelInLegend: n, color: colors[i], lineWidth: i < spec.series.length ? 2 : 1, lineDashStyle: dashed[i] ? [4, 4] : undefined }));
  const chart = builder
    .setPosition(spec.anchor.row + 1, spec.anchor.col + 1, 0, 0)
    .setOption('title', spec.title)
    .setOption('width', spec.width)
    .setOption('height', spec.height)
    .setOption('legend', { position: 'bottom' })
    .setOption('vAxis', { format: spec.yFormat.replace('#,##0', '#,###') })
    .setOption('series', series)
    .build();
  sheet.insertChart(chart);
}

export function applySheet(ss: Spreadsheet, layout: SheetLayout, enums: SheetEnums): void {
  const sheet = ss.getSheetByName(layout.name) ?? ss.insertSheet(layout.name);
  for (const p of sheet.getProtections(enums.protectionRange)) p.remove();
  for (const c of sheet.getCharts()) sheet.removeChart(c);
  sheet.clear();
  const width = Math.max(1, ...layout.rows.map((r) => r.length));
  const height = Math.max(1, layout.rows.length);
  const rows = layout.rows.length ? layout.rows : [[]];
  const range = sheet.getRange(1, 1, height, width);
  range.setValues(grid(rows, width, (c) => (c?.sparkline ? sparklineFormula(c) : c?.v ?? '')));
  range.setNumberFormats(grid(rows, width, (c) => c?.format ?? 'General'));
  range.setBackgrounds(grid(rows, width, (c) => c?.bg ?? null) as string[][]);
  range.setFontColors(grid(rows, width, (c) => c?.color ?? null) as string[][]);
  range.setFontWeights(grid(rows, width, (c) => (c?.bold ? 'bold' : 'normal')));
  range.setFontStyles(grid(rows, width, (c) => (c?.italic ? 'italic' : 'normal')));
  range.setHorizontalAlignments(grid(rows, width, (c) => c?.align ?? null));
  range.setWraps(grid(rows, width, (c) => !!c?.wrap));
  range.setNotes(grid(rows, width, (c) => c?.note ?? ''));
  layout.columnWidths.forEach((w, i) => sheet.setColumnWidth(i + 1, w));
  sheet.setFrozenRows(layout.frozenRows);
  sheet.setFrozenColumns(layout.frozenColumns);
  if (layout.tabColor) sheet.setTabColor(layout.tabColor);
  for (const p of layout.protected) sheet.getRange(p.range).protect().setDescription(p.description).setWarningOnly(true);
  for (const c of layout.charts) drawChart(ss, sheet, c, enums);
}

export function applyLayout(ss: Spreadsheet, layout: WorkbookLayout, enums: SheetEnums): void {
  ss.setSpreadsheetTimeZone('Asia/Tokyo');
  // Data sheets first: the dashboard's charts and sparklines refer to them.
  const order = layout.sheets.slice().sort((a, b) => (a.charts.length ? 1 : 0) - (b.charts.length ? 1 : 0));
  for (const s of order) applySheet(ss, s, enums);
  const first = ss.getSheetByName(layout.sheets[0].name);
  if (first) {
    ss.setActiveSheet(first);
    ss.moveActiveSheet(1);
  }
}
