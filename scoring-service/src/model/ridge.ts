/**
 * Ridge regression as scikit-learn's `Ridge(fit_intercept=True)` computes it: centre X and
 * y by their (weighted) means, solve (XcᵀWXc + αI)β = XcᵀW yc by Cholesky (ml-matrix), and
 * set the unpenalised intercept to ȳ − x̄ᵀβ. Standardisation follows `StandardScaler`
 * (population standard deviation; constant columns keep scale 1). The strength α is chosen
 * by k-fold cross-validation on RMSE.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { mulberry32 } from '../stats/rng.ts';

export interface Standardizer {
  mean: Float64Array;
  scale: Float64Array;
}

export interface RidgeFit {
  coef: Float64Array;
  intercept: number;
}

/** The row count, column count and weights agree; returns the column count. */
export function checkShapes(X: ArrayLike<number>[], y: ArrayLike<number>, weights?: ArrayLike<number>): number {
  if (!X.length) throw new RangeError('X must have at least one row');
  if (X.length !== y.length) throw new RangeError(`X has ${X.length} rows but y has ${y.length} values`);
  if (weights && weights.length !== y.length) throw new RangeError(`weights has ${weights.length} values but y has ${y.length}`);
  const p = X[0].length;
  for (let i = 0; i < X.length; i++) if (X[i].length !== p) throw new RangeError(`row ${i} of X has ${X[i].length} columns, expected ${p}`);
  return p;
}

/** Weighted column means and population standard deviations (StandardScaler). */
export function fitStandardizer(X: ArrayLike<number>[], weights?: ArrayLike<number>): Standardizer {
  const p = X[0]?.length ?? 0;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  let sw = 0;
  for (let i = 0; i < X.length; i++) {
    const w = weights ? weights[i] : 1;
    sw += w;
    const r = X[i];
    for (let j = 0; j < p; j++) mean[j] += w * r[j];
  }
  for (let j = 0; j < p; j++) mean[j] /= sw;
  for (let i = 0; i < X.length; i++) {
    const w = weights ? weights[i] : 1;
    const r = X[i];
    for (let j = 0; j < p; j++) {
      const d = r[j] - mean[j];
      scale[j] += w * d * d;
    }
  }
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt(scale[j] / sw);
    // Same rule as sklearn: a (near-)constant column is left unscaled.
    scale[j] = sd < 10 * Number.EPSILON * Math.max(1, Math.abs(mean[j])) ? 1 : sd;
  }
  return { mean, scale };
}

export function standardize(X: ArrayLike<number>[], s: Standardizer): Float64Array[] {
  return X.map((r) => {
    const out = new Float64Array(r.length);
    for (let j = 0; j < r.length; j++) out[j] = (r[j] - s.mean[j]) / s.scale[j];
    return out;
  });
}

/** Sufficient statistics of a centred weighted least-squares problem, reusable across α. */
export interface Gram {
  p: number;
  xtx: Float64Array;
  xty: Float64Array;
  xMean: Float64Array;
  yMean: number;
}

export function gram(X: ArrayLike<number>[], y: ArrayLike<number>, weights?: ArrayLike<number>): Gram {
  const p = checkShapes(X, y, weights);
  const n = X.length;
  const xMean = new Float64Array(p);
  let yMean = 0;
  let sw = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    sw += w;
    yMean += w * y[i];
    for (let j = 0; j < p; j++) xMean[j] += w * X[i][j];
  }
  yMean /= sw;
  for (let j = 0; j < p; j++) xMean[j] /= sw;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const c = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    const r = X[i];
    for (let j = 0; j < p; j++) c[j] = r[j] - xMean[j];
    const yc = y[i] - yMean;
    for (let j = 0; j < p; j++) {
      const wc = w * c[j];
      if (wc === 0) continue;
      xty[j] += wc * yc;
      const row = j * p;
      for (let k = j; k < p; k++) xtx[row + k] += wc * c[k];
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) xtx[j * p + k] = xtx[k * p + j];
  return { p, xtx, xty, xMean, yMean };
}

export function solveGram(g: Gram, alpha: number): RidgeFit {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be a finite number ≥ 0, got ${alpha}`);
  const { p } = g;
  const A = new Matrix(p, p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) A.set(j, k, g.xtx[j * p + k] + (j === k ? alpha : 0));
  const chol = new CholeskyDecomposition(A);
  let beta: Matrix;
  if (chol.isPositiveDefinite()) beta = chol.solve(Matrix.columnVector(Array.from(g.xty)));
  else throw new RangeError('XᵀX + αI is not positive definite: use a larger alpha');
  const coef = Float64Array.from(beta.getColumn(0));
  let intercept = g.yMean;
  for (let j = 0; j < p; j++) intercept -= g.xMean[j] * coef[j];
  return { coef, intercept };
}

/** sklearn.linear_model.Ridge(alpha, fit_intercept=True).fit(X, y, sample_weight). */
export function ridgeFit(X: ArrayLike<number>[], y: ArrayLike<number>, alpha: number, weights?: ArrayLike<number>): RidgeFit {
  return solveGram(gram(X, y, weights), alpha);
}

export function ridgePredict(fit: RidgeFit, x: ArrayLike<number>): number {
  let s = fit.intercept;
  for (let j = 0; j < x.length; j++) s += fit.coef[j] * x[j];
  return s;
}

/** Deterministic fold assignment: a seeded shuffle (mulberry32) dealt round-robin. */
export function foldsOf(n: number, k: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const fold = new Int32Array(n);
  order.forEach((row, pos) => (fold[row] = pos % k));
  return fold;
}
