/**
 * What training needs from the model area (features/featurizer.ts, model/scoring-model.ts,
 * scores/materialize.ts; names fixed in docs CONTRACTS), gathered behind one object so that
 * tests can swap in a small deterministic kit and the run itself stays model-agnostic.
 */
import type { ProfileSnapshot } from '../domain/types.ts';
import type { LiveModel } from '../model/types.ts';
import type { ScoreTable } from '../scores/live.ts';
import type { Warehouse } from '../warehouse/port.ts';
import type { Dialect } from '../warehouse/dialect.ts';

export interface KitFeatureDef {
  name: string;
  label_ja: string;
  label_en: string;
  group: string;
  sql?: (d: Dialect) => string | null;
}

export interface KitFeatureSpec {
  version: string;
  features: KitFeatureDef[];
}

export interface KitFeaturizer {
  spec: KitFeatureSpec;
  featurize(s: ProfileSnapshot): Float64Array;
}

export interface KitModelJson {
  type: string;
  version: string;
  feature_spec_version: string;
  feature_names: string[];
  [k: string]: unknown;
}

export interface FitOptions {
  alphas?: number[];
  alpha?: number;
  folds?: number;
  seed?: number;
  weights?: number[];
  version?: string;
  selected?: string[];
}

export interface ModelKit {
  loadFeaturizer(): Promise<KitFeaturizer>;
  fit(X: Float64Array[], y: number[], spec: KitFeatureSpec, o: FitOptions): { model: KitModelJson; cv: { alpha: number; rmse: number } };
  /** Throws when the JSON is not a valid model (foreign tag, corrupt arrays, checksum). */
  parse(json: unknown): KitModelJson;
  predictRaw(m: KitModelJson, x: Float64Array): number;
  createLiveModel(m: KitModelJson, f: KitFeaturizer): LiveModel;
  materializeScores(w: Warehouse, m: LiveModel, f: KitFeaturizer, o?: { now?: Date; onProgress?: (done: number, total: number) => void }): Promise<ScoreTable>;
  loadScoreTable(w: Warehouse): Promise<ScoreTable | null>;
}

let real: Promise<ModelKit> | undefined;

/** The production kit: the model area's modules, loaded once per process. */
export function realModelKit(): Promise<ModelKit> {
  return (real ??= (async () => {
    // Imported by path at run time so this area type-checks on its own contract.
    const featurizerPath = '../features/featurizer.ts';
    const modelPath = '../model/scoring-model.ts';
    const materializePath = '../scores/materialize.ts';
    const fz = await import(featurizerPath);
    const sm = await import(modelPath);
    const mat = await import(materializePath);
    return {
      loadFeaturizer: () => fz.loadFeaturizer(),
      fit: (X, y, spec, o) => sm.fitScoringModel(X, y, spec, o),
      parse: (json) => sm.parseScoringModel(json),
      predictRaw: (m, x) => sm.predictRaw(m, x),
      createLiveModel: (m, f) => sm.createLiveModel(m, f),
      materializeScores: (w, m, f, o) => mat.materializeScores(w, m, f, o),
      loadScoreTable: (w) => mat.loadScoreTable(w),
    } satisfies ModelKit;
  })());
}
