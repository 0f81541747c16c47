/**
 * Batch selection by expected reduction of the pool's integrated predictive variance
 * (the V-optimal / integrated-variance design criterion). The predictive covariance over
 * the pool is given as a factor, Cov(a, b) = σ² · v_a · v_b, either estimated from a
 * bootstrap ensemble (selectByVarianceReduction) or exact for the ridge model
 * (ridgePosteriorFactor). Split from acquisition.ts, which re-exports these.
 */

/** Rows v_p of a covariance factor (n × K, row-major): Cov(a, b) = scale · v_a · v_b. */
export interface CovarianceFactor {
  V: Float64Array;
  K: number;
  n: number;
  /** Σ_p v_p v_pᵀ (K × K) over the whole pool, cached by gramOf (a pool view is ranked many times). */
  G?: Float64Array;
  /** G v_p for every pool row (n × K), cached by gramOf: a request then costs O(candidates · K) per pick. */
  GV?: Float64Array;
}

/**
 * Σ_p v_p v_pᵀ over the pool (the integration of the variance reduction) and G v_p for every
 * row; O(n K²) once, cached on the factor (the queue computes it when it rebuilds, not per request).
 */
export function gramOf(f: CovarianceFactor): { G: Float64Array; GV: Float64Array } {
  const steps = gramSteps(f);
  while (!steps.next().done);
  return { G: f.G!, GV: f.GV! };
}

/** gramOf in slices of rows, yielding to the event loop in between (the scoring API shares the process). */
export async function gramOfAsync(f: CovarianceFactor, pause: () => Promise<void>): Promise<void> {
  for (const _ of gramSteps(f)) await pause();
}

function* gramSteps(f: CovarianceFactor, rowsPerStep = 1000): Generator<void> {
  if (f.G && f.GV) return;
  const { V, K, n } = f;
  const G = new Float64Array(K * K);
  for (let p = 0; p < n; p++) {
    for (let a = 0; a < K; a++) {
      const va = V[p * K + a];
      if (va === 0) continue;
      const row = a * K;
      const off = p * K;
      for (let b = a; b < K; b++) G[row + b] += va * V[off + b];
    }
    if (p % rowsPerStep === rowsPerStep - 1) yield;
  }
  for (let a = 0; a < K; a++) for (let b = 0; b < a; b++) G[a * K + b] = G[b * K + a];
  const GV = new Float64Array(n * K);
  for (let p = 0; p < n; p++) {
    const off = p * K;
    for (let a = 0; a < K; a++) {
      const row = a * K;
      let t = 0;
      for (let b = 0; b < K; b++) t += G[row + b] * V[off + b];
      GV[off + a] = t;
    }
    if (p % rowsPerStep === rowsPerStep - 1) yield;
  }
  f.G = G;
  f.GV = GV;
}

/** The bootstrap ensemble's predictive covariance as a factor: centred member predictions / sqrt(K − 1). */
export function ensembleFactor(predictions: readonly Float64Array[]): CovarianceFactor {
  const K = predictions.length;
  const n = K ? predictions[0].length : 0;
  const V = new Float64Array(n * K);
  if (K < 2) return { V, K, n };
  for (let p = 0; p < n; p++) {
    let m = 0;
    for (let j = 0; j < K; j++) m += predictions[j][p] / K;
    for (let j = 0; j < K; j++) V[p * K + j] = (predictions[j][p] - m) / Math.sqrt(K - 1);
  }
  return { V, K, n };
}

/**
 * The factor of Σ_i s_i · F_i F_iᵀ (a weighted sum of covariances over the same pool): the
 * factors side by side, each scaled by sqrt(s_i).
 */
