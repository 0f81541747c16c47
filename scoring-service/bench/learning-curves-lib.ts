/**
 * The active-learning benchmark's learning curves as a self-contained SVG chart (no
 * dependencies, readable in any browser or on GitHub): RMSE against annotations for random
 * order and each strategy, a band of ±1 standard error over the repetitions around each
 * mean curve, the reference (random order's RMSE at the target) as a dashed line, the goal
 * as a dotted vertical line, and where each curve first reaches the reference.
 */

export interface CurveSeries {
  name: string;
  /** Mean RMSE per checkpoint. */
  mean: readonly number[];
  /** One curve per repetition (for the ±1 SE band); optional. */
  perRepetition?: readonly (readonly number[])[];
  /** Annotations at which the mean curve reaches the reference (interpolated); null when it does not. */
  reached?: number | null;
}

export interface LearningCurveChart {
  title: string;
  n: readonly number[];
  series: readonly CurveSeries[];
  /** Random order's RMSE at the target (the horizontal reference line). */
  reference: number;
  referenceLabel: string;
  /** The goal on the annotation axis (vertical line), e.g. 350. */
  goal?: number;
  goalLabel?: string;
}

const COLORS = ['#6b7280', '#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed'];
const W = 760;
const PLOT_H = 340;

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
const fmt = (v: number) => (Math.round(v * 10) / 10).toString();

/** Mean ± one standard error of the mean, per checkpoint (null with fewer than two curves). */
export function standardErrorBand(curves: readonly (readonly number[])[]): { lo: number[]; hi: number[] } | null {
  const r = curves.length;
  if (r < 2) return null;
  const k = curves[0].length;
  const lo: number[] = [];
  const hi: number[] = [];
  for (let j = 0; j < k; j++) {
    let m = 0;
    for (const c of curves) m += c[j] / r;
    let v = 0;
    for (const c of curves) v += (c[j] - m) ** 2;
    const se = Math.sqrt(v / (r - 1) / r);
    lo.push(m - se);
    hi.push(m + se);
  }
  return { lo, hi };
}

/** "Nice" tick values with about `count` steps, from a multiple of the step at or below `lo` to one at or above `hi`. */
export function ticks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  const last = Math.ceil(hi / step - 1e-9);
  for (let k = Math.floor(lo / step + 1e-9); k <= last; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

export function learningCurveSvg(chart: LearningCurveChart): string {
  const { n, series } = chart;
  // Room below the plot for the axis title and a two-column legend.
  const M = { left: 64, right: 24, top: 48, bottom: 60 + 18 * Math.ceil(series.length / 2) };
  const H = M.top + PLOT_H + M.bottom;
  if (!n.length || !series.length) throw new RangeError('learning curve chart: no checkpoints or no series');
  for (const s of series) if (s.mean.length !== n.length) throw new RangeError(`learning curve chart: series '${s.name}' has ${s.mean.length} points for ${n.length} checkpoints`);
  const bands = series.map((s) => (s.perRepetition ? standardErrorBand(s.perRepetition) : null));
  const values = [chart.reference, ...series.flatMap((s) => s.mean), ...bands.flatMap((b) => (b ? [...b.lo, ...b.hi] : []))].filter(Number.isFinite);
  const yTicks = ticks(Math.min(...values), Math.max(...values), 6);
  const [y0, y1] = [yTicks[0], yTicks.at(-1)!];
  const [x0, x1] = [0, Math.max(...n)];
  const px = (v: number) => M.left + ((v - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const py = (v: number) => H - M.bottom - ((v - y0) / (y1 - y0 || 1)) * (H - M.top - M.bottom);
  const path = (ys: readonly number[]) => ys.map((y, j) => `${fmt(px(n[j]))},${fmt(py(y))}`).join(' ');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="24" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  for (const t of yTicks) out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${fmt(py(t))}" y2="${fmt(py(t))}" stroke="#e5e7eb"/>`, `<text x="${M.left - 6}" y="${fmt(py(t) + 4)}" text-anchor="end">${t.toFixed(2)}</text>`);
  for (const t of ticks(x0, x1, 10)) out.push(`<text x="${fmt(px(t))}" y="${H - M.bottom + 16}" text-anchor="middle">${t}</text>`);
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#111"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#111"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - M.bottom + 34}" text-anchor="middle">annotations</text>`,
    `<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">RMSE vs the hidden rule</text>`,
  );
  bands.forEach((b, i) => {
    if (!b) return;
    const pts = [...b.hi.map((y, j) => `${fmt(px(n[j]))},${fmt(py(y))}`), ...b.lo.map((y, j) => `${fmt(px(n[j]))},${fmt(py(y))}`).reverse()].join(' ');
    out.push(`<polygon points="${pts}" fill="${COLORS[i % COLORS.length]}" fill-opacity="0.12" stroke="none"/>`);
  });
  out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${fmt(py(chart.reference))}" y2="${fmt(py(chart.reference))}" stroke="#111" stroke-dasharray="6 4"/>`);
  // Labelled at the left, where the curves are still far above the reference.
  out.push(`<text x="${M.left + 6}" y="${fmt(py(chart.reference) - 6)}">${escapeXml(chart.referenceLabel)}</text>`);
  if (chart.goal !== undefined) {
    out.push(`<line x1="${fmt(px(chart.goal))}" x2="${fmt(px(chart.goal))}" y1="${M.top}" y2="${H - M.bottom}" stroke="#111" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${fmt(px(chart.goal) + 4)}" y="${M.top + 12}">${escapeXml(chart.goalLabel ?? `goal ${chart.goal}`)}</text>`);
  }
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    out.push(`<polyline points="${path(s.mean)}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (let j = 0; j < n.length; j++) out.push(`<circle cx="${fmt(px(n[j]))}" cy="${fmt(py(s.mean[j]))}" r="2.5" fill="${color}"/>`);
    if (s.reached !== undefined && s.reached !== null) out.push(`<circle class="reached" cx="${fmt(px(s.reached))}" cy="${fmt(py(chart.reference))}" r="5" fill="none" stroke="${color}" stroke-width="2"/>`);
    const reached = s.reached === undefined ? '' : s.reached === null ? ` — not reached within ${x1}` : ` — reaches it at ${Math.round(s.reached)}`;
    const ly = H - M.bottom + 54 + Math.floor(i / 2) * 18;
    const lx = M.left + (i % 2) * ((W - M.left - M.right) / 2);
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`, `<text x="${lx + 28}" y="${ly}">${escapeXml(s.name + reached)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
