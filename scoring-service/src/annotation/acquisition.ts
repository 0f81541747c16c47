/**
 * Active-learning acquisition: which unlabelled profiles to annotate next. Pure functions
 * over feature vectors, used by the service queue and by bench/active-learning.ts alike.
 *
 * The recipe is uncertainty × representativeness with batch diversity:
 * - uncertainty: spread of a bootstrap ensemble's predictions (query by committee);
 * - representativeness: kernel density among the candidates, so outliers with huge
 *   ensemble spread but no neighbours do not crowd out typical profiles
 *   (Settles & Craven 2008, "information density");
 * - occupation coverage: occupations with few annotations get a boost, because which
 *   skills matter depends on the occupation;
 * - diversity: the batch is the candidate nearest each centroid of a priority-weighted
 *   k-means over the top candidates (Zhdanov 2019, "diverse mini-batch active learning"),
 *   so one call never returns ten near-identical profiles.
 */
import { mulberry32 } from '../demo/rng.ts';

export type WhyCode = 'uncertain' | 'rare_occupation' | 'changed' | 'representative' | 'double';

export interface Why {
  code: WhyCode;
  label_ja: string;
  label_en: string;
}

export const WHY: Record<WhyCode, Why> = {
  uncertain: { code: 'uncertain', label_ja: 'モデルの予測が不確かなプロフィールです', label_en: 'The model is uncertain about this profile' },
  rare_occupation: { code: 'rare_occupation', label_ja: 'アノテーションの少ない職種です', label_en: 'Few annotations exist for this occupation' },
  changed: { code: 'changed', label_ja: '前回の採点後にプロフィールが更新されました', label_en: 'The profile changed since it was last scored' },
  representative: { code: 'representative', label_ja: '多くのプロフィールに近い代表的なプロフィールです', label_en: 'A typical profile, representative of many others' },
  double: { code: 'double', label_ja: '評価の一致度を測るため、他の方も採点するプロフィールです', label_en: 'Also scored by someone else, to measure agreement' },
};

export interface Candidate {
  id: string;
  occupation: string;
  /** Annotated before, and the profile changed since its last annotation. */
  changed: boolean;
}

export interface AcquisitionOptions {
  /** Exponent of the density term (0 = pure uncertainty). */
  densityWeight?: number;
  /** Boost of an occupation with no annotations: factor 1 + boost / (1 + n). */
  occupationBoost?: number;
  /** Multiplier for profiles that changed since their last annotation. */
  changedBoost?: number;
  /** Candidates kept for the diversity step, as a multiple of the batch size. */
  prefilter?: number;
  seed?: number;
}

const DEFAULTS: Required<AcquisitionOptions> = { densityWeight: 1, occupationBoost: 1, changedBoost: 2, prefilter: 8, seed: 1 };

export interface Scored {
  index: number;
  priority: number;
  why: WhyCode;
  uncertainty: number | null;
  density: number;
  occupationAnnotations: number;
}

/** Column-wise z-scores with the candidates' own mean and sd; constant columns become 0. */
export function standardize(X: readonly Float64Array[]): Float64Array[] {
  const n = X.length;
  if (!n) return [];
  const p = X[0].length;
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  for (const x of X) for (let j = 0; j < p; j++) mean[j] += x[j] / n;
  for (const x of X) for (let j = 0; j < p; j++) sd[j] += (x[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]);
  return X.map((x) => {
    const z = new Float64Array(p);
    for (let j = 0; j < p; j++) z[j] = sd[j] > 1e-12 ? (x[j] - mean[j]) / sd[j] : 0;
    return z;
  });
}

function sqDist(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j] - b[j];
    s += d * d;
  }
  return s;
}

/**
 * Gaussian-kernel density of each point against a random reference sample (at most
 * `refs` points, so the cost is O(n · refs · p)), bandwidth² = median squared distance.
 * Scaled so the densest point is 1.
 */
export function density(Z: readonly Float64Array[], refs = 400, seed = 1): Float64Array {
  const n = Z.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const rng = mulberry32(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < Math.min(refs, n); i++) {
    const j = i + Math.floor(rng() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const ref = idx.slice(0, Math.min(refs, n)).map((i) => Z[i]);
  const d2 = Z.map((z) => ref.map((r) => sqDist(z, r)));
  const sample: number[] = [];
  for (let i = 0; i < Math.min(n, 200); i++) for (const v of d2[i]) if (v > 0) sample.push(v);
  sample.sort((a, b) => a - b);
  const h2 = sample.length ? sample[Math.floor(sample.length / 2)] : 1;
  let max = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const v of d2[i]) s += Math.exp(-v / h2);
    out[i] = s / ref.length;
    if (out[i] > max) max = out[i];
  }
  if (max > 0) for (let i = 0; i < n; i++) out[i] /= max;
  return out;
}

