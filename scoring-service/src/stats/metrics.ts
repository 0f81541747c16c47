/** Regression metrics over paired arrays (truth, prediction). */

function checkPaired(y: ArrayLike<number>, p: ArrayLike<number>): void {
  if (y.length !== p.length) throw new RangeError(`length mismatch: ${y.length} truths, ${p.length} predictions`);
}

export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample standard deviation (ddof = 1, as numpy's std(ddof=1)). */
export function sd(x: ArrayLike<number>): number {
  if (x.length < 2) return 0;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}

export function rmse(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkPaired(y, p);
  if (y.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - p[i]) ** 2;
  return Math.sqrt(s / y.length);
}

export function mae(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkPaired(y, p);
  if (y.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.abs(y[i] - p[i]);
  return s / y.length;
}

/** Ranks starting at 1, ties get their average rank (scipy.stats.rankdata 'average'). */
export function ranks(x: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(x.length);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]] === x[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPaired(a, b);
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return NaN;
  return sab / Math.sqrt(saa * sbb);
}

/** Spearman's rho: Pearson correlation of average ranks (scipy.stats.spearmanr). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPaired(a, b);
  return pearson(ranks(a), ranks(b));
}

/** Linear-interpolated quantile of sorted data (numpy's default 'linear' method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** RMSE per group (e.g. occupation), groups with fewer than `minCount` rows left out. */
export function rmseByGroup(y: ArrayLike<number>, p: ArrayLike<number>, groups: string[], minCount = 1): { group: string; n: number; rmse: number; meanResidual: number }[] {
  checkPaired(y, p);
  const acc = new Map<string, { n: number; sse: number; sr: number }>();
  for (let i = 0; i < y.length; i++) {
    const g = acc.get(groups[i]) ?? { n: 0, sse: 0, sr: 0 };
    g.n++;
    g.sse += (y[i] - p[i]) ** 2;
    g.sr += y[i] - p[i];
    acc.set(groups[i], g);
  }
  return [...acc.entries()]
    .filter(([, g]) => g.n >= minCount)
    .map(([group, g]) => ({ group, n: g.n, rmse: Math.sqrt(g.sse / g.n), meanResidual: g.sr / g.n }))
    .sort((a, b) => a.group.localeCompare(b.group));
}
