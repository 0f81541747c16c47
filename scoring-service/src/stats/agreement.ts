/**
 * Inter-annotator agreement and annotator bias on profiles scored by several people.
 */

/**
 * Krippendorff's alpha for interval data (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability", §E): units with fewer than two values are not pairable and are
 * ignored, so unbalanced designs (any annotator, any number per profile) are fine.
 * Returns NaN when fewer than two pairable units exist or all values are equal.
 */
export function krippendorffAlphaInterval(units: number[][]): number {
  const pairable = units.filter((u) => u.length >= 2);
  const values = pairable.flat();
  const n = values.length;
  if (pairable.length < 2 || n < 2) return NaN;
  let dObs = 0;
  for (const u of pairable) {
    let s = 0;
    for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j) s += (u[i] - u[j]) ** 2;
    dObs += s / (u.length - 1);
  }
  dObs /= n;
  // Σ_{c≠k} (v_c − v_k)² over all pairable values = 2n·Σ(v − v̄)².
  let m = 0;
  for (const v of values) m += v;
  m /= n;
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  const dExp = (2 * n * ss) / (n * (n - 1));
  if (dExp === 0) return NaN;
  return 1 - dObs / dExp;
}

/**
 * One-way random-effects ICC(1,1) (Shrout & Fleiss 1979) for units with a varying number
 * of ratings: (MSB − MSW) / (MSB + (k0 − 1)·MSW) with k0 the adjusted mean group size.
 */
export function icc1(units: number[][]): number {
  const us = units.filter((u) => u.length >= 2);
  const N = us.reduce((a, u) => a + u.length, 0);
  const g = us.length;
  if (g < 2) return NaN;
  const grand = us.reduce((a, u) => a + u.reduce((x, y) => x + y, 0), 0) / N;
  let ssb = 0;
  let ssw = 0;
  for (const u of us) {
    const m = u.reduce((x, y) => x + y, 0) / u.length;
    ssb += u.length * (m - grand) ** 2;
    for (const v of u) ssw += (v - m) ** 2;
  }
  const msb = ssb / (g - 1);
  const msw = ssw / (N - g);
  const k0 = (N - us.reduce((a, u) => a + u.length ** 2, 0) / N) / (g - 1);
  const den = msb + (k0 - 1) * msw;
  return den === 0 ? NaN : (msb - msw) / den;
}

export interface Rating {
  item: string;
  rater: string;
  score: number;
}

export interface BiasFit {
  /** Additive bias per rater, weighted to mean zero over all ratings. */
  bias: Map<string, number>;
  /** Bias-corrected consensus per item. */
  quality: Map<string, number>;
  ratingsPerRater: Map<string, number>;
  iterations: number;
}

/**
 * Joint estimate of score = quality(item) + bias(rater) by alternating least squares.
 * Rater biases are shrunk towards zero by `shrink` pseudo-ratings so that a rater seen on
 * few items does not absorb their items' quality; biases are identified only through items
 * several raters scored (or through raters' score levels across items).
 */
export function fitRaterBias(ratings: Rating[], o: { shrink?: number; maxIter?: number; tol?: number } = {}): BiasFit {
  const shrink = o.shrink ?? 5;
  const maxIter = o.maxIter ?? 50;
  const tol = o.tol ?? 1e-9;
  const items = new Map<string, number>();
  const raters = new Map<string, number>();
  const ii = new Int32Array(ratings.length);
  const ri = new Int32Array(ratings.length);
  ratings.forEach((r, k) => {
    if (!items.has(r.item)) items.set(r.item, items.size);
    if (!raters.has(r.rater)) raters.set(r.rater, raters.size);
    ii[k] = items.get(r.item)!;
    ri[k] = raters.get(r.rater)!;
  });
  const q = new Float64Array(items.size);
  const b = new Float64Array(raters.size);
  const qn = new Float64Array(items.size);
  const bn = new Float64Array(raters.size);
  for (let k = 0; k < ratings.length; k++) {
    qn[ii[k]]++;
    bn[ri[k]]++;
  }
  let iter = 0;
  for (; iter < maxIter; iter++) {
    const qs = new Float64Array(items.size);
    for (let k = 0; k < ratings.length; k++) qs[ii[k]] += ratings[k].score - b[ri[k]];
    for (let i = 0; i < q.length; i++) q[i] = qs[i] / qn[i];
    const bs = new Float64Array(raters.size);
    for (let k = 0; k < ratings.length; k++) bs[ri[k]] += ratings[k].score - q[ii[k]];
    let change = 0;
    let wmean = 0;
    const nb = new Float64Array(raters.size);
    for (let r = 0; r < b.length; r++) {
      nb[r] = bs[r] / (bn[r] + shrink);
      wmean += nb[r] * bn[r];
    }
    wmean /= ratings.length || 1;
    for (let r = 0; r < b.length; r++) {
      const v = nb[r] - wmean;
      change = Math.max(change, Math.abs(v - b[r]));
      b[r] = v;
    }
    if (change < tol) break;
  }
  // Final quality with the converged biases.
  const qs = new Float64Array(items.size);
  for (let k = 0; k < ratings.length; k++) qs[ii[k]] += ratings[k].score - b[ri[k]];
  for (let i = 0; i < q.length; i++) q[i] = qs[i] / qn[i];
  const bias = new Map<string, number>();
  const ratingsPerRater = new Map<string, number>();
  for (const [name, r] of raters) {
    bias.set(name, b[r]);
    ratingsPerRater.set(name, bn[r]);
  }
  const quality = new Map<string, number>();
  for (const [name, i] of items) quality.set(name, q[i]);
  return { bias, quality, ratingsPerRater, iterations: iter + 1 };
}
