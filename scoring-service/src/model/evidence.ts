/**
 * Ridge penalties by evidence maximisation (type-II maximum likelihood, MacKay 1992), one
 * prior precision per block of columns: the Bayesian linear model y = Zβ + ε with
 * ε ~ N(0, 1/τ), β_j ~ N(0, 1/λ_b(j)) and flat-ish Gamma(a, b) hyperpriors, fitted by
 * MacKay's fixed point
 *   S = (τ ZᵀZ + Λ)⁻¹,  m = τ S Zᵀy,  γ_b = Σ_{j∈b} (1 − λ_b S_jj),
 *   λ_b = (γ_b + 2a) / (Σ_{j∈b} m_j² + 2b),  τ = (n − Σ γ + 2a) / (‖y − Zm‖² + 2b).
 * With one block this is scikit-learn's BayesianRidge (same updates and hyperpriors; the
 * tests compare the two). With blocks = the quantities a featurizer derives its columns
 * from (a count, its log, its thresholds), each quantity gets the shrinkage its evidence
 * supports: few labels no longer force one strong penalty on every column, whose shrinkage was
 * most of the demo model's error at a few hundred annotations (bench/active-learning.ts: RMSE at
 * 500 random-order labels 0.324 → 0.277; bench/quality.ts at 3k–10k: slightly better too).
 *
 * Works on a centred, standardised problem (ridge-cv.ts StandardProblem): the Gram matrix
 * and Zᵀy, plus the centred Σ w (y − ȳ)². Pure; O(p³) per iteration, independent of rows.
 */
import { choleskyLower, type StandardProblem } from './ridge-cv.ts';

export interface EvidenceOptions {
  /** Block index of every column (0 … blocks − 1). */
  blockOf: ArrayLike<number>;
  /** Gamma hyperprior shape/rate for τ and every λ (scikit-learn's defaults: 1e-6). */
  a?: number;
  b?: number;
  maxIter?: number;
  /**
   * Stop when no coefficient (standardised units) moves by more than tol and τ by more than a
   * factor e^tol in one iteration. Precisions of blocks the evidence prunes grow without bound
   * while their coefficients are already 0, so the precisions themselves are no criterion.
   */
  tol?: number;
  /** Precisions start here (e.g. a previous fit's); default 1 / Var(y) for τ and 1 for λ. */
  init?: { lambda: ArrayLike<number>; tau: number };
}

export interface EvidenceFit {
  /** Prior precision per block (λ_b). */
  lambda: Float64Array;
  /** Noise precision τ. */
  tau: number;
  /** Posterior mean on the standardised columns. */
  coef: Float64Array;
  /** Ridge penalty per column in least-squares units: λ_b(j) / τ. */
  penalty: Float64Array;
  iterations: number;
  converged: boolean;
}

/** diag((LLᵀ)⁻¹) and (LLᵀ)⁻¹ b, through W = L⁻¹ (stored transposed so the inner loops run along rows). */
function inverseDiagonalAndSolve(L: Float64Array, p: number, b: Float64Array): { diag: Float64Array; x: Float64Array } {
  // Wt[j·p + i] = W_ij, by forward substitution: W_ij = −(Σ_{j≤m<i} L_im W_mj) / L_ii, W_ii = 1 / L_ii.
  const Wt = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    const ri = i * p;
    const inv = 1 / L[ri + i];
    Wt[i * p + i] = inv;
    for (let j = 0; j < i; j++) {
      const cj = j * p;
      let v = 0;
      for (let m = j; m < i; m++) v += L[ri + m] * Wt[cj + m];
      Wt[cj + i] = -v * inv;
    }
  }
  // (LLᵀ)⁻¹ = WᵀW: diag_j = Σ_i W_ij² (column j of W); x = Wᵀ(W b).
  const diag = new Float64Array(p);
  const wb = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const cj = j * p;
    let d = 0;
    const bj = b[j];
    for (let i = j; i < p; i++) {
      const w = Wt[cj + i];
      d += w * w;
      wb[i] += w * bj;
    }
    diag[j] = d;
  }
  const x = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const cj = j * p;
    let v = 0;
    for (let i = j; i < p; i++) v += Wt[cj + i] * wb[i];
    x[j] = v;
  }
  return { diag, x };
}

/**
 * Evidence-maximising precisions for a standardised problem. `yss` is Σ w (y − ȳ)²; `n` the
 * number of rows (Σ w for weighted rows). Columns with zero variance (all-zero Gram row) take
 * no part and keep coefficient 0.
 */
