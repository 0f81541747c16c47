/**
 * Frequentist comparison of a variant against control from sample moments: Welch's
 * unequal-variance t-test (matches scipy.stats.ttest_ind(equal_var=False) on the unit
 * values), the absolute lift's Welch interval, and the relative lift's interval by the
 * delta method (GrowthBook's formula: Var(m_t/m_c) ≈ v_t/(n_t m_c²) + m_t² v_c/(n_c m_c⁴)).
 */
import { tQuantile, tTwoSidedP } from './dist.ts';

/** Sufficient statistics of one arm for one metric (values per unit; 0/1 for conversions). */
export interface Moments {
  n: number;
  sum: number;
  sumSq: number;
}

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface Comparison {
  absolute: Interval;
  relative: Interval | null;
  t: number;
  df: number;
  p_value: number;
}

export function mean(m: Moments): number {
  return m.n > 0 ? m.sum / m.n : NaN;
}

/** Sample variance with n-1 in the denominator (numpy's ddof=1). */
export function variance(m: Moments): number {
  if (m.n < 2) return NaN;
  return Math.max(0, (m.sumSq - (m.sum * m.sum) / m.n) / (m.n - 1));
}

export function momentsOf(values: ArrayLike<number>): Moments {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    sumSq += values[i] * values[i];
  }
  return { n: values.length, sum, sumSq };
}

/**
 * Compares `treatment` with `control` given each arm's mean, variance and size (so CUPED
 * can pass adjusted values). `level` is the two-sided confidence level.
 */
export function welchCompare(
  t: { mean: number; variance: number; n: number },
  c: { mean: number; variance: number; n: number },
  level = 0.95,
): Comparison {
  const diff = t.mean - c.mean;
  const at = t.variance / t.n;
  const ac = c.variance / c.n;
  const se2 = at + ac;
  const df = se2 > 0 ? (se2 * se2) / ((at * at) / (t.n - 1) + (ac * ac) / (c.n - 1)) : Infinity;
  const se = Math.sqrt(se2);
  const q = tQuantile(1 - (1 - level) / 2, df);
  const tStat = se > 0 ? diff / se : diff === 0 ? 0 : Math.sign(diff) * Infinity;
  const absolute = { estimate: diff, lower: diff - q * se, upper: diff + q * se };
  let relative: Interval | null = null;
  if (c.mean !== 0 && Number.isFinite(c.mean)) {
    const r = t.mean / c.mean - 1;
    const varRel = at / (c.mean * c.mean) + (t.mean * t.mean * ac) / c.mean ** 4;
    const seRel = Math.sqrt(varRel);
    relative = { estimate: r, lower: r - q * seRel, upper: r + q * seRel };
  }
  return { absolute, relative, t: tStat, df, p_value: tTwoSidedP(tStat, df) };
}

export function compareMoments(t: Moments, c: Moments, level = 0.95): Comparison {
  return welchCompare({ mean: mean(t), variance: variance(t), n: t.n }, { mean: mean(c), variance: variance(c), n: c.n }, level);
}
