/**
 * Cross-validation of ridge penalties (model/ridge.ts) from per-fold sufficient statistics:
 * one pass over the rows, then every training fold's standardiser and Gram matrix follow by
 * subtraction, and each (α, column scale, fold) costs one p×p Cholesky on typed arrays.
 */
import { checkShapes, foldsOf } from './ridge.ts';


export interface CvResult {
  alpha: number;
  rmse: number;
  folds: number;
  alphas: number[];
  rmseByAlpha: number[];
}

export const DEFAULT_ALPHAS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000];

/**
 * Weighted sufficient statistics of (X, y) per fold, accumulated in one pass. Every training
 * fold's standardiser and Gram matrix follow from them by subtraction, so k-fold CV over many
 * penalties costs one pass over the data plus small p×p solves, instead of a Gram per fit.
 * Columns far from zero relative to their spread are shifted by their mean first (precision);
 * the rest are left as they are so sparse columns stay sparse.
 */
export interface FoldStats {
  k: number;
  p: number;
  n: number;
  fold: Int32Array;
  shift: Float64Array;
  sw: Float64Array;
  sy: Float64Array;
  syy: Float64Array;
  /** k × p: Σ w·(x − shift). */
  sx: Float64Array;
  /** k × p: Σ w·(x − shift)·y. */
  sxy: Float64Array;
  /** k × p × p, upper triangle: Σ w·(x − shift)(x − shift)ᵀ. */
  sxx: Float64Array;
  /** k × p: Σ w·(x − shift)², the scale of the cancellation error in a centred variance. */
  sq: Float64Array;
}

export function foldStatistics(X: ArrayLike<number>[], y: ArrayLike<number>, fold: Int32Array, k: number, weights?: ArrayLike<number>): FoldStats {
  const p = checkShapes(X, y, weights);
  const n = X.length;
  const mean = new Float64Array(p);
  const m2 = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const r = X[i];
    for (let j = 0; j < p; j++) mean[j] += r[j];
  }
  for (let j = 0; j < p; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    const r = X[i];
    for (let j = 0; j < p; j++) m2[j] += (r[j] - mean[j]) ** 2;
  }
  const shift = new Float64Array(p);
  for (let j = 0; j < p; j++) if (Math.abs(mean[j]) > Math.sqrt(m2[j] / n)) shift[j] = mean[j];
  const s: FoldStats = {
    k, p, n, fold, shift,
    sw: new Float64Array(k), sy: new Float64Array(k), syy: new Float64Array(k),
    sx: new Float64Array(k * p), sxy: new Float64Array(k * p), sxx: new Float64Array(k * p * p), sq: new Float64Array(k * p),
  };
  const c = new Float64Array(p);
  const nz = new Int32Array(p);
  for (let i = 0; i < n; i++) {
    const f = fold[i];
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    const r = X[i];
    const yi = y[i];
    s.sw[f] += w;
    s.sy[f] += w * yi;
    s.syy[f] += w * yi * yi;
    let m = 0;
    for (let j = 0; j < p; j++) {
      const v = r[j] - shift[j];
      c[j] = v;
      if (v !== 0) nz[m++] = j;
    }
    const off = f * p;
    const offxx = f * p * p;
    for (let a = 0; a < m; a++) {
      const j = nz[a];
      const wc = w * c[j];
      s.sx[off + j] += wc;
      s.sxy[off + j] += wc * yi;
      s.sq[off + j] += wc * c[j];
      const row = offxx + j * p;
      for (let b = a; b < m; b++) {
        const l = nz[b];
        s.sxx[row + l] += wc * c[l];
      }
    }
  }
  return s;
}

/** A centred, standardised least-squares problem built from fold statistics. */
export interface StandardProblem {
  p: number;
  sw: number;
  yMean: number;
  /** Means and scales in the original coordinates (the model's standardisation). */
  mean: Float64Array;
  scale: Float64Array;
  /** Standardised Gram ZᵀWZ (full, p × p) and ZᵀW(y − ȳ). */
  gram: Float64Array;
  xty: Float64Array;
}

