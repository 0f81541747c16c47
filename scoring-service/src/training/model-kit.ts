/**
 * What training needs from the model area (features/featurizer.ts, model/scoring-model.ts,
 * scores/materialize.ts; names fixed in docs CONTRACTS), gathered behind one object so that
 * tests can swap in a small deterministic kit and the run itself stays model-agnostic.
 */
import type { ProfileSnapshot } from '../domain/types.ts';
import type { LiveModel } from '../model/types.ts';
import type { ScoreTable } from '../scores/live.ts';
import type { Warehouse } from '../warehouse/port.ts';
import type { SkillDemandTable } from '../features/skill-demand.ts';
import { loadFeaturizer, type FeatureSpec, type FeatureSqlDialect, type Featurizer } from '../features/featurizer.ts';
import { fitScoringModel, parseScoringModel, predictScore, type ScoringModelJson } from '../model/scoring-model.ts';
import { createLiveModel } from '../model/live-model.ts';
import { loadScoreTable, materializeScores } from '../scores/materialize.ts';

export interface KitFeatureDef {
  name: string;
  label_ja: string;
  label_en: string;
  group: string;
  sql?: (d: FeatureSqlDialect) => string | null;
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
}

export interface FitOptions {
  alphas?: number[];
  alpha?: number;
  folds?: number;
  seed?: number;
  weights?: number[];
  version?: string;
  selected?: string[];
  now?: Date;
  /** Extra-penalty scales of interaction columns to choose from (default: the model's own grid). */
  interactionScales?: number[];
  /** Per-column penalty scales held fixed with `alpha` (a previous fit's evidence penalties). */
  columnScales?: readonly number[];
  /** The skill demand table X's demand features were computed with, stored in the model (features/skill-demand.ts). */
  skillDemand?: SkillDemandTable | null;
}

/** The penalties a fit chose (by evidence or cross-validation; reused by the run's outer folds and learning curve). */
export interface FitCv {
  alpha: number;
  rmse: number;
  interactionScale?: number;
  /** Per-column scales when the penalties were set per block by evidence (penalty α / s²). */
  columnScales?: readonly number[];
}

export interface ModelKit {
  loadFeaturizer(): Promise<KitFeaturizer>;
  fit(X: Float64Array[], y: number[], spec: KitFeatureSpec, o: FitOptions): { model: KitModelJson; cv: FitCv };
  /** Throws when the JSON is not a valid model (foreign tag, corrupt arrays, checksum). */
  parse(json: unknown): KitModelJson;
  /** The model's score before clipping (calibrated when the model has a calibration), from a feature vector. */
  predict(m: KitModelJson, x: Float64Array): number;
  createLiveModel(m: KitModelJson, f: KitFeaturizer): LiveModel;
  materializeScores(w: Warehouse, m: LiveModel, f: KitFeaturizer, o?: { now?: Date; onProgress?: (done: number, total: number) => void }): Promise<ScoreTable>;
  loadScoreTable(w: Warehouse): Promise<ScoreTable | null>;
}

const overrides = new WeakMap<object, ModelKit>();

/** Tests (and tools) pin a kit to a warehouse; the HTTP routes and CLI then use it. */
export function useModelKit(warehouse: object, kit: ModelKit): void {
  overrides.set(warehouse, kit);
}

export function modelKitOverride(warehouse: object): ModelKit | undefined {
  return overrides.get(warehouse);
}

/** The production kit: the model area's modules. */
export const realKit: ModelKit = {
  loadFeaturizer: () => loadFeaturizer(),
  fit: (X, y, spec, o) => {
    const r = fitScoringModel(X, y, spec as FeatureSpec, o);
    return { model: r.model as unknown as KitModelJson, cv: { ...r.cv, interactionScale: r.model.cv.interaction_scale, columnScales: r.model.cv.column_scales } };
  },
  parse: (json) => parseScoringModel(json) as unknown as KitModelJson,
  predict: (m, x) => predictScore(m as unknown as ScoringModelJson, x),
  createLiveModel: (m, f) => createLiveModel(m as unknown as ScoringModelJson, f as Featurizer),
  materializeScores: (w, m, f, o) => materializeScores(w, m, f as Featurizer, o),
  loadScoreTable: (w) => loadScoreTable(w),
};
