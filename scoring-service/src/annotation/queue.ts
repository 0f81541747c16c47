/**
 * The active-learning queue's state: the pool's features (recomputed only for rows whose
 * profile or activity changed), their density, and the model's uncertainty (ridge posterior
 * and bootstrap ensemble)
 * (refit once per live model version; before any model is live, once per annotation
 * count). Ranking itself is acquisition.ts.
 *
 * Featurizing thousands of Japanese self-introductions takes seconds, so the state is
 * rebuilt in the background, in small chunks that yield to the event loop (the scoring
 * API shares this process), and served stale-while-revalidate: a request waits at most
 * `poolWaitMs` for a rebuild, then uses the previous state, or coverage-only ranking when
 * there is none yet.
 */
import type { ActivitySummary, Freelancer, ProfileSnapshot } from '../domain/types.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { hashSeed } from '../demo/rng.ts';
import { acquire, DEFAULTS, density, designFactor, gramOfAsync, poolView, standardize, type AcquisitionOptions, type CovarianceFactor, type PoolCandidate, type PoolView, type Scored, type WhyCode } from './acquisition.ts';
import { ensemblePredictions, fitUncertainty, type Ensemble, type ModelKit, type Posterior } from './ensemble.ts';
import type { AnnotationStore } from './store.ts';

/** The seed of the queue's ensemble / posterior fit (the benchmark uses the same). */
export const ENSEMBLE_SEED = 17;

export interface FeaturizerLike {
  featurize(s: ProfileSnapshot): Float64Array;
  /** Changes when the same snapshot would featurize differently (e.g. a new skill demand table). */
  key?: string;
}

/** What the queue needs from the model and demo/feature areas (injected; see deps.ts). */
export interface QueueDeps {
  featurizer(w: Warehouse): Promise<FeaturizerLike>;
  modelKit(): Promise<ModelKit>;
  activity(w: Warehouse, ids: string[] | 'all', asOf: Date): Promise<Map<string, ActivitySummary>>;
}

export interface QueueOptions {
  cacheMinutes: number;
  ensembleSize: number;
  /** Longest a request waits for a rebuild before using the previous state. */
  poolWaitMs: number;
  /** Largest pool featurized; bigger populations are sampled (stably, by id hash). */
  poolMax: number;
  acquisition?: AcquisitionOptions;
}

interface QueueState extends PoolView {
  signature: string;
  ensembleKey: string;
  builtAt: number;
  ids: string[];
  index: Map<string, number>;
  /** Annotation ids the ensemble was fit on. */
  trainedOn: ReadonlySet<string>;
}

export interface Ranked {
  freelancerId: string;
  priority: number;
  why: WhyCode;
  uncertainty: number | null;
  density: number | null;
  occupationAnnotations: number;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function idHash(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) | 0;
  return hashSeed(h);
}

export class ActiveQueue {
  private state: QueueState | null = null;
  private refreshing: Promise<void> | null = null;
  private readonly features = new Map<string, { key: string; x: Float64Array }>();
  private readonly trainFeatures = new Map<string, Float64Array>();
  private featurizerKey: string | undefined;
  /** The last rebuild failure, if the latest attempt failed (served state stays the previous one). */
  lastError: unknown = null;
  /** Rebuilds done (tests check the ensemble is not refit needlessly). */
  rebuilds = 0;

  constructor(
    private readonly w: Warehouse,
    private readonly store: AnnotationStore,
    private readonly deps: QueueDeps,
    private readonly options: QueueOptions,
  ) {}

