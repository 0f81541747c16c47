/**
 * Active-learning acquisition: which unlabelled profiles to annotate next. Pure functions
 * over feature vectors, used by the service queue and by bench/active-learning.ts alike.
 *
 * Default recipe (strategy 'evr', coldStart 'diverse', shortlistShare 1/6; alternatives in
 * AcquisitionOptions, compared by bench/active-learning.ts --strategies):
 * - before the model has data: priority-weighted k-means diversity over the densest profiles;
 * - afterwards: greedy expected reduction of the pool's integrated predictive variance
 *   (V-optimal design, variance-reduction.ts) with the bootstrap ensemble's covariance;
 *   within a batch each pick conditions the covariance (rank-one update), so the batch is
 *   diverse by construction; labels on the way (leases) are conditioned on first;
 * - output balance: the pool is cut into five equal-count bins by the ensemble's mean
 *   prediction and each batch is shared among them so the annotated set covers the model's
 *   output evenly (output-balance.ts): variance reduction alone drifts toward the weak
 *   profiles the model is least sure of, and a linear fit on such a sample under-predicts
 *   strong ones; within a bin the variance reduction chooses;
 * - occupation coverage: occupations with few annotations get a boost, because which
 *   skills matter depends on the occupation; changed profiles get one too;
 * - the shortlist the design considers is the top sixth of the candidates by uncertainty ×
 *   density × coverage (Settles & Craven 2008, "information density"): the bootstrap
 *   covariance (rank members − 1) overrates atypical high-variance profiles, and choosing
 *   among the typical uncertain ones keeps the design on the population the model is
 *   judged on (bench/active-learning.ts, 8 repetitions against one random order each:
 *   annotations needed to match random order at 500, whole pool 440, top sixth 394; goal 350).
 * Alternatives: 'hybrid' (ensemble + ridge posterior covariance), 'posterior' (ridge posterior
 * only), 'density' (spread × density with k-means, Zhdanov 2019); coldStart 'representative'
 * (facility location over the pool, pool-geometry.ts) or 'random'. Measured (bench, 8
 * repetitions × 4 random orders, seeds 42 / 7 / 11): the default needed 354 / 383 / 415,
 * 'posterior' 452 / 382 / 387, with the model's single α by CV. With its penalties per feature
 * block by evidence (model/evidence.ts; session 9) both curves fall — random order's RMSE at 500
 * 0.324 → 0.277 on seed 42, the queue's at 500 0.302 → 0.262 — and the default needs 416 / 422 /
 * 443 to reach random order at 500: a prior that fits the data leaves the design less to add.
 * A greedy reduction of the expected squared error instead of the
 * variance (the ridge's shrinkage bias, with its fitted coefficients plugged in, added to the
 * posterior variance) needed 469 on seed 11: the noisy plug-in pulls the design toward the
 * ends of the output, where labels are clipped; it is not offered.
 */
import { mulberry32 } from '../demo/rng.ts';
import { SCORE_MAX, SCORE_MIN } from '../model/scoring-model.ts';
import { ensembleFactor, mixFactors, selectByFactor, type CovarianceFactor } from './variance-reduction.ts';
import { representativeBatch, selectBatch } from './pool-geometry.ts';
import { binQuotas, outputBins, type BalanceBy } from './output-balance.ts';