export function fitEvidence(sp: Pick<StandardProblem, 'p' | 'gram' | 'xty'>, yss: number, n: number, o: EvidenceOptions): EvidenceFit {
  const { p, gram, xty } = sp;
  const { blockOf } = o;
  if (blockOf.length !== p) throw new RangeError(`blockOf has ${blockOf.length} entries, the problem has ${p} columns`);
  let blocks = 0;
  for (let j = 0; j < p; j++) {
    const v = blockOf[j];
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`blockOf[${j}] must be an integer ≥ 0, got ${v}`);
    blocks = Math.max(blocks, v + 1);
  }
  if (!(n > 0) || !(yss >= 0)) throw new RangeError(`need rows (n = ${n}) and a finite Σ(y − ȳ)² (${yss})`);
  const a = o.a ?? 1e-6;
  const b = o.b ?? 1e-6;
  const maxIter = o.maxIter ?? 300;
  const tol = o.tol ?? 1e-4;
  const lambda = Float64Array.from({ length: blocks }, (_, k) => o.init?.lambda[k] ?? 1);
  let tau = o.init?.tau ?? 1 / Math.max(yss / n, 1e-12);
  const active = Uint8Array.from({ length: p }, (_, j) => (gram[j * p + j] > 0 ? 1 : 0));
  const d = new Float64Array(p);
  const coef = new Float64Array(p);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIter && !converged; iterations++) {
    // Inactive columns get a unit diagonal so the factorisation stays defined; their Zᵀy is 0.
    for (let j = 0; j < p; j++) d[j] = active[j] ? lambda[blockOf[j]] : 1;
    const L = choleskyLower(gram, p, d, tau);
    if (!L) throw new RangeError('τ ZᵀZ + Λ is not positive definite: the evidence iteration diverged');
    const { diag, x } = inverseDiagonalAndSolve(L, p, xty);
    let step = 0;
    for (let j = 0; j < p; j++) {
      const v = x[j] * tau;
      step = Math.max(step, Math.abs(v - coef[j]));
      coef[j] = v;
    }
    const gamma = new Float64Array(blocks);
    const m2 = new Float64Array(blocks);
    for (let j = 0; j < p; j++) {
      if (!active[j]) continue;
      const k = blockOf[j];
      gamma[k] += 1 - lambda[k] * diag[j];
      m2[k] += coef[j] * coef[j];
    }
    // ‖y − Zm‖² = yss − 2 mᵀZᵀy + mᵀ ZᵀZ m.
    let fit = 0;
    let quad = 0;
    for (let j = 0; j < p; j++) {
      fit += coef[j] * xty[j];
      const row = j * p;
      let g = 0;
      for (let l = 0; l < p; l++) g += gram[row + l] * coef[l];
      quad += coef[j] * g;
    }
    const rss = Math.max(yss - 2 * fit + quad, 0);
    let gsum = 0;
    for (const g of gamma) gsum += g;
    for (let k = 0; k < blocks; k++) lambda[k] = Math.min(1e10, Math.max(1e-10, (gamma[k] + 2 * a) / (m2[k] + 2 * b)));
    const nextTau = Math.min(1e10, Math.max(1e-10, (n - gsum + 2 * a) / (rss + 2 * b)));
    converged = iterations > 0 && step < tol && Math.abs(Math.log(nextTau / tau)) < tol;
    tau = nextTau;
  }
  const penalty = Float64Array.from({ length: p }, (_, j) => lambda[blockOf[j]] / tau);
  return { lambda, tau, coef, penalty, iterations, converged };
}

/**
 * Penalty blocks of a feature spec: the columns a featurizer derives from one quantity (a
 * count, its log, its thresholds and spline pieces, its missing flag) share a prior. A
 * column's block is the first word of its name ('text_chars_over_400' → 'text',
 * 'login_days_log' → 'login'; a leading 'has_' is dropped, so 'has_portfolio' joins
 * 'portfolio_log'); every occupation × skill-family interaction column is one block.
 */
export function penaltyBlocks(features: readonly { name: string; group: string }[]): { blockOf: Int32Array; names: string[] } {
  const names: string[] = [];
  const blockOf = Int32Array.from(features, (f) => {
    const key = f.group === 'interaction' ? 'interaction' : f.name.replace(/^has_/, '').split('_')[0];
    let k = names.indexOf(key);
    if (k < 0) k = names.push(key) - 1;
    return k;
  });
  return { blockOf, names };
}