/**
 * The standardised problem of every fold except `exclude` (null: all rows), with the column
 * scale rule of fitStandardizer (a constant column keeps scale 1 and drops out) and an extra
 * column scale s (penalty α / s²) applied on top.
 */
export function standardProblem(s: FoldStats, exclude: number | null, columnScale?: ArrayLike<number>): StandardProblem {
  const { p, k } = s;
  let sw = 0;
  let sy = 0;
  const sx = new Float64Array(p);
  const sxy = new Float64Array(p);
  const sq = new Float64Array(p);
  const sxx = new Float64Array(p * p);
  for (let f = 0; f < k; f++) {
    if (f === exclude) continue;
    sw += s.sw[f];
    sy += s.sy[f];
    const off = f * p;
    for (let j = 0; j < p; j++) {
      sx[j] += s.sx[off + j];
      sxy[j] += s.sxy[off + j];
      sq[j] += s.sq[off + j];
    }
    const offxx = f * p * p;
    for (let j = 0; j < p; j++) {
      const row = j * p;
      for (let l = j; l < p; l++) sxx[row + l] += s.sxx[offxx + row + l];
    }
  }
  const yMean = sy / sw;
  const mu = new Float64Array(p);
  for (let j = 0; j < p; j++) mu[j] = sx[j] / sw;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  const constant = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    mean[j] = mu[j] + s.shift[j];
    const v = Math.max(0, sxx[j * p + j] - sw * mu[j] * mu[j]);
    const sd = Math.sqrt(v / sw);
    // fitStandardizer's rule, plus: a variance within rounding of the raw second moment is zero.
    if (sd < 10 * Number.EPSILON * Math.max(1, Math.abs(mean[j])) || v <= 1e3 * Number.EPSILON * sq[j]) {
      scale[j] = 1;
      constant[j] = 1;
    } else scale[j] = sd;
    if (columnScale) scale[j] /= columnScale[j];
  }
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (constant[j]) continue;
    xty[j] = (sxy[j] - sw * mu[j] * yMean) / scale[j];
    const row = j * p;
    for (let l = j; l < p; l++) {
      if (constant[l]) continue;
      const g = (sxx[row + l] - sw * mu[j] * mu[l]) / (scale[j] * scale[l]);
      gram[row + l] = g;
      gram[l * p + j] = g;
    }
  }
  return { p, sw, yMean, mean, scale, gram, xty };
}

/**
 * Lower Cholesky factor (row-major) of s·A + D for symmetric A (p × p), D = αI (a number) or
 * diag(d) (an array); null when that is not positive definite.
 */
export function choleskyLower(A: Float64Array, p: number, add: number | ArrayLike<number>, s = 1): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const rj = j * p;
    let d = s * A[rj + j] + (typeof add === 'number' ? add : add[j]);
    for (let m = 0; m < j; m++) d -= L[rj + m] * L[rj + m];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[rj + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      const ri = i * p;
      let v = s * A[ri + j];
      for (let m = 0; m < j; m++) v -= L[ri + m] * L[rj + m];
      L[ri + j] = v / ljj;
    }
  }
  return L;
}

/**
 * Solves (A + αI)x = b for symmetric positive definite A (p × p, row-major) by Cholesky on
 * typed arrays; returns null when A + αI is not positive definite.
 */
export function choleskySolve(A: Float64Array, p: number, b: Float64Array, alpha = 0): Float64Array | null {
  const L = choleskyLower(A, p, alpha);
  if (!L) return null;
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let v = b[i];
    const ri = i * p;
    for (let m = 0; m < i; m++) v -= L[ri + m] * z[m];
    z[i] = v / L[ri + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let v = z[i];
    for (let m = i + 1; m < p; m++) v -= L[m * p + i] * x[m];
    x[i] = v / L[i * p + i];
  }
  return x;
}

