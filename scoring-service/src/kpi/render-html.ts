/**
 * Renders a WorkbookLayout as one self-contained HTML page (GET /dev/kpi): each sheet as a
 * styled table, sparklines and charts as inline SVG. Pure string building.
 */
import type { Cell, ChartSpec, SheetLayout, Sparkline, WorkbookLayout } from './layout-types.ts';
import { formatValue } from './format.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function sparkSvg(s: Sparkline): string {
  const w = 150;
  const h = 28;
  const lo = Math.min(...s.values);
  const hi = Math.max(...s.values);
  const pts = s.values.map((v, i) => `${((i / Math.max(1, s.values.length - 1)) * (w - 2) + 1).toFixed(1)},${(h - 2 - ((v - lo) / (hi - lo || 1)) * (h - 4)).toFixed(1)}`);
  return `<svg class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="sparkline"><polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts.join(' ')}"/></svg>`;
}

function cellHtml(c: Cell | undefined, tag: 'td' | 'th'): string {
  if (!c) return `<${tag}></${tag}>`;
  const style: string[] = [];
  if (c.bg) style.push(`background:${c.bg}`);
  if (c.color) style.push(`color:${c.color}`);
  if (c.bold) style.push('font-weight:600');
  if (c.italic) style.push('font-style:italic');
  if (c.align) style.push(`text-align:${c.align}`);
  else if (typeof c.v === 'number') style.push('text-align:right');
  if (c.wrap) style.push('white-space:normal');
  const body = c.sparkline ? sparkSvg(c.sparkline) : escapeHtml(formatValue(c.v, c.format));
  const title = c.note ? ` title="${escapeHtml(c.note)}"` : '';
  return `<${tag}${style.length ? ` style="${style.join(';')}"` : ''}${title}>${body}</${tag}>`;
}

function niceTicks(lo: number, hi: number, n = 5): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const step0 = span / n;
  const mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

export function chartSvg(c: ChartSpec): string {
  const W = c.width;
  const H = c.height;
  const m = { l: 56, r: 12, t: 34, b: 48 };
  const n = c.x.values.length;
  const all = [...c.series, c.band.lower, c.band.upper].flatMap((s) => s.values).filter((v): v is number => typeof v === 'number');
  if (!n || !all.length) return `<div class="chart empty">${escapeHtml(c.title)}: データなし</div>`;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  const pad = (hi - lo || 1) * 0.05;
  lo -= pad;
  hi += pad;
  const x = (i: number) => m.l + (i / Math.max(1, n - 1)) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - ((v - lo) / (hi - lo)) * (H - m.t - m.b);
  const path = (vals: (number | null)[]) => {
    let d = '';
    let pen = false;
    vals.forEach((v, i) => {
      if (typeof v !== 'number') return void (pen = false);
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  const upper: string[] = [];
  const lower: string[] = [];
  c.band.upper.values.forEach((v, i) => typeof v === 'number' && upper.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`));
  c.band.lower.values.forEach((v, i) => typeof v === 'number' && lower.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`));
  const band = upper.length ? `<polygon class="band" fill="${c.band.color}" fill-opacity="0.6" stroke="none" points="${[...upper, ...lower.reverse()].join(' ')}"/>` : '';
  const ticks = niceTicks(lo, hi)
    .map((t) => `<line x1="${m.l}" x2="${W - m.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e0e0e0"/><text x="${m.l - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(formatValue(t, c.yFormat))}</text>`)
    .join('');
  const xLabels = [0, Math.floor((n - 1) / 2), n - 1]
    .map((i, j) => `<text x="${x(i).toFixed(1)}" y="${H - m.b + 18}" text-anchor="${['start', 'middle', 'end'][j]}">${escapeHtml(c.x.values[i])}</text>`)
    .join('');
  const lines = c.series
    .map((s) => `<path d="${path(s.values)}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}><title>${escapeHtml(s.name)}</title></path>`)
    .join('');
  const legend = [...c.series.map((s) => [s.name, s.color]), ['80% 区間', c.band.color]]
    .map(([name, color], i) => `<rect x="${m.l + i * 110}" y="${H - 16}" width="12" height="12" fill="${color}"/><text x="${m.l + i * 110 + 16}" y="${H - 6}">${escapeHtml(name)}</text>`)
    .join('');
  return `<svg class="chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(c.title)}">
<text x="${m.l}" y="20" class="title">${escapeHtml(c.title)}</text>${ticks}${band}${lines}${xLabels}${legend}</svg>`;
}

function sheetHtml(s: SheetLayout, id: string): string {
  const [head, ...body] = s.rows;
  const width = Math.max(0, ...s.rows.map((r) => r.length));
  const frozen = s.frozenRows;
  const rowHtml = (r: Cell[], i: number) => {
    const tag = i < frozen ? 'th' : 'td';
    // A row holding only its first cell (titles, notes) spans the table instead of widening column A.
    if (r.length && r.slice(1).every((c) => !c || c.v === null)) return `<tr>${cellHtml(r[0], tag).replace(/^<(t[hd])/, `<$1 colspan="${width}" class="span"`)}</tr>`;
    const cells: string[] = [];
    for (let j = 0; j < width; j++) cells.push(cellHtml(r[j], tag));
    return `<tr>${cells.join('')}</tr>`;
  };
  const rows = [head ?? [], ...body];
  const thead = rows.slice(0, frozen).map(rowHtml).join('');
  const tbody = rows.slice(frozen).map((r, i) => rowHtml(r, i + frozen)).join('\n');
  const cols = s.columnWidths.map((w) => `<col style="width:${w}px">`).join('');
  const charts = s.charts.map(chartSvg).join('\n');
  return `<section id="${id}"><h2>${escapeHtml(s.name)}</h2>
<div class="scroll"><table><colgroup>${cols}</colgroup><thead>${thead}</thead><tbody>${tbody}</tbody></table></div>
${charts ? `<div class="charts">${charts}</div>` : ''}</section>`;
}

export function renderKpiHtml(layout: WorkbookLayout, o: { xlsxHref?: string } = {}): string {
  const ids = layout.sheets.map((_, i) => `sheet-${i}`);
  const nav = layout.sheets.map((s, i) => `<a href="#${ids[i]}">${escapeHtml(s.name)}</a>`).join(' ');
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(layout.title)} ダッシュボード</title>
<style>
body{font-family:"IPAGothic","Noto Sans JP",system-ui,sans-serif;margin:16px;color:#202124}
nav{position:sticky;top:0;background:#fff;padding:8px 0;border-bottom:1px solid #ddd;z-index:2}
nav a{margin-right:16px}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #e0e0e0;padding:3px 6px;white-space:nowrap}
td.span,th.span{white-space:normal;text-align:left}
thead th{position:sticky;top:0}
.scroll{max-height:640px;overflow:auto}
.charts{display:flex;flex-wrap:wrap;gap:12px;margin-top:12px}
svg.chart{border:1px solid #e0e0e0;font-size:11px;background:#fff}
svg.chart .title{font-size:13px;font-weight:600}
svg.spark{display:block}
</style></head><body>
<h1>${escapeHtml(layout.title)}</h1>
<nav>${nav}${o.xlsxHref ? ` <a href="${escapeHtml(o.xlsxHref)}">.xlsx をダウンロード</a>` : ''}</nav>
${layout.sheets.map((s, i) => sheetHtml(s, ids[i])).join('\n')}
<p style="color:#666">生成: ${escapeHtml(layout.generatedAt)}</p>
</body></html>`;
}
