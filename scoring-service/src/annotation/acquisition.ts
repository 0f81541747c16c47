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
import { selectByFactor, selectByVarianceReduction, type CovarianceFactor } from './variance-reduction.ts';

export { ridgePosteriorFactor, selectByFactor, selectByVarianceReduction, type CovarianceFactor } from './variance-reduction.ts';

export type WhyCode = 'uncertain' | 'rare_occupation' | 'changed' | 'representative' | 'exploration' | 'double';

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
  exploration: { code: 'exploration', label_ja: '学習データの偏りを防ぐため、無作為に選ばれたプロフィールです', label_en: 'Picked at random, so the training data does not drift away from the population' },
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
  /**
   * How a batch is chosen once the model has data: 'posterior' = greedy expected variance
   * reduction over the pool with the ridge model's exact posterior covariance
   * (ridgePosteriorFactor + selectByFactor); 'evr' = the same criterion with the covariance
   * estimated by a bootstrap ensemble (selectByVarianceReduction); 'density' = ensemble
   * spread × density × coverage priority with k-means diversity (selectBatch). Before the
   * model has data all use the latter (uncertainty left out).
   */
  strategy?: 'posterior' | 'evr' | 'density';
  /** Share of each batch drawn uniformly at random from the candidates (why = exploration). */
  explore?: number;
  /** Most candidates the variance-reduction step considers (the best by priority), bounding its cost. */
  shortlist?: number;
  /**
   * The batch before the model has any data: 'random' = a seeded uniform sample (it represents
   * the population the model will score); 'diverse' = priority-weighted k-means diversity,
   * which favours the edges of the feature space.
   */
  coldStart?: 'random' | 'diverse';
}

export const DEFAULTS: Required<AcquisitionOptions> = { densityWeight: 1, occupationBoost: 1, changedBoost: 2, prefilter: 8, seed: 1, strategy: 'evr', explore: 0, shortlist: 2000, coldStart: 'diverse' };

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

/** What acquisition knows about the pool (the featurized population, annotated or not). */
export interface PoolView {
  /** Standardised features of the pool. */
  Z: readonly Float64Array[];
  dens: Float64Array;
  /** Ensemble member predictions over the pool (members × pool); null before an ensemble exists. */
  predictions: readonly Float64Array[] | null;
  uncertainty: Float64Array | null;
  uncertaintyReference: number | undefined;
  /** The ensemble's out-of-bag squared error: the label noise scale in variance reduction. */
  noiseVar: number;
  /** The ridge posterior's covariance factor over the pool (strategy 'posterior'); Cov = σ²·v_a·v_b. */
  factor: CovarianceFactor | null;
}

/** A pool view from its parts: uncertainty is the ensemble spread, its reference the pool median. */
/**
 * A pool view from its parts. Uncertainty is the ensemble spread or, with a posterior
 * factor, the posterior sd of the prediction, sqrt(σ² · v_x·v_x) (σ² = noiseVar, the
 * model's CV error); its reference is the pool median.
 */
export function poolView(Z: readonly Float64Array[], dens: Float64Array, predictions: readonly Float64Array[] | null, noiseVar: number, factor: CovarianceFactor | null = null): PoolView {
  let uncertainty: Float64Array | null = null;
  if (predictions) uncertainty = ensembleSpread(predictions);
  else if (factor) {
    uncertainty = new Float64Array(factor.n);
    for (let i = 0; i < factor.n; i++) {
      let s = 0;
      for (let a = 0; a < factor.K; a++) s += factor.V[i * factor.K + a] ** 2;
      uncertainty[i] = Math.sqrt(noiseVar * s);
    }
  }
  return { Z, dens, predictions, uncertainty, uncertaintyReference: uncertainty ? median(uncertainty) : undefined, noiseVar, factor };
}

export interface PoolCandidate extends Candidate {
  /** Position in the pool view; -1 when the candidate is outside the featurized pool. */
  pool: number;
}

/**
 * The queue's ordering, shared by the service (queue.ts) and the benchmark: priorities of
 * the candidates and the next batch of `k`. Candidates outside the pool only stand in when
 * the pool has none left. `pending` are pool positions whose labels are on the way.
 * Returned `index`es point into `candidates`; `all` holds every candidate that competed.
 */