/** Ridge on a standardised problem: coefficients on standardised columns and the intercept on raw ones. */
export function solveStandard(sp: StandardProblem, alpha: number): { coef: Float64Array; intercept: number } {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be a finite number ≥ 0, got ${alpha}`);
  const coef = choleskySolve(sp.gram, sp.p, sp.xty, alpha);
  if (!coef) throw new RangeError('XᵀX + αI is not positive definite: use a larger alpha');
  return { coef, intercept: sp.yMean };
}

export interface PenaltyCvResult {
  /** Index into the column-scale candidates of the best pair. */
  scaleIndex: number;
  alpha: number;
  rmse: number;
  folds: number;
  alphas: number[];
  /** RMSE per α for the best column scale. */
  rmseByAlpha: number[];
  /** RMSE per [scale candidate][α]. */
  rmseGrid: number[][];
  /** Out-of-fold raw predictions of the best pair (every row predicted by the fit without its fold). */
  oof: Float64Array;
}

/**
 * k-fold CV over α × column-scale candidates from fold statistics (the standardiser is refit on
 * each training fold, so no held-out statistics leak). Held-out predictions are computed on
 * the held-out rows themselves. A candidate is judged by `loss` of its out-of-fold
 * predictions when given (e.g. the RMSE of what is served after calibration and clipping),
 * else by their weighted RMSE.
 */
export function crossValidatePenalties(
  X: ArrayLike<number>[], y: ArrayLike<number>, s: FoldStats, alphas: number[], columnScales: (ArrayLike<number> | undefined)[], weights?: ArrayLike<number>,
  loss?: (oof: Float64Array) => number,
): PenaltyCvResult {
  const { k, p } = s;
  const testRows: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < s.n; i++) testRows[s.fold[i]].push(i);
  const oof = columnScales.map(() => alphas.map(() => new Float64Array(s.n)));
  const v = new Float64Array(p);
  for (let f = 0; f < k; f++) {
    const test = testRows[f];
    if (!test.length || test.length === s.n) continue;
    columnScales.forEach((cs, ci) => {
      const sp = standardProblem(s, f, cs);
      alphas.forEach((alpha, ai) => {
        const fit = solveStandard(sp, alpha);
        let c0 = fit.intercept;
        for (let j = 0; j < p; j++) {
          v[j] = fit.coef[j] / sp.scale[j];
          c0 -= v[j] * sp.mean[j];
        }
        const out = oof[ci][ai];
        for (const i of test) {
          const r = X[i];
          let yhat = c0;
          for (let j = 0; j < p; j++) yhat += v[j] * r[j];
          out[i] = yhat;
        }
      });
    });
  }
  let sw = 0;
  for (let i = 0; i < s.n; i++) sw += weights ? weights[i] : 1;
  const plain = (o: Float64Array) => {
    let e2 = 0;
    for (let i = 0; i < s.n; i++) e2 += (weights ? weights[i] : 1) * (o[i] - y[i]) ** 2;
    return Math.sqrt(e2 / sw);
  };
  const rmseGrid = oof.map((row) => row.map(loss ?? plain));
  let bi = 0;
  let ba = 0;
  rmseGrid.forEach((row, ci) => row.forEach((r, ai) => {
    if (r < rmseGrid[bi][ba]) {
      bi = ci;
      ba = ai;
    }
  }));
  return { scaleIndex: bi, alpha: alphas[ba], rmse: rmseGrid[bi][ba], folds: k, alphas: [...alphas], rmseByAlpha: rmseGrid[bi], rmseGrid, oof: oof[bi][ba] };
}

/**
 * k-fold CV of α on standardised features. Returns the α with the lowest weighted RMSE.
 * `columnScale` s < 1 on standardised values penalises that column 1/s² times harder.
 */
export function crossValidateAlpha(
  X: ArrayLike<number>[], y: ArrayLike<number>,
  o: { alphas?: number[]; folds?: number; seed?: number; weights?: ArrayLike<number>; columnScale?: ArrayLike<number> } = {},
): CvResult {
  checkShapes(X, y, o.weights);
  const alphas = o.alphas?.length ? o.alphas : DEFAULT_ALPHAS;
  const k = Math.max(2, Math.min(o.folds ?? 5, X.length));
  const stats = foldStatistics(X, y, foldsOf(X.length, k, o.seed ?? 1), k, o.weights);
  const r = crossValidatePenalties(X, y, stats, alphas, [o.columnScale], o.weights);
  return { alpha: r.alpha, rmse: r.rmse, folds: k, alphas: r.alphas, rmseByAlpha: r.rmseByAlpha };
}
