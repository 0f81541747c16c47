/**
 * The workbook layout: everything a renderer needs — values, number formats, colours,
 * sparklines, charts, frozen panes and protected ranges. Produced by kpi/layout.ts; applied
 * by the Apps Script shell (SpreadsheetApp), rendered by kpi/render-html.ts (/dev/kpi)
 * and kpi/render-xlsx.ts (`cli kpi export --xlsx`). Pure data.
 */
export type CellValue = string | number | null;

export interface Sparkline {
  values: number[];
  /** The source range in A1 notation (for Sheets' SPARKLINE formula). */
  source: string;
  color: string;
}

export interface Cell {
  v: CellValue;
  /** Number format (Sheets and Excel syntax, e.g. '#,##0', '0.0%'). */
  format?: string;
  bg?: string;
  color?: string;
  bold?: boolean;
  italic?: boolean;
  note?: string;
  align?: 'left' | 'center' | 'right';
  wrap?: boolean;
  /** A sparkline in place of the value (v holds a text fallback). */
  sparkline?: Sparkline;
}

export interface ChartSeries {
  name: string;
  range: string;
  values: (number | null)[];
  color: string;
  dashed?: boolean;
}

/** A line chart: actuals and forecast, with an 80% band drawn between lower and upper. */
export interface ChartSpec {
  id: string;
  title: string;
  /** Top-left cell (0-based) on the sheet holding the chart. */
  anchor: { row: number; col: number };
  width: number;
  height: number;
  x: { range: string; values: string[] };
  series: ChartSeries[];
  band: { lower: ChartSeries; upper: ChartSeries; color: string };
  /** Number format of the vertical axis. */
  yFormat: string;
}

export interface ProtectedRange {
  /** A1 range within the sheet. */
  range: string;
  description: string;
}

export interface SheetLayout {
  name: string;
  rows: Cell[][];
  /** Column widths in pixels. */
  columnWidths: number[];
  frozenRows: number;
  frozenColumns: number;
  protected: ProtectedRange[];
  charts: ChartSpec[];
  tabColor?: string;
}

export interface WorkbookLayout {
  title: string;
  generatedAt: string;
  sheets: SheetLayout[];
}

export const SHEET_NAMES = { daily: 'KPI_daily', dashboard: 'ダッシュボード', forecast: '予測', help: '説明', log: 'ログ' } as const;
