/** Minimal inline-SVG charts (no external assets, no scripts): scatter, bars, line. */

export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const W = 560;
const H = 320;
const M = { l: 56, r: 16, t: 16, b: 44 };

function scale(d0: number, d1: number, r0: number, r1: number) {
  const span = d1 - d0 || 1;
  return (v: number) => r0 + ((v - d0) / span) * (r1 - r0);
}

function ticks(lo: number, hi: number, n = 5): number[] {
  const step = (hi - lo) / (n - 1 || 1);
  return Array.from({ length: n }, (_, i) => lo + i * step);
}

function axes(xl: string, yl: string, xs: (v: number) => number, ys: (v: number) => number, xt: number[], yt: number[], fmt = (v: number) => v.toFixed(1)): string {
  const parts = [`<line x1="${M.l}" y1="${H - M.b}" x2="${W - M.r}" y2="${H - M.b}" stroke="#333"/>`, `<line x1="${M.l}" y1="${M.t}" x2="${M.l}" y2="${H - M.b}" stroke="#333"/>`];
  for (const t of xt) parts.push(`<text x="${xs(t).toFixed(1)}" y="${H - M.b + 16}" font-size="11" text-anchor="middle">${esc(fmt(t))}</text>`);
  for (const t of yt) parts.push(`<text x="${M.l - 6}" y="${(ys(t) + 4).toFixed(1)}" font-size="11" text-anchor="end">${esc(fmt(t))}</text>`);
  parts.push(`<text x="${(M.l + W - M.r) / 2}" y="${H - 8}" font-size="12" text-anchor="middle">${esc(xl)}</text>`);
  parts.push(`<text x="14" y="${(M.t + H - M.b) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${(M.t + H - M.b) / 2})">${esc(yl)}</text>`);
  return parts.join('');
}

export function scatterSvg(points: { x: number; y: number }[], xl: string, yl: string, domain: [number, number] = [1, 5]): string {
  const xs = scale(domain[0], domain[1], M.l, W - M.r);
  const ys = scale(domain[0], domain[1], H - M.b, M.t);
  const dots = points.map((p) => `<circle cx="${xs(p.x).toFixed(1)}" cy="${ys(p.y).toFixed(1)}" r="2" fill="#2563eb" fill-opacity="0.35"/>`).join('');
  const diag = `<line x1="${xs(domain[0])}" y1="${ys(domain[0])}" x2="${xs(domain[1])}" y2="${ys(domain[1])}" stroke="#dc2626" stroke-dasharray="4 3"/>`;
  const t = ticks(domain[0], domain[1]);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(xl)} vs ${esc(yl)}" data-chart="scatter">${axes(xl, yl, xs, ys, t, t)}${diag}${dots}</svg>`;
}

export function barSvg(bars: { label: string; value: number }[], valueLabel: string): string {
  const h = Math.max(80, 24 * bars.length + M.t + M.b);
  const max = Math.max(1e-9, ...bars.map((b) => Math.abs(b.value)));
  const minV = Math.min(0, ...bars.map((b) => b.value));
  const left = 200;
  const xs = scale(minV, max, left, W - M.r);
  const rows = bars
    .map((b, i) => {
      const y = M.t + i * 24;
      const x0 = xs(Math.min(0, b.value));
      const x1 = xs(Math.max(0, b.value));
      return `<text x="${left - 6}" y="${y + 15}" font-size="11" text-anchor="end">${esc(b.label)}</text><rect x="${x0.toFixed(1)}" y="${y + 4}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="16" fill="${b.value < 0 ? '#dc2626' : '#2563eb'}"/><text x="${(x1 + 4).toFixed(1)}" y="${y + 15}" font-size="10">${esc(b.value.toFixed(3))}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="${esc(valueLabel)}" data-chart="bar">${rows}<text x="${W - M.r}" y="${h - 8}" font-size="11" text-anchor="end">${esc(valueLabel)}</text></svg>`;
}

export function lineSvg(points: { x: number; y: number }[], xl: string, yl: string): string {
  if (!points.length) return '<p>（データなし / no data）</p>';
  const xsVals = points.map((p) => p.x);
  const ysVals = points.map((p) => p.y);
  const y0 = Math.min(...ysVals) * 0.95;
  const y1 = Math.max(...ysVals) * 1.05;
  const xs = scale(Math.min(...xsVals), Math.max(...xsVals), M.l, W - M.r);
  const ys = scale(y0, y1, H - M.b, M.t);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${xs(p.x).toFixed(1)},${ys(p.y).toFixed(1)}`).join(' ');
  const dots = points.map((p) => `<circle cx="${xs(p.x).toFixed(1)}" cy="${ys(p.y).toFixed(1)}" r="3" fill="#2563eb"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(yl)}" data-chart="line">${axes(xl, yl, xs, ys, ticks(Math.min(...xsVals), Math.max(...xsVals)), ticks(y0, y1), (v) => (Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(3)))}<path d="${path}" fill="none" stroke="#2563eb" stroke-width="2"/>${dots}</svg>`;
}