export function acquire(
  view: PoolView | null,
  candidates: readonly PoolCandidate[],
  occupationCounts: ReadonlyMap<string, number>,
  k: number,
  options: AcquisitionOptions & { pending?: readonly number[] } = {},
): { batch: Scored[]; all: Scored[] } {
  const o = { ...DEFAULTS, ...options };
  const inPool: number[] = [];
  if (view) candidates.forEach((c, i) => c.pool >= 0 && inPool.push(i));
  const withPool = inPool.length > 0 && view !== null;
  const use = withPool ? inPool : candidates.map((_, i) => i);
  const dens = Float64Array.from(use, (i) => (withPool ? view.dens[candidates[i].pool] : 1));
  const u = withPool && view.uncertainty ? Float64Array.from(use, (i) => view.uncertainty![candidates[i].pool]) : null;
  const local = prioritize(use.map((i) => candidates[i]), dens, u, occupationCounts, { ...o, uncertaintyReference: view?.uncertaintyReference });
  const all = local.map((s) => ({ ...s, index: use[s.index] }));
  if (k <= 0 || !all.length) return { batch: [], all };
  // Exploration: a seeded uniform draw, so the training data keeps covering the population
  // the model will score, whatever the model currently believes.
  const rng = mulberry32(o.seed);
  const nExplore = Math.min(all.length, Math.round(k * Math.max(0, Math.min(1, o.explore))));
  const explored: Scored[] = [];
  const taken = new Set<number>();
  const rest = [...all];
  for (let e = 0; e < nExplore; e++) {
    const j = e + Math.floor(rng() * (rest.length - e));
    [rest[e], rest[j]] = [rest[j], rest[e]];
    explored.push({ ...rest[e], why: 'exploration' });
    taken.add(rest[e].index);
  }
  const remaining = all.filter((s) => !taken.has(s.index));
  const need = Math.min(k - nExplore, remaining.length);
  if (need <= 0) return { batch: explored, all };
  const evr = withPool && ((o.strategy === 'evr' && view.predictions) || (o.strategy === 'posterior' && view.factor));
  if (evr) {
    // Greedy expected variance reduction over the whole pool, boosted by coverage and
    // change (the factors prioritize() applies); the explored picks count as pending labels.
    const byPool = new Map(remaining.map((s) => [candidates[s.index].pool, s]));
    const boost = (p: number) => {
      const s = byPool.get(p)!;
      return (1 + o.occupationBoost / (1 + s.occupationAnnotations)) * (candidates[s.index].changed ? o.changedBoost : 1);
    };
    const shortlist = (remaining.length > o.shortlist ? [...remaining].sort((a, b) => b.priority - a.priority || a.index - b.index).slice(0, o.shortlist) : remaining).map((s) => candidates[s.index].pool);
    const pending = [...(o.pending ?? []), ...explored.map((s) => candidates[s.index].pool)];
    // The posterior factor is on the scale Cov/σ², where the label noise is 1.
    const picks = o.strategy === 'posterior' ? selectByFactor(view.factor!, shortlist, need, 1, boost, pending) : selectByVarianceReduction(view.predictions!, shortlist, need, view.noiseVar, boost, pending);
    return { batch: [...picks.map((g) => ({ ...byPool.get(g.index)!, priority: g.gain })), ...explored], all };
  }
  if (o.coldStart === 'random' && !(withPool && (view.predictions || view.factor))) {
    for (let e = 0; e < need; e++) {
      const j = e + Math.floor(rng() * (remaining.length - e));
      [remaining[e], remaining[j]] = [remaining[j], remaining[e]];
    }
    return { batch: [...remaining.slice(0, need).map((s) => ({ ...s, why: 'representative' as const })), ...explored], all };
  }
  const empty = new Float64Array(0);
  const Z = candidates.map((c) => (withPool && c.pool >= 0 ? view.Z[c.pool] : empty));
  return { batch: [...selectBatch(remaining, Z, need, o), ...explored], all };
}