export function mixFactors(parts: readonly { factor: CovarianceFactor; scale: number }[]): CovarianceFactor {
  const n = parts[0]?.factor.n ?? 0;
  if (parts.some((p) => p.factor.n !== n)) throw new RangeError('covariance factors over different pools');
  const K = parts.reduce((a, p) => a + p.factor.K, 0);
  const V = new Float64Array(n * K);
  let off = 0;
  for (const { factor: f, scale } of parts) {
    const r = Math.sqrt(Math.max(scale, 0));
    for (let p = 0; p < n; p++) for (let a = 0; a < f.K; a++) V[p * K + off + a] = f.V[p * f.K + a] * r;
    off += f.K;
  }
  return { V, K, n };
}

/**
 * Greedy batch by expected reduction of the pool's integrated predictive variance, with the
 * bootstrap ensemble's predictive covariance (the members' centred predictions span it):
 * labelling x removes Σ_p Cov(x,p)² / (σ² + Var x) of variance summed over the pool, and
 * after each pick the covariance is updated as a Bayesian linear model would be, so the
 * next pick goes where the remaining uncertainty is (batch diversity comes for free).
 * Uncertain profiles that resemble many others win; uncertain outliers do not.
 *
 * `predictions` is members × pool (the pool is the integration set); `candidates` index
 * into it; `boost(i)` multiplies the gain (occupation coverage, changed profiles); `pending`
 * are pool points whose labels are coming (conditioned on first, never picked), so
 * successive requests between two ensemble refits do not crowd the same region.
 */
export function selectByVarianceReduction(
  predictions: readonly Float64Array[],
  candidates: readonly number[],
  k: number,
  noiseVar: number,
  boost: (i: number) => number = () => 1,
  pending: readonly number[] = [],
): { index: number; gain: number }[] {
  if (predictions.length < 2 || !predictions[0].length) return [];
  return selectByFactor(ensembleFactor(predictions), candidates, k, noiseVar, boost, pending);
}

/**
 * The greedy variance-reduction batch for covariance σ²·F·Fᵀ is that of F·Fᵀ with noise
 * noiseVar/σ²; here Cov(a, b) = v_a · v_b and `noiseVar` is the label noise on that scale.
 * Conditioning on a label at b turns the metric M (initially I) into M − w_b w_bᵀ / d_b with
 * w_b = M v_b; every candidate's w_x = M v_x and g_x = G w_x (G = Σ_p v_p v_pᵀ) are updated
 * in O(K) per pick, so a batch costs O(n K (k + K)) rather than O(n K² k).
 */
export function selectByFactor(
  f: CovarianceFactor,
  candidates: readonly number[],
  k: number,
  noiseVar: number,
  boost: (i: number) => number = () => 1,
  pending: readonly number[] = [],
): { index: number; gain: number }[] {
  const { V, K, n } = f;
  if (!n || !K) return [];
  const { GV } = gramOf(f);
  // Tracked points: the candidates and the pending ones (their w is needed to condition on them).
  const tracked = [...new Set([...candidates, ...pending])];
  const slot = new Map(tracked.map((x, s) => [x, s]));
  const W = new Float64Array(tracked.length * K);
  const GW = new Float64Array(tracked.length * K);
  tracked.forEach((x, s) => {
    W.set(V.subarray(x * K, x * K + K), s * K);
    GW.set(GV.subarray(x * K, x * K + K), s * K);
  });
  const s2 = Math.max(noiseVar, 1e-6);
  const wb = new Float64Array(K);
  const gb = new Float64Array(K);
  /** Condition on a label at tracked slot b: w_x −= w_b (w_b·v_x)/d, g_x −= g_b (w_b·v_x)/d. */
  const condition = (b: number) => {
    const xb = tracked[b];
    let cbb = 0;
    for (let a = 0; a < K; a++) cbb += V[xb * K + a] * W[b * K + a];
    const d = s2 + Math.max(cbb, 0);
    wb.set(W.subarray(b * K, b * K + K));
    gb.set(GW.subarray(b * K, b * K + K));
    for (let s = 0; s < tracked.length; s++) {
      const x = tracked[s];
      let c = 0;
      for (let a = 0; a < K; a++) c += wb[a] * V[x * K + a];
      if (c === 0) continue;
      const r = c / d;
      for (let a = 0; a < K; a++) {
        W[s * K + a] -= wb[a] * r;
        GW[s * K + a] -= gb[a] * r;
      }
    }
  };
  const taken = new Set<number>(pending);
  // Labels on the way (leased, or annotated since the ensemble was fit) count as known.
  for (const x of pending) condition(slot.get(x)!);
  const out: { index: number; gain: number }[] = [];
  for (let step = 0; step < k; step++) {
    let best = -1;
    let bestGain = -Infinity;
    for (const x of candidates) {
      if (taken.has(x)) continue;
      const s = slot.get(x)!;
      let cxx = 0;
      let q = 0;
      for (let a = 0; a < K; a++) {
        cxx += V[x * K + a] * W[s * K + a];
        q += W[s * K + a] * GW[s * K + a];
      }
      const gain = (Math.max(q, 0) / (s2 + Math.max(cxx, 0))) * boost(x);
      if (gain > bestGain) {
        bestGain = gain;
        best = x;
      }
    }
    if (best < 0) break;
    taken.add(best);
    out.push({ index: best, gain: bestGain });
    if (step + 1 < k) condition(slot.get(best)!);
  }
  return out;
}