/** Sample standard deviation of each column of member predictions (members × candidates). */
export function ensembleSpread(predictions: readonly Float64Array[]): Float64Array {
  const k = predictions.length;
  const n = k ? predictions[0].length : 0;
  const out = new Float64Array(n);
  if (k < 2) return out;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (const p of predictions) m += p[i] / k;
    let v = 0;
    for (const p of predictions) v += (p[i] - m) ** 2;
    out[i] = Math.sqrt(v / (k - 1));
  }
  return out;
}

export function median(xs: ArrayLike<number>): number {
  const s = Array.from(xs).sort((a, b) => a - b);
  if (!s.length) return 0;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Priority of every candidate and the reason that dominates it. `uncertainty` is null
 * when no ensemble exists yet (cold start): then representativeness and coverage decide.
 */
export function prioritize(
  candidates: readonly Candidate[],
  dens: Float64Array,
  uncertainty: Float64Array | null,
  occupationCounts: ReadonlyMap<string, number>,
  options: AcquisitionOptions & { uncertaintyReference?: number } = {},
): Scored[] {
  const o = { ...DEFAULTS, ...options };
  const occFactor = (occ: string) => 1 + o.occupationBoost / (1 + (occupationCounts.get(occ) ?? 0));
  // "Under-represented": fewer than half the mean annotations of the occupations present.
  const present = new Set(candidates.map((c) => c.occupation));
  for (const k of occupationCounts.keys()) present.add(k);
  let total = 0;
  for (const k of present) total += occupationCounts.get(k) ?? 0;
  const rareBelow = present.size ? (0.5 * total) / present.size : 0;
  const uRef = options.uncertaintyReference ?? (uncertainty ? median(uncertainty) : 0);
  return candidates.map((c, i) => {
    const u = uncertainty ? uncertainty[i] : 1;
    const d = Math.pow(Math.max(dens[i], 1e-6), o.densityWeight);
    const n = occupationCounts.get(c.occupation) ?? 0;
    const priority = (u + 1e-9) * d * occFactor(c.occupation) * (c.changed ? o.changedBoost : 1);
    // The reason names what set this candidate apart, in order of how actionable it is.
    const why: WhyCode = c.changed ? 'changed' : n < rareBelow ? 'rare_occupation' : uncertainty && u >= uRef ? 'uncertain' : 'representative';
    return { index: i, priority, why, uncertainty: uncertainty ? u : null, density: dens[i], occupationAnnotations: n };
  });
}

/**
 * A diverse batch of `k`: priority-weighted k-means (k-means++ start, a few Lloyd steps)
 * over the top `prefilter · k` candidates; from each cluster the member with the highest
 * priority × closeness to the centroid. Returns indices into `scored`, best first.
 */
export function selectBatch(scored: readonly Scored[], Z: readonly Float64Array[], k: number, options: AcquisitionOptions = {}): Scored[] {
  const o = { ...DEFAULTS, ...options };
  const top = [...scored].sort((a, b) => b.priority - a.priority || a.index - b.index).slice(0, Math.max(k, Math.ceil(k * o.prefilter)));
  if (top.length <= k) return top;
  const rng = mulberry32(o.seed);
  const pts = top.map((s) => Z[s.index]);
  const w = top.map((s) => s.priority);
  const p = pts[0].length;
  // k-means++ seeding, weighted by priority.
  const centers: Float64Array[] = [Float64Array.from(pts[0])];
  const near = pts.map((x) => sqDist(x, centers[0]));
  while (centers.length < k) {
    let total = 0;
    for (let i = 0; i < pts.length; i++) total += near[i] * w[i];
    let r = rng() * total;
    let pick = pts.length - 1;
    for (let i = 0; i < pts.length; i++) {
      r -= near[i] * w[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    centers.push(Float64Array.from(pts[pick]));
    for (let i = 0; i < pts.length; i++) near[i] = Math.min(near[i], sqDist(pts[i], centers[centers.length - 1]));
  }
  const assign = new Int32Array(pts.length);
  for (let iter = 0; iter < 8; iter++) {
    for (let i = 0; i < pts.length; i++) {
      let best = 0;
      let bd = Infinity;
      for (let c = 0; c < k; c++) {
        const d = sqDist(pts[i], centers[c]);
        if (d < bd) {
          bd = d;
          best = c;
        }
      }
      assign[i] = best;
    }
    const sums = centers.map(() => new Float64Array(p));
    const wsum = new Float64Array(k);
    for (let i = 0; i < pts.length; i++) {
      const c = assign[i];
      wsum[c] += w[i];
      for (let j = 0; j < p; j++) sums[c][j] += w[i] * pts[i][j];
    }
    for (let c = 0; c < k; c++) if (wsum[c] > 0) for (let j = 0; j < p; j++) centers[c][j] = sums[c][j] / wsum[c];
  }
  const chosen: Scored[] = [];
  const taken = new Set<number>();
  for (let c = 0; c < k; c++) {
    let best = -1;
    let bd = Infinity;
    for (let i = 0; i < pts.length; i++) {
      if (assign[i] !== c || taken.has(i)) continue;
      const d = sqDist(pts[i], centers[c]);
      if (d < bd) {
        bd = d;
        best = i;
      }
    }
    if (best >= 0) {
      taken.add(best);
      chosen.push(top[best]);
    }
  }
  // Empty clusters: fill with the best remaining by priority.
  for (let i = 0; chosen.length < k && i < top.length; i++) if (!taken.has(i)) {
    taken.add(i);
    chosen.push(top[i]);
  }
  return chosen.sort((a, b) => b.priority - a.priority);
}

/**
 * Greedy batch by expected reduction of the pool's integrated predictive variance, with the
 * bootstrap ensemble's predictive covariance (the members' centred predictions span it):
 * labelling x removes Σ_p Cov(x,p)² / (σ² + Var x) of variance summed over the pool, and
 * after each pick the covariance is updated as a Bayesian linear model would be, so the
 * next pick goes where the remaining uncertainty is (batch diversity comes for free).
 * Uncertain profiles that resemble many others win; uncertain outliers do not (the
 * integrated-variance / V-optimal design criterion, estimated from the ensemble).
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
  const K = predictions.length;
  const n = K ? predictions[0].length : 0;
  if (K < 2 || !n) return [];
  // v_p: centred member predictions / sqrt(K − 1), so Cov(a, b) = v_a · v_b.
  const V = new Float64Array(n * K);
  for (let p = 0; p < n; p++) {
    let m = 0;
    for (let j = 0; j < K; j++) m += predictions[j][p] / K;
    for (let j = 0; j < K; j++) V[p * K + j] = (predictions[j][p] - m) / Math.sqrt(K - 1);
  }
  const G = new Float64Array(K * K);
  for (let p = 0; p < n; p++)
    for (let a = 0; a < K; a++) {
      const va = V[p * K + a];
      for (let b = 0; b < K; b++) G[a * K + b] += va * V[p * K + b];
    }
  const M = new Float64Array(K * K);
  for (let a = 0; a < K; a++) M[a * K + a] = 1;
  const w = new Float64Array(K);
  const gw = new Float64Array(K);
  const taken = new Set<number>(pending);
  const out: { index: number; gain: number }[] = [];
  const s2 = Math.max(noiseVar, 1e-6);
  // Labels on the way (leased, or annotated since the ensemble was fit) count as known.
  for (const x of pending) {
    const cxx = projectInto(M, V, x, K, w);
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) M[a * K + b] -= (w[a] * w[b]) / (s2 + Math.max(cxx, 0));
  }
  for (let step = 0; step < k; step++) {
    let best = -1;
    let bestGain = -Infinity;
    let bestW: Float64Array | null = null;
    let bestDen = 1;
    for (const x of candidates) {
      if (taken.has(x)) continue;
      const cxx = projectInto(M, V, x, K, w);
      let q = 0;
      for (let a = 0; a < K; a++) {
        let t = 0;
        for (let b = 0; b < K; b++) t += G[a * K + b] * w[b];
        gw[a] = t;
        q += w[a] * t;
      }
      const gain = (q / (s2 + Math.max(cxx, 0))) * boost(x);
      if (gain > bestGain) {
        bestGain = gain;
        best = x;
        bestW = Float64Array.from(w);
        bestDen = s2 + Math.max(cxx, 0);
      }
    }
    if (best < 0 || !bestW) break;
    taken.add(best);
    out.push({ index: best, gain: bestGain });
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) M[a * K + b] -= (bestW[a] * bestW[b]) / bestDen;
  }
  return out;
}

/** w = M·v_x for row x of V (K columns); returns v_xᵀ·M·v_x, the posterior variance term. */
function projectInto(M: Float64Array, V: Float64Array, x: number, K: number, w: Float64Array): number {
  for (let a = 0; a < K; a++) {
    let t = 0;
    for (let b = 0; b < K; b++) t += M[a * K + b] * V[x * K + b];
    w[a] = t;
  }
  let cxx = 0;
  for (let a = 0; a < K; a++) cxx += V[x * K + a] * w[a];
  return cxx;
}
