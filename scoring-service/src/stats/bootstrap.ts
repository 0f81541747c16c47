/**
 * Paired bootstrap of an RMSE difference: both models are scored on the same resampled
 * rows, so the interval reflects only how much the difference depends on which rows
 * happened to be held out (Efron & Tibshirani, ch. 13, percentile interval).
 */
import { seededRandom } from './rng.ts';

export interface PairedDiff {
  /** RMSE(b) − RMSE(a) on all rows: negative means b is better. */
  diff: number;
  /** Relative improvement of b over a: (RMSE(a) − RMSE(b)) / RMSE(a). */
  relImprovement: number;
  lo: number;
  hi: number;
  level: number;
  resamples: number;
}

export function pairedBootstrapRmseDiff(
  y: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  o: { resamples?: number; seed?: number; level?: number } = {},
): PairedDiff {
  const n = y.length;
  if (a.length !== n || b.length !== n) throw new RangeError('y, a and b must have the same length');
  if (n === 0) throw new RangeError('no rows to bootstrap');
  const B = o.resamples ?? 1000;
  const level = o.level ?? 0.95;
  const rand = seededRandom(o.seed ?? 1);
  const ea = new Float64Array(n);
  const eb = new Float64Array(n);
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    ea[i] = (y[i] - a[i]) ** 2;
    eb[i] = (y[i] - b[i]) ** 2;
    sa += ea[i];
    sb += eb[i];
  }
  const rmseA = Math.sqrt(sa / n);
  const diffs = new Float64Array(B);
  for (let r = 0; r < B; r++) {
    let ta = 0;
    let tb = 0;
    for (let k = 0; k < n; k++) {
      const i = Math.floor(rand() * n);
      ta += ea[i];
      tb += eb[i];
    }
    diffs[r] = Math.sqrt(tb / n) - Math.sqrt(ta / n);
  }
  diffs.sort();
  const alpha = (1 - level) / 2;
  const at = (q: number) => {
    const pos = (B - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return diffs[lo] + (diffs[hi] - diffs[lo]) * (pos - lo);
  };
  const diff = Math.sqrt(sb / n) - rmseA;
  return { diff, relImprovement: rmseA > 0 ? -diff / rmseA : 0, lo: at(alpha), hi: at(1 - alpha), level, resamples: B };
}