  /** The freshest state available within `poolWaitMs`; null before the first build finishes. */
  async view(now: Date, liveVersion: string | null): Promise<QueueState | null> {
    const [signature, count] = await Promise.all([this.store.freelancerSignature(), liveVersion ? Promise.resolve(0) : this.store.countAnnotations()]);
    const ensembleKey = liveVersion ? `model:${liveVersion}` : `count:${count}`;
    const s = this.state;
    const fresh = s && s.signature === signature && s.ensembleKey === ensembleKey && now.getTime() - s.builtAt < this.options.cacheMinutes * 60_000;
    if (fresh) return s;
    this.refreshing ??= this.rebuild(signature, ensembleKey, now).finally(() => {
      this.refreshing = null;
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.refreshing, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.poolWaitMs)))]);
    clearTimeout(timer);
    return this.state;
  }

  private async rebuild(signature: string, ensembleKey: string, now: Date): Promise<void> {
    try {
      const featurizer = await this.deps.featurizer(this.w);
      if (featurizer.key !== this.featurizerKey) {
        // Features from the previous featurizer (e.g. yesterday's skill demand) go, and so
        // does the uncertainty model fitted on them.
        this.features.clear();
        this.trainFeatures.clear();
        this.ensemble = null;
        this.featurizerKey = featurizer.key;
      }
      let rows: Freelancer[] = await this.store.allFreelancers();
      const sampled = rows.length > this.options.poolMax;
      if (sampled) rows = rows.map((r) => [idHash(r.id), r] as const).sort((a, b) => a[0] - b[0]).slice(0, this.options.poolMax).map((x) => x[1]);
      rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const activity = await this.deps.activity(this.w, sampled ? rows.map((r) => r.id) : 'all', now);
      const X: Float64Array[] = [];
      for (let i = 0; i < rows.length; i++) {
        if (i % 16 === 15) await yieldToLoop();
        const r = rows[i];
        const act = activity.get(r.id) ?? null;
        const key = `${r.updated_at}|${JSON.stringify(act && { ...act, as_of: undefined })}`;
        const hit = this.features.get(r.id);
        if (hit && hit.key === key) X.push(hit.x);
        else {
          const x = featurizer.featurize({ profile: r, activity: act });
          this.features.set(r.id, { key, x });
          X.push(x);
        }
      }
      const Z = standardize(X);
      await yieldToLoop();
      const dens = density(Z);
      const { predictions, noiseVar, factor, trainedOn } = await this.ensemblePredictions(ensembleKey, X, featurizer);
      const state: QueueState = {
        ...poolView(Z, dens, predictions, noiseVar, factor, this.options.acquisition?.ensembleShare),
        signature,
        ensembleKey,
        builtAt: now.getTime(),
        ids: rows.map((r) => r.id),
        index: new Map(rows.map((r, i) => [r.id, i])),
        trainedOn,
      };
      // The variance reduction's pool integrals, here rather than in the first request.
      await yieldToLoop();
      const design = designFactor(state, this.options.acquisition?.strategy ?? DEFAULTS.strategy, this.options.acquisition?.clip ?? DEFAULTS.clip);
      if (design) await gramOfAsync(design.factor, yieldToLoop);
      this.rebuilds++;
      this.state = state;
      this.lastError = null;
    } catch (e) {
      this.lastError = e;
    }
  }

  private ensemble: { key: string; value: { ensemble: Ensemble | null; posterior: Posterior | null; noiseVar: number }; trainedOn: ReadonlySet<string> } | null = null;

  /**
   * The model's uncertainty over the pool, refit once per key (fitUncertainty): the ridge
   * posterior, the bootstrap ensemble, or both (strategy 'hybrid', the default).
   */
  private async ensemblePredictions(
    key: string,
    X: Float64Array[],
    featurizer: FeaturizerLike,
  ): Promise<{ predictions: Float64Array[] | null; noiseVar: number; factor: CovarianceFactor | null; trainedOn: ReadonlySet<string> }> {
    if (!this.ensemble || this.ensemble.key !== key) {
      const rows = await this.store.trainingRows();
      const TX: Float64Array[] = [];
      for (let i = 0; i < rows.length; i++) {
        if (i % 16 === 15) await yieldToLoop();
        const r = rows[i];
        let x = this.trainFeatures.get(r.annotation_id);
        if (!x) this.trainFeatures.set(r.annotation_id, (x = featurizer.featurize(r.profile_snapshot)));
        TX.push(x);
      }
      const kit = await this.deps.modelKit();
      const y = rows.map((r) => r.score);
      const strategy = this.options.acquisition?.strategy ?? DEFAULTS.strategy;
      this.ensemble = { key, value: fitUncertainty(TX, y, kit, { strategy, size: this.options.ensembleSize, seed: ENSEMBLE_SEED }), trainedOn: new Set(rows.map((r) => r.annotation_id)) };
    }
    const { ensemble, posterior, noiseVar } = this.ensemble.value;
    const trainedOn = this.ensemble.trainedOn;
    if (ensemble || posterior) await yieldToLoop();
    let factor: CovarianceFactor | null = null;
    if (posterior) {
      // Rows of the factor are independent given the fit: computed in slices, yielding in between.
      const parts: CovarianceFactor[] = [];
      for (let i = 0; i < X.length; i += 2000) {
        parts.push(posterior.factor(X.slice(i, i + 2000)));
        await yieldToLoop();
      }
      const K = parts[0]?.K ?? 0;
      const V = new Float64Array(X.length * K);
      parts.forEach((f, c) => V.set(f.V, c * 2000 * K));
      factor = { V, K, n: X.length };
    }
    return { predictions: ensemble ? ensemblePredictions(ensemble, X) : null, noiseVar, factor, trainedOn };
  }

  /** Priorities of the eligible candidates and the next batch of `k` (acquisition.acquire, the benchmark's code too). */
  rank(
    state: QueueState | null,
    eligible: readonly { id: string; occupation: string }[],
    changed: ReadonlySet<string>,
    occupationCounts: ReadonlyMap<string, number>,
    k: number,
    seed: number,
    /** Freelancers whose labels are on the way: open leases and annotations newer than the ensemble. */
    pending: readonly string[] = [],
    /** Freelancers annotated so far (the output balance counts them per bin). */
    annotated: readonly string[] = [],
  ): { batch: Ranked[]; all: Ranked[] } {
    const candidates: PoolCandidate[] = eligible.map((c) => ({ id: c.id, occupation: c.occupation, changed: changed.has(c.id), pool: state?.index.get(c.id) ?? -1 }));
    const positions = (ids: readonly string[]) => (state ? ids.map((id) => state.index.get(id)).filter((i): i is number => i !== undefined) : []);
    const r = acquire(state, candidates, occupationCounts, k, { ...this.options.acquisition, seed, pending: positions(pending), annotated: positions(annotated) });
    const inPool = r.all.some((s) => candidates[s.index].pool >= 0);
    const ranked = (s: Scored): Ranked => ({
      freelancerId: candidates[s.index].id,
      priority: s.priority,
      why: s.why,
      uncertainty: s.uncertainty,
      density: inPool ? s.density : null,
      occupationAnnotations: s.occupationAnnotations,
    });
    return { batch: r.batch.map(ranked), all: r.all.map(ranked) };
  }
}