/**
 * The exact predictive covariance of a ridge fit over the pool, as a factor: with the
 * model's standardised training rows Z (centred) and penalty α, Cov(f(a), f(b)) =
 * σ² (z̃_aᵀ (Z̃ᵀZ̃ + αI)⁻¹ z̃_b + 1/n) — the Bayesian-ridge posterior, the intercept's share
 * as the last column. Rows are L⁻¹ z̃ (Z̃ᵀZ̃ + αI = L Lᵀ), so σ² does not enter the factor.
 */
export function ridgePosteriorFactor(Ztrain: readonly Float64Array[], alpha: number, Zpool: readonly Float64Array[]): CovarianceFactor {
  const n = Ztrain.length;
  const p = n ? Ztrain[0].length : Zpool[0]?.length ?? 0;
  const mean = new Float64Array(p);
  for (const z of Ztrain) for (let j = 0; j < p; j++) mean[j] += z[j] / n;
  const A = new Float64Array(p * p);
  const c = new Float64Array(p);
  for (const z of Ztrain) {
    for (let j = 0; j < p; j++) c[j] = z[j] - mean[j];
    for (let i = 0; i < p; i++) {
      const ci = c[i];
      if (ci === 0) continue;
      for (let j = 0; j <= i; j++) A[i * p + j] += ci * c[j];
    }
  }
  for (let i = 0; i < p; i++) A[i * p + i] += Math.max(alpha, 1e-9);
  // Cholesky, lower triangle in place.
  for (let j = 0; j < p; j++) {
    let s = A[j * p + j];
    for (let k = 0; k < j; k++) s -= A[j * p + k] ** 2;
    const d = Math.sqrt(Math.max(s, 1e-12));
    A[j * p + j] = d;
    for (let i = j + 1; i < p; i++) {
      let t = A[i * p + j];
      for (let k = 0; k < j; k++) t -= A[i * p + k] * A[j * p + k];
      A[i * p + j] = t / d;
    }
  }
  const K = p + 1;
  const N = Zpool.length;
  const V = new Float64Array(N * K);
  const icpt = n ? 1 / Math.sqrt(n) : 1;
  for (let r = 0; r < N; r++) {
    const z = Zpool[r];
    const o = r * K;
    for (let i = 0; i < p; i++) {
      let t = z[i] - mean[i];
      for (let k = 0; k < i; k++) t -= A[i * p + k] * V[o + k];
      V[o + i] = t / A[i * p + i];
    }
    V[o + p] = icpt;
  }
  return { V, K, n: N };
}
