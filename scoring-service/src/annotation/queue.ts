/**
 * The active-learning queue's state: every freelancer's features (recomputed only for rows
 * whose profile or activity changed), their density, and the bootstrap ensemble's
 * uncertainty (the ensemble is refit once per live model version; before any model is
 * live, once per annotation count). Ranking itself is acquisition.ts.
 */
import type { ActivitySummary, Freelancer, ProfileSnapshot } from '../domain/types.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { density, ensembleSpread, prioritize, selectBatch, standardize, type AcquisitionOptions, type Candidate, type Scored } from './acquisition.ts';
import { ensemblePredictions, fitEnsemble, type Ensemble, type ModelKit } from './ensemble.ts';
import type { AnnotationStore } from './store.ts';

export interface FeaturizerLike {
  featurize(s: ProfileSnapshot): Float64Array;
}

/** What the queue needs from the model and demo/feature areas (injected; see deps.ts). */
export interface QueueDeps {
  featurizer(): Promise<FeaturizerLike>;
  modelKit(): Promise<ModelKit>;
  activity(w: Warehouse, ids: string[] | 'all', asOf: Date): Promise<Map<string, ActivitySummary>>;
}

export interface Pool {
  version: number;
  signature: string;
  builtAt: number;
  rows: Freelancer[];
  index: Map<string, number>;
  Z: Float64Array[];
  dens: Float64Array;
}

export interface QueueOptions {
  cacheMinutes: number;
  ensembleSize: number;
  acquisition?: AcquisitionOptions;
}

export interface Ranked extends Scored {
  freelancer: Freelancer;
}

export class ActiveQueue {
  private pool: Pool | null = null;
  private poolVersion = 0;
  private readonly features = new Map<string, { key: string; x: Float64Array }>();
  private readonly trainFeatures = new Map<string, Float64Array>();
  private ensemble: { key: string; value: Ensemble | null } | null = null;
  private uncertaintyCache: { key: string; value: Float64Array | null } | null = null;
  private building: Promise<Pool> | null = null;

  constructor(
    private readonly w: Warehouse,
    private readonly store: AnnotationStore,
    private readonly deps: QueueDeps,
    private readonly options: QueueOptions,
  ) {}

  /** The candidate pool, rebuilt when freelancers changed or the cache aged out. */
  async currentPool(now: Date): Promise<Pool> {
    const signature = await this.store.freelancerSignature();
    const p = this.pool;
    if (p && p.signature === signature && now.getTime() - p.builtAt < this.options.cacheMinutes * 60_000) return p;
    this.building ??= this.build(signature, now).finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async build(signature: string, now: Date): Promise<Pool> {
    const [rows, activity, featurizer] = await Promise.all([this.store.allFreelancers(), this.deps.activity(this.w, 'all', now), this.deps.featurizer()]);
    rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const X = rows.map((r) => {
      const act = activity.get(r.id) ?? null;
      const key = `${r.updated_at}|${JSON.stringify(act && { ...act, as_of: undefined })}`;
      const hit = this.features.get(r.id);
      if (hit && hit.key === key) return hit.x;
      const x = featurizer.featurize({ profile: r, activity: act });
      this.features.set(r.id, { key, x });
      return x;
    });
    const Z = standardize(X);
    const pool: Pool = {
      version: ++this.poolVersion,
      signature,
      builtAt: now.getTime(),
      rows,
      index: new Map(rows.map((r, i) => [r.id, i])),
      Z,
      dens: density(Z),
    };
    this.pool = pool;
    return pool;
  }

  /** Ensemble spread over the pool; null while there are too few annotations. */
  async uncertainty(pool: Pool, liveVersion: string | null): Promise<Float64Array | null> {
    const key = liveVersion ? `model:${liveVersion}` : `count:${await this.store.countAnnotations()}`;
    if (!this.ensemble || this.ensemble.key !== key) {
      const rows = await this.store.trainingRows();
      const featurizer = await this.deps.featurizer();
      const X = rows.map((r) => {
        let x = this.trainFeatures.get(r.annotation_id);
        if (!x) this.trainFeatures.set(r.annotation_id, (x = featurizer.featurize(r.profile_snapshot)));
        return x;
      });
      const kit = await this.deps.modelKit();
      this.ensemble = { key, value: fitEnsemble(X, rows.map((r) => r.score), kit, { size: this.options.ensembleSize, seed: 17 }) };
    }
    const ukey = `${key}|${pool.version}`;
    if (!this.uncertaintyCache || this.uncertaintyCache.key !== ukey) {
      const e = this.ensemble.value;
      const X = pool.rows.map((r) => this.features.get(r.id)!.x);
      this.uncertaintyCache = { key: ukey, value: e ? ensembleSpread(ensemblePredictions(e, X)) : null };
    }
    return this.uncertaintyCache.value;
  }

  /**
   * Ranks the eligible pool members: priorities for all of them (the double-annotation
   * picks reuse them) and a diverse batch of `k` of the regular ones.
   */
  rank(
    pool: Pool,
    uncertainty: Float64Array | null,
    eligible: readonly string[],
    changed: ReadonlySet<string>,
    occupationCounts: ReadonlyMap<string, number>,
    k: number,
    seed: number,
  ): { batch: Ranked[]; scored: Map<string, Ranked> } {
    const idx = eligible.map((id) => pool.index.get(id)).filter((i): i is number => i !== undefined);
    const candidates: Candidate[] = idx.map((i) => ({ id: pool.rows[i].id, occupation: pool.rows[i].occupation, changed: changed.has(pool.rows[i].id) }));
    const dens = Float64Array.from(idx, (i) => pool.dens[i]);
    const u = uncertainty ? Float64Array.from(idx, (i) => uncertainty[i]) : null;
    const scored = prioritize(candidates, dens, u, occupationCounts, this.options.acquisition);
    const ranked = scored.map((s) => ({ ...s, freelancer: pool.rows[idx[s.index]] }));
    const Z = idx.map((i) => pool.Z[i]);
    const batch = k > 0 ? selectBatch(scored, Z, k, { ...this.options.acquisition, seed }).map((s) => ranked[s.index]) : [];
    return { batch, scored: new Map(ranked.map((r) => [r.freelancer.id, r])) };
  }
}
