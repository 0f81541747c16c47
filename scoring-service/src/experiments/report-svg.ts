/** The report's two charts as inline SVG strings: an interval (forest) plot and the Qini curves. */
export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const fmt = (v: number, digits = 1) => `${(v * 100).toFixed(digits)}%`;

export interface IntervalRow {
  label: string;
  estimate: number;
  lower: number;
  upper: number;
  significant: boolean;
}

/** Relative lifts with their intervals around a zero line. */
export function intervalPlot(rows: IntervalRow[], title: string): string {
  const width = 640;
  const rowH = 28;
  const left = 190;
  const right = 30;
  const top = 30;
  const height = top + rows.length * rowH + 30;
  const finite = rows.flatMap((r) => [r.lower, r.upper, r.estimate]).filter(Number.isFinite);
  let lo = Math.min(0, ...finite);
  let hi = Math.max(0, ...finite);
  if (hi - lo < 1e-9) {
    lo -= 0.01;
    hi += 0.01;
  }
  const pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  const x = (v: number) => left + ((v - lo) / (hi - lo)) * (width - left - right);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">`];
  parts.push(`<text x="${left}" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<line x1="${x(0)}" y1="${top - 6}" x2="${x(0)}" y2="${height - 24}" stroke="#888" stroke-dasharray="4 3"/>`);
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    const color = r.significant ? (r.estimate > 0 ? '#1b7f3b' : '#b3261e') : '#555';
    parts.push(`<text x="${left - 8}" y="${y + 4}" font-size="12" text-anchor="end">${esc(r.label)}</text>`);
    if (Number.isFinite(r.lower) && Number.isFinite(r.upper)) parts.push(`<line x1="${x(r.lower)}" y1="${y}" x2="${x(r.upper)}" y2="${y}" stroke="${color}" stroke-width="3"/>`);
    if (Number.isFinite(r.estimate)) parts.push(`<circle cx="${x(r.estimate)}" cy="${y}" r="5" fill="${color}"><title>${esc(`${r.label}: ${fmt(r.estimate)} [${fmt(r.lower)}, ${fmt(r.upper)}]`)}</title></circle>`);
  });
  for (const v of [lo + pad, 0, hi - pad]) parts.push(`<text x="${x(v)}" y="${height - 8}" font-size="11" text-anchor="middle">${fmt(v)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface QiniSeries {
  name: string;
  color: string;
  points: { fraction: number; qini: number }[];
  dashed?: boolean;
}

export function qiniPlot(series: QiniSeries[], title: string): string {
  const width = 640;
  const height = 320;
  const m = { l: 60, r: 20, t: 30, b: 40 };
  const ys = series.flatMap((s) => s.points.map((p) => p.qini));
  const lo = Math.min(0, ...ys);
  let hi = Math.max(0, ...ys);
  if (hi - lo < 1e-9) hi = lo + 1;
  const x = (f: number) => m.l + f * (width - m.l - m.r);
  const y = (v: number) => height - m.b - ((v - lo) / (hi - lo)) * (height - m.t - m.b);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">`];
  parts.push(`<text x="${m.l}" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<line x1="${m.l}" y1="${y(0)}" x2="${width - m.r}" y2="${y(0)}" stroke="#ccc"/>`);
  parts.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${height - m.b}" stroke="#999"/>`);
  for (const f of [0, 0.3, 0.5, 1]) parts.push(`<text x="${x(f)}" y="${height - m.b + 16}" font-size="11" text-anchor="middle">${Math.round(f * 100)}%</text>`);
  parts.push(`<line x1="${x(0.3)}" y1="${m.t}" x2="${x(0.3)}" y2="${height - m.b}" stroke="#e0a000" stroke-dasharray="3 3"/>`);
  for (const v of [lo, hi]) parts.push(`<text x="${m.l - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v.toFixed(1)}</text>`);
  parts.push(`<text x="${(m.l + width - m.r) / 2}" y="${height - 6}" font-size="11" text-anchor="middle">対象にした割合 / share targeted (uplift 順 / by predicted uplift)</text>`);
  series.forEach((s, i) => {
    const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${x(p.fraction).toFixed(1)},${y(p.qini).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<rect x="${m.l + 10}" y="${m.t + 6 + i * 16}" width="12" height="3" fill="${s.color}"/><text x="${m.l + 28}" y="${m.t + 11 + i * 16}" font-size="11">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
