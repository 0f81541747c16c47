/**
 * The score distribution percentiles are measured against: sorted scores of every
 * freelancer, overall and per occupation, captured when the scores are materialised.
 * Percentiles are mid-ranks (ties count half), so equal scores get equal percentiles.
 */
export interface ScoreDistribution {
  overall: Float64Array;
  byOccupation: ReadonlyMap<string, Float64Array>;
}

export function buildDistribution(scores: ArrayLike<number>, occupations: ArrayLike<string | null>): ScoreDistribution {
  const overall = Float64Array.from(scores).sort();
  const groups = new Map<string, number[]>();
  for (let i = 0; i < scores.length; i++) {
    const o = occupations[i];
    if (o == null) continue;
    let g = groups.get(o);
    if (!g) groups.set(o, (g = []));
    g.push(scores[i]);
  }
  const byOccupation = new Map<string, Float64Array>();
  for (const [o, g] of groups) byOccupation.set(o, Float64Array.from(g).sort());
  return { overall, byOccupation };
}

/** Number of entries < v (lo) and ≤ v (hi) in a sorted array. */
function bounds(sorted: Float64Array, v: number): [number, number] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (sorted[m] < v) lo = m + 1;
    else hi = m;
  }
  let hi2 = lo;
  let top = sorted.length;
  while (hi2 < top) {
    const m = (hi2 + top) >>> 1;
    if (sorted[m] <= v) hi2 = m + 1;
    else top = m;
  }
  return [lo, hi2];
}

/** 0–100: share of the distribution below v, ties counted half. Empty → 50. */
export function percentileOf(sorted: Float64Array, v: number): number {
  if (!sorted.length) return 50;
  const [less, lessOrEqual] = bounds(sorted, v);
  return (100 * (less + 0.5 * (lessOrEqual - less))) / sorted.length;
}

/**
 * percentileOf(sorted, ·) for many values: the same numbers, with each search confined to the
 * value's bucket of an equal-width grid over [min, max] (bucket of x is monotone in x, so every
 * entry of a lower bucket is smaller and every entry of a higher one larger). A million
 * lookups stay in cache instead of 2 × 20 scattered probes each.
 */
export function percentileLookup(sorted: Float64Array): (v: number) => number {
  const n = sorted.length;
  const min = sorted[0];
  const max = sorted[n - 1];
  const span = max - min;
  if (!n || !(span > 0) || !Number.isFinite(span)) return (v) => percentileOf(sorted, v);
  const B = Math.max(1, Math.min(1 << 20, n >> 2));
  const scale = B / span;
  const bucketOf = (x: number) => Math.min(B - 1, Math.max(0, Math.floor((x - min) * scale)));
  const start = new Int32Array(B + 1);
  for (let b = 0, i = 0; b <= B; b++) {
    while (i < n && bucketOf(sorted[i]) < b) i++;
    start[b] = i;
  }
  return (v) => {
    if (!(v >= min)) return v < min ? 0 : percentileOf(sorted, v);
    if (v > max) return 100;
    const b = bucketOf(v);
    let lo = start[b];
    let top = start[b + 1];
    while (lo < top) {
      const m = (lo + top) >>> 1;
      if (sorted[m] < v) lo = m + 1;
      else top = m;
    }
    let hi = lo;
    top = start[b + 1];
    while (hi < top) {
      const m = (hi + top) >>> 1;
      if (sorted[m] <= v) hi = m + 1;
      else top = m;
    }
    return (100 * (lo + 0.5 * (hi - lo))) / n;
  };
}

/** Percentile within an occupation, falling back to the overall one for an unseen occupation. */
export function occupationPercentileOf(d: ScoreDistribution, occupation: string, v: number): number {
  const g = d.byOccupation.get(occupation);
  return percentileOf(g && g.length ? g : d.overall, v);
}

/**
 * The distribution last materialised per model version, so a LiveModel built without one
 * (e.g. by the registry before or after materialising) still measures percentiles against
 * every freelancer's score. Only the latest few versions are kept.
 */
const remembered = new Map<string, ScoreDistribution>();

export function rememberDistribution(modelVersion: string, d: ScoreDistribution): void {
  remembered.delete(modelVersion);
  remembered.set(modelVersion, d);
  while (remembered.size > 3) remembered.delete(remembered.keys().next().value as string);
}

export function rememberedDistribution(modelVersion: string): ScoreDistribution | undefined {
  return remembered.get(modelVersion);
}