export { ensembleFactor, gramOf, gramOfAsync, mixFactors, ridgePosteriorFactor, selectByFactor, selectByVarianceReduction, type CovarianceFactor } from './variance-reduction.ts';
export { density, representativeBatch, selectBatch, standardize } from './pool-geometry.ts';

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
   * How a batch is chosen once the model has data: greedy expected reduction of the pool's
   * integrated predictive variance (selectByFactor) with the covariance from 'posterior' =
   * the ridge model's exact posterior (ridgePosteriorFactor; full rank, but blind to where
   * the linear model is wrong), 'evr' = a bootstrap ensemble (rank = members − 1, but it sees
   * misspecification and heteroscedastic noise), 'hybrid' = ensembleShare · ensemble +
   * (1 − ensembleShare) · posterior (the low-rank bootstrap estimate shrunk toward the
   * model-based covariance); or 'density' = ensemble spread × density × coverage priority
   * with k-means diversity (selectBatch). Before the model has data, coldStart decides.
   */
  strategy?: 'posterior' | 'evr' | 'hybrid' | 'density';
  /** Weight of the bootstrap covariance in 'hybrid' (the rest is the ridge posterior). */
  ensembleShare?: number;
  /** Share of each batch drawn uniformly at random from the candidates (why = exploration). */
  explore?: number;
  /**
   * Annotations at which the exploration share reaches `explore` (0: the full share from the
   * start). The share grows linearly with the annotation count: early labels go where the
   * model is uncertain; later, when the linear model's bias on a skewed sample costs more
   * than its variance, a growing share keeps the training set like the population.
   */
  exploreRamp?: number;
  /** Most candidates the variance-reduction step considers (the best by priority), bounding its cost. */
  shortlist?: number;
  /**
   * Share of the candidates the variance-reduction step considers: the best by priority
   * (uncertainty × density × coverage), at least `prefilter` × the batch, at most `shortlist`.
   * The bootstrap covariance has rank members − 1, so it overstates how much an atypical,
   * high-variance profile tells about the rest of the pool; choosing among the typical
   * uncertain profiles only keeps the design on the population the model is judged on.
   */
  shortlistShare?: number;
  /**
   * The batch before the model has any data: 'random' = a seeded uniform sample (it represents
   * the population the model will score); 'diverse' = priority-weighted k-means diversity
   * over the densest candidates; 'representative' = greedy facility location over the whole
   * pool (representativeBatch: the batch that covers the population's modes in proportion).
   */
  coldStart?: 'random' | 'diverse' | 'representative';
  /**
   * 1: the ensemble covariance is that of the served score, clip(prediction, 1, 5), so
   * variance beyond the scale's ends (which no served score shows) does not count.
   */
  clip?: number;
  /**
   * Multiplier of the label noise in the greedy conditioning (1 = the estimated noise): smaller
   * values make each pick explain away more of its neighbours' variance, so a batch spreads
   * wider; larger ones let a batch return to the same region. Measured (bench, 8 repetitions × 4
   * random orders): 0.25 needed 381 annotations against 467 at 1 on the demo's seed 42, but 408
   * against 368 on seed 7, so the estimate stays the default.
   */
  noiseScale?: number;
  /**
   * Equal-count bins of the ensemble's mean prediction over the pool that each batch is shared
   * among, so the annotated set covers the model's output evenly (output-balance.ts; 0 or 1:
   * off). Measured (bench, 8 repetitions × 4 random orders): annotations needed to reach random
   * order at 500, 467 → 354 on seed 42 and 368 → 383 on seed 7 (RMSE at 350 0.342 → 0.324 and unchanged).
   */
  balanceBins?: number;
  /** How the output bins are cut (output-balance.ts BalanceBy): the pool's quantiles (default) or equal widths of the 1–5 scale. */
  balanceBy?: BalanceBy;
}

export const DEFAULTS: Required<AcquisitionOptions> = {
  densityWeight: 1, occupationBoost: 1, changedBoost: 2, prefilter: 8, seed: 1, strategy: 'evr', ensembleShare: 0.5, explore: 0, shortlist: 2000, coldStart: 'diverse', clip: 0, exploreRamp: 0, shortlistShare: 1 / 6, noiseScale: 1, balanceBins: 5, balanceBy: 'quantile',
};

