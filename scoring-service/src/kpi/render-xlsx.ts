/**
 * Writes a WorkbookLayout as .xlsx with exceljs (`cli kpi export --xlsx`, GET /dev/kpi.xlsx):
 * values, number formats, fills, fonts, notes, frozen panes, column widths and protected
 * ranges (locked cells under sheet protection without a password). exceljs cannot write
 * charts or Sheets' SPARKLINE: sparklines become block-character text, and each chart's
 * anchor cell says where its data is (the 予測 sheet).
 */
import ExcelJS from 'exceljs';
import type { Cell, WorkbookLayout } from './layout-types.ts';
import { sparkText } from './format.ts';

const argb = (hex: string) => 'FF' + hex.replace('#', '').toUpperCase();

function inRange(a1: string, row: number, col: number): boolean {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(a1.replace(/^.*!/, ''));
  if (!m) return false;
  const colNum = (s: string) => s.split('').reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return row >= Number(m[2]) && row <= Number(m[4]) && col >= colNum(m[1]) && col <= colNum(m[3]);
}

function cellValue(c: Cell): ExcelJS.CellValue {
  if (c.sparkline) return sparkText(c.sparkline.values);
  if (c.format === 'yyyy-mm-dd' && typeof c.v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(c.v)) return new Date(`${c.v}T00:00:00Z`);
  return c.v;
}

export async function layoutToXlsx(layout: WorkbookLayout): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Workship ML';
  wb.created = new Date(layout.generatedAt);
  for (const s of layout.sheets) {
    const ws = wb.addWorksheet(s.name, {
      views: [{ state: 'frozen', xSplit: s.frozenColumns, ySplit: s.frozenRows }],
      properties: s.tabColor ? { tabColor: { argb: argb(s.tabColor) } } : {},
    });
    s.columnWidths.forEach((w, i) => (ws.getColumn(i + 1).width = Math.max(6, Math.round(w / 7))));
    s.rows.forEach((r, i) =>
      r.forEach((c, j) => {
        if (!c) return;
        const cell = ws.getCell(i + 1, j + 1);
        cell.value = cellValue(c);
        if (c.format && c.format !== 'General') cell.numFmt = c.format;
        if (c.bg) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(c.bg) } };
        if (c.color || c.bold || c.italic) cell.font = { color: c.color ? { argb: argb(c.color) } : undefined, bold: c.bold, italic: c.italic };
        if (c.align || c.wrap) cell.alignment = { horizontal: c.align, wrapText: c.wrap, vertical: 'top' };
        if (c.note) cell.note = c.note;
      }),
    );
    for (const chart of s.charts) {
      const cell = ws.getCell(chart.anchor.row + 1, chart.anchor.col + 1);
      cell.value = `📈 ${chart.title} — グラフのデータは「予測」シート（グラフ本体は /dev/kpi または Google スプレッドシートで表示）`;
      cell.font = { italic: true, color: { argb: 'FF666666' } };
    }
    if (s.protected.length) {
      // Excel locks every cell by default; unlock those outside the protected ranges.
      const height = Math.max(s.rows.length, ...s.charts.map((c) => c.anchor.row + 1));
      const width = Math.max(1, ...s.rows.map((r) => r.length));
      for (let i = 1; i <= height + 50; i++)
        for (let j = 1; j <= width + 5; j++) ws.getCell(i, j).protection = { locked: s.protected.some((p) => inRange(p.range, i, j)) };
      await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
