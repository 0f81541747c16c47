/**
 * Calibration of the ridge score to the annotators' bounded 1–5 scale. Annotations are
 * integers clipped at 1 and 5, so the expected annotation is an S-shaped function of any
 * linear score: flat near the bounds, steeper in the middle. A linear model can only draw a
 * compromise line (too high at the bottom and top, too flat in the middle); a monotone
 * natural cubic spline g of the raw score, fitted to out-of-fold raw predictions (so it
 * learns the shape, not the training fit's optimism), bends it back.
 *
 * Exactness of explanations is kept: with r0 the raw score at the training means (the
 * intercept) and r the raw score, contribution j becomes c_j · (g(r) − g(r0)) / (r − r0),
 * so g(r0) + Σ contributions = g(r) (scaledContributions).
 */
import { naturalSplineBasis } from '../features/featurizer.ts';
import { foldsOf } from './ridge.ts';
import { foldStatistics, solveStandard, standardProblem } from './ridge-cv.ts';

export const CALIBRATION_TYPE = 'natural-spline';

export interface Calibration {
  type: 'natural-spline';
  /** Knots on the raw-score axis (empty: linear). */
  knots: number[];
  /** [intercept, slope, spline basis 1 … K−2]. */
  coef: number[];
  /** Raw-score range of the data the calibration was fitted on (outside it g is linear). */
  range: [number, number];
}

/** Knots at these quantiles of the out-of-fold raw scores. */
export const CALIBRATION_QUANTILES = [0.05, 0.35, 0.65, 0.95];

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function basisRow(x: number, knots: readonly number[]): number[] {
  const row = [1, x];
  for (let j = 0; j + 2 < knots.length; j++) row.push(naturalSplineBasis(x, knots, j));
  return row;
}

/** g(raw): no allocation, so the batch scorer can call it per row. */
export function calibrate(c: Calibration, raw: number): number {
  let s = c.coef[0] + c.coef[1] * raw;
  for (let j = 0; j + 2 < c.knots.length; j++) s += c.coef[2 + j] * naturalSplineBasis(raw, c.knots, j);
  return s;
}

/** The identity map (what a model without a calibration serves). */
export const IDENTITY_CALIBRATION: Calibration = { type: CALIBRATION_TYPE, knots: [], coef: [0, 1], range: [0, 0] };

/**
 * Validates a calibration read from model JSON; `fail(message, field)` raises the caller's
 * format error. Knots must increase, coefficients match them, and g must not fall.
 */
export function parseCalibration(v: unknown, fail: (message: string, field: string) => never): Calibration {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`model field 'calibration' must be an object`, 'calibration');
  const o = v as Record<string, unknown>;
  if (o.type !== CALIBRATION_TYPE) return fail(`model field 'calibration.type' must be "${CALIBRATION_TYPE}"`, 'calibration.type');
  const nums = (x: unknown, field: string): number[] => {
    if (!Array.isArray(x) || x.some((e) => typeof e !== 'number' || !Number.isFinite(e))) return fail(`model field '${field}' must be an array of finite numbers`, field);
    return x as number[];
  };
  const knots = nums(o.knots, 'calibration.knots');
  const coef = nums(o.coef, 'calibration.coef');
  const range = nums(o.range, 'calibration.range');
  if (knots.length === 1 || knots.length === 2) return fail(`model field 'calibration.knots' must have 0 or at least 3 knots`, 'calibration.knots');
  if (knots.some((t, i) => i > 0 && !(t > knots[i - 1]))) return fail(`model field 'calibration.knots' must increase`, 'calibration.knots');
  if (coef.length !== 2 + Math.max(0, knots.length - 2)) return fail(`model field 'calibration.coef' has ${coef.length} entries, expected ${2 + Math.max(0, knots.length - 2)}`, 'calibration.coef');
  if (range.length !== 2 || range[1] < range[0]) return fail(`model field 'calibration.range' must be [low, high]`, 'calibration.range');
  const c: Calibration = { type: CALIBRATION_TYPE, knots, coef, range: [range[0], range[1]] };
  if (!isMonotone(c)) return fail(`model field 'calibration' is not monotone`, 'calibration');
  return c;
}

/** Weighted least squares of y on the spline basis of raw (normal equations, m ≤ 4 columns). */
function solveBasis(raw: ArrayLike<number>, y: ArrayLike<number>, knots: number[], weights?: ArrayLike<number>): number[] | null {
  const m = 2 + Math.max(0, knots.length - 2);
  const A = Array.from({ length: m }, () => new Float64Array(m));
  const b = new Float64Array(m);
  for (let i = 0; i < raw.length; i++) {
    const w = weights ? weights[i] : 1;
    const r = basisRow(raw[i], knots);
    for (let j = 0; j < m; j++) {
      b[j] += w * r[j] * y[i];
      for (let k = 0; k < m; k++) A[j][k] += w * r[j] * r[k];
    }
  }
  // Gaussian elimination with partial pivoting (m ≤ 4).
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    if (Math.abs(A[piv][c]) < 1e-300) return null;
    [A[c], A[piv]] = [A[piv], A[c]];
    [b[c], b[piv]] = [b[piv], b[c]];
    for (let r = c + 1; r < m; r++) {
      const f = A[r][c] / A[c][c];
      for (let k = c; k < m; k++) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < m; k++) s -= A[r][k] * x[k];
    x[r] = s / A[r][r];
  }
  return x.every(Number.isFinite) ? x : null;
}