export interface Scored {
  index: number;
  priority: number;
  why: WhyCode;
  uncertainty: number | null;
  density: number;
  occupationAnnotations: number;
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


/** What acquisition knows about the pool (the featurized population, annotated or not). */
export interface PoolView {
  /** Standardised features of the pool. */
  Z: readonly Float64Array[];
  dens: Float64Array;
  /** Ensemble member predictions over the pool (members × pool); null before an ensemble exists. */
  predictions: readonly Float64Array[] | null;
  uncertainty: Float64Array | null;
  uncertaintyReference: number | undefined;
  /** The label noise scale σ² in variance reduction (the model's CV error, or the ensemble's out-of-bag error). */
  noiseVar: number;
  /** The ridge posterior's covariance factor over the pool (strategies 'posterior', 'hybrid'); Cov = σ²·v_a·v_b. */
  factor: CovarianceFactor | null;
  /** Weight of the ensemble's covariance when both are present (the uncertainty shown mixes the same way). */
  ensembleShare: number;
}

/**
 * A pool view from its parts. Uncertainty is the predictive sd: the ensemble spread, the
 * posterior sd sqrt(σ² · v_x·v_x) (σ² = noiseVar, the model's CV error), or with both the
 * sd of their mixture (ensembleShare); its reference is the pool median.
 */
export function poolView(
  Z: readonly Float64Array[], dens: Float64Array, predictions: readonly Float64Array[] | null, noiseVar: number, factor: CovarianceFactor | null = null, ensembleShare = DEFAULTS.ensembleShare,
): PoolView {
  let uncertainty: Float64Array | null = null;
  const w = predictions && factor ? ensembleShare : predictions ? 1 : 0;
  if (predictions || factor) {
    const spread = predictions ? ensembleSpread(predictions) : null;
    uncertainty = new Float64Array(Z.length);
    for (let i = 0; i < Z.length; i++) {
      let s = 0;
      if (factor) for (let a = 0; a < factor.K; a++) s += factor.V[i * factor.K + a] ** 2;
      uncertainty[i] = Math.sqrt(w * (spread ? spread[i] ** 2 : 0) + (1 - w) * noiseVar * s);
    }
  }
  return { Z, dens, predictions, uncertainty, uncertaintyReference: uncertainty ? median(uncertainty) : undefined, noiseVar, factor, ensembleShare };
}

/** Covariance factors built from a view, per strategy (a view is ranked once per request). */
const designCache = new WeakMap<PoolView, Map<string, { factor: CovarianceFactor; noise: number } | null>>();

/**
 * The covariance the variance reduction runs on, with its label noise on the factor's
 * scale; null when the strategy's ingredients are missing ('hybrid' falls back to
 * whichever of the two exists).
 */
export function designFactor(view: PoolView, strategy: AcquisitionOptions['strategy'], clip = 0): { factor: CovarianceFactor; noise: number } | null {
  let byView = designCache.get(view);
  if (!byView) designCache.set(view, (byView = new Map()));
  const key = `${strategy}|${clip}`;
  if (byView.has(key)) return byView.get(key)!;
  const raw = view.predictions && view.predictions.length >= 2 ? view.predictions : null;
  const ens = raw && clip ? raw.map((p) => p.map((v) => Math.min(SCORE_MAX, Math.max(SCORE_MIN, v)))) : raw;
  let d: { factor: CovarianceFactor; noise: number } | null = null;
  // The posterior factor is on the scale Cov/σ², where the label noise is 1.
  if (strategy === 'posterior' && view.factor) d = { factor: view.factor, noise: 1 };
  else if (strategy === 'evr' && ens) d = { factor: ensembleFactor(ens), noise: view.noiseVar };
  else if (strategy === 'hybrid') {
    if (ens && view.factor) {
      const w = Math.max(0, Math.min(1, view.ensembleShare));
      d = { factor: mixFactors([{ factor: ensembleFactor(ens), scale: w }, { factor: view.factor, scale: (1 - w) * view.noiseVar }]), noise: view.noiseVar };
    } else if (view.factor) d = { factor: view.factor, noise: 1 };
    else if (ens) d = { factor: ensembleFactor(ens), noise: view.noiseVar };
  }
  byView.set(key, d);
  return d;
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
  options: AcquisitionOptions & { pending?: readonly number[]; annotated?: readonly number[] } = {},
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
  let annotated = 0;
  for (const v of occupationCounts.values()) annotated += v;
  const share = o.exploreRamp > 0 ? o.explore * Math.min(1, annotated / o.exploreRamp) : o.explore;
  const nExplore = Math.min(all.length, Math.round(k * Math.max(0, Math.min(1, share))));
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
  const design = withPool && o.strategy !== 'density' ? designFactor(view, o.strategy, o.clip) : null;
  if (design) {
    // Greedy expected variance reduction over the whole pool, boosted by coverage and
    // change (the factors prioritize() applies); the explored picks count as pending labels.
    const byPool = new Map(remaining.map((s) => [candidates[s.index].pool, s]));
    const boost = (p: number) => {
      const s = byPool.get(p)!;
      return (1 + o.occupationBoost / (1 + s.occupationAnnotations)) * (candidates[s.index].changed ? o.changedBoost : 1);
    };
    // The shortlist the design considers: the best by priority (see shortlistShare).
    const shortlistOf = (from: Scored[], count: number) => {
      const size = Math.min(o.shortlist, Math.max(Math.ceil(o.prefilter * count), Math.ceil(o.shortlistShare * from.length)));
      return (from.length > size ? [...from].sort((a, b) => b.priority - a.priority || a.index - b.index).slice(0, size) : from).map((s) => candidates[s.index].pool);
    };
    const pending = [...(o.pending ?? []), ...explored.map((s) => candidates[s.index].pool)];
    const noise = design.noise * o.noiseScale;
    const B = Math.floor(o.balanceBins);
    const bins = outputBins(view!, B, o.balanceBy);
    let picks: { index: number; gain: number }[];
    if (!bins) picks = selectByFactor(design.factor, shortlistOf(remaining, need), need, noise, boost, pending);
    else {
      // The batch shared among the output bins (output-balance.ts), each bin's picks conditioned on the bins before.
      const have = new Array<number>(B).fill(0);
      for (const p of new Set([...(o.annotated ?? []), ...pending])) have[bins[p]]++;
      const inBin: Scored[][] = Array.from({ length: B }, () => []);
      for (const s of remaining) inBin[bins[candidates[s.index].pool]].push(s);
      const quota = binQuotas(have, inBin.map((x) => x.length), need);
      picks = [];
      const conditioned = [...pending];
      quota.forEach((q, b) => {
        if (q <= 0) return;
        const got = selectByFactor(design.factor, shortlistOf(inBin[b], q), q, noise, boost, conditioned);
        picks.push(...got);
        conditioned.push(...got.map((g) => g.index));
      });
    }
    return { batch: [...picks.map((g) => ({ ...byPool.get(g.index)!, priority: g.gain })), ...explored], all };
  }
  const cold = !(withPool && (view.predictions || view.factor));
  if (cold && o.coldStart === 'representative' && withPool) {
    const byPool = new Map(remaining.map((s) => [candidates[s.index].pool, s]));
    const pending = [...(o.pending ?? []), ...explored.map((s) => candidates[s.index].pool)];
    const picks = representativeBatch(view.Z, [...byPool.keys()], need, { seed: o.seed, pending });
    return { batch: [...picks.map((p) => ({ ...byPool.get(p)!, why: 'representative' as const })), ...explored], all };
  }
  if (cold && o.coldStart === 'random') {
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