function isMonotone(c: Calibration): boolean {
  const [lo, hi] = c.range;
  if (c.coef[1] < 0 && !c.knots.length) return false;
  let prev = calibrate(c, lo);
  for (let i = 1; i <= 200; i++) {
    const v = calibrate(c, lo + ((hi - lo) * i) / 200);
    if (v < prev - 1e-9) return false;
    prev = v;
  }
  return true;
}

/**
 * Fits g on (out-of-fold raw score, target) pairs. Fewer knots are tried when the fit is not
 * monotone (a score must never fall as the raw score rises); the identity is the last resort.
 */
export function fitCalibration(raw: ArrayLike<number>, y: ArrayLike<number>, o: { weights?: ArrayLike<number>; quantiles?: number[] } = {}): Calibration {
  if (raw.length !== y.length) throw new RangeError(`raw has ${raw.length} values but y has ${y.length}`);
  const sorted = Float64Array.from(raw).sort();
  const range: [number, number] = [sorted[0] ?? 0, sorted[sorted.length - 1] ?? 0];
  const qs = o.quantiles ?? CALIBRATION_QUANTILES;
  for (let k = qs.length; k >= 3; k--) {
    const knots = Array.from({ length: k }, (_, i) => quantile(sorted, qs[0] + ((qs[qs.length - 1] - qs[0]) * i) / (k - 1)));
    if (knots.some((t, i) => i > 0 && t - knots[i - 1] < 1e-6)) continue;
    const coef = raw.length >= 10 * k ? solveBasis(raw, y, knots, o.weights) : null;
    if (!coef) continue;
    const c: Calibration = { type: CALIBRATION_TYPE, knots, coef, range };
    if (isMonotone(c)) return c;
  }
  const lin = raw.length >= 3 && range[1] > range[0] ? solveBasis(raw, y, [], o.weights) : null;
  if (lin && lin[1] > 0) return { type: CALIBRATION_TYPE, knots: [], coef: lin, range };
  return { type: CALIBRATION_TYPE, knots: [], coef: [0, 1], range };
}

/**
 * Out-of-fold raw predictions of the ridge the scoring model fits (same standardisation,
 * column scales and α), for fitting the calibration without the training fit's optimism.
 */
export function outOfFoldRaw(
  X: ArrayLike<number>[], y: ArrayLike<number>,
  o: { alpha: number; folds?: number; seed?: number; weights?: ArrayLike<number>; columnScale?: ArrayLike<number> },
): Float64Array {
  const n = X.length;
  const k = Math.max(2, Math.min(o.folds ?? 5, n));
  const fold = foldsOf(n, k, o.seed ?? 1);
  const stats = foldStatistics(X, y, fold, k, o.weights);
  const out = new Float64Array(n);
  for (let f = 0; f < k; f++) {
    const sp = standardProblem(stats, f, o.columnScale);
    if (!(sp.sw > 0)) continue;
    const fit = solveStandard(sp, o.alpha);
    for (let i = 0; i < n; i++) {
      if (fold[i] !== f) continue;
      let s = fit.intercept;
      for (let j = 0; j < sp.p; j++) s += (fit.coef[j] * (X[i][j] - sp.mean[j])) / sp.scale[j];
      out[i] = s;
    }
  }
  return out;
}

/**
 * Rescales linear contributions (summing with r0 to raw) so they sum with g(r0) to g(raw):
 * every contribution keeps its sign and share, and the explanation stays exact.
 */
export function scaledContributions(c: Calibration, r0: number, raw: number, contributions: Float64Array): { base: number; score: number } {
  const base = calibrate(c, r0);
  const score = calibrate(c, raw);
  scaleContributions(c, r0, base, raw, score, contributions);
  return { base, score };
}

/**
 * The ratio (g(raw) − g(r0)) / (raw − r0) applied to every contribution (the slope of g at r0
 * when raw is within 1e-9 of it, where the ratio's rounding would blow up). base = g(r0) and
 * score = g(raw) are passed in so the batch scorer computes g(r0) once per model.
 */
export function scaleContributions(c: Calibration, r0: number, base: number, raw: number, score: number, contributions: Float64Array): void {
  const d = raw - r0;
  const h = 1e-6;
  const ratio = Math.abs(d) > 1e-9 ? (score - base) / d : (calibrate(c, r0 + h) - calibrate(c, r0 - h)) / (2 * h);
  for (let j = 0; j < contributions.length; j++) contributions[j] *= ratio;
}

/** g as SQL over a raw-score expression (for the compiled-SQL scorer), mirroring calibrate(). */
export function sqlCalibration(c: Calibration, rawExpr: string): string {
  const t = c.knots;
  const K = t.length;
  const terms = [`${c.coef[0]}`, `${c.coef[1]} * (${rawExpr})`];
  for (let j = 0; j + 2 < K; j++) {
    const p3 = (k: number) => `POWER(GREATEST((${rawExpr}) - ${k}, 0), 3)`;
    const a = t[K - 1] - t[K - 2];
    terms.push(`${c.coef[2 + j]} * ((${p3(t[j])} - ${p3(t[K - 2])} * ${(t[K - 1] - t[j]) / a} + ${p3(t[K - 1])} * ${(t[K - 2] - t[j]) / a}) / ${(t[K - 1] - t[0]) ** 2})`);
  }
  return `(${terms.join(' + ')})`;
}
