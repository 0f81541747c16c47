/**
 * Held-out predictions for the gate (challenger per fold, live model and the constant
 * baseline on the same rows) and the learning curve.
 */
import type { LiveModel } from '../model/types.ts';
import { kFoldAssignment, learningCurveSizes } from '../stats/folds.ts';
import { rmse } from '../stats/metrics.ts';
import { seededRandom } from '../stats/rng.ts';
import type { TrainingSet } from './dataset.ts';
import { clip15 } from './evaluate.ts';
import type { FitCv, KitFeaturizer, ModelKit } from './model-kit.ts';
import { rowScorer } from './predict.ts';

export const FOLDS = 5;

/** The final fit's chosen penalties, fixed for the outer fits (no nested search per fold). */
export function fixedPenalties(p: FitCv): { alpha: number; interactionScales?: number[]; columnScales?: readonly number[] } {
  if (p.columnScales) return { alpha: p.alpha, columnScales: p.columnScales };
  return p.interactionScale === undefined ? { alpha: p.alpha } : { alpha: p.alpha, interactionScales: [p.interactionScale] };
}

function subset<T>(a: T[], idx: number[]): T[] {
  return idx.map((i) => a[i]);
}

/**
 * Held-out predictions of a challenger fitted per fold, and of the live model on the same rows.
 * Each outer fit is a whole fitScoringModel on the outer training rows, so its calibration is
 * fitted from out-of-fold scores inside those rows: the held-out fold never shapes g.
 */
export function crossValidate(
  kit: ModelKit,
  f: KitFeaturizer,
  ts: TrainingSet,
  X: Float64Array[],
  y: number[],
  weights: number[],
  selected: string[],
  seed: number,
  penalties: FitCv,
  liveModel: LiveModel | null,
) {
  const n = X.length;
  const k = Math.min(FOLDS, n);
  const fold = kFoldAssignment(n, k, seed);
  const challenger = new Array<number>(n);
  const baseline = new Array<number>(n);
  for (let j = 0; j < k; j++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === j ? test : train).push(i);
    let sw = 0;
    let sy = 0;
    for (const i of train) {
      sw += weights[i];
      sy += weights[i] * y[i];
    }
    for (const i of test) baseline[i] = sy / sw;
    const m = kit.fit(subset(X, train), subset(y, train), f.spec, { ...fixedPenalties(penalties), seed, weights: subset(weights, train), selected }).model;
    for (const i of test) challenger[i] = clip15(kit.predict(m, X[i]));
  }
  const score = liveModel ? rowScorer(kit, f, liveModel) : null;
  const live = score ? ts.examples.map((e, i) => score(e.snapshot, X[i])) : null;
  return { challenger, live, baseline, fold };
}

export interface LearningCurvePoint {
  size: number;
  rmse: number;
}

/** RMSE on a fixed held-out fifth against training-set size (seeded subsets of the rest). */
export function learningCurve(kit: ModelKit, f: KitFeaturizer, X: Float64Array[], y: number[], weights: number[], selected: string[], seed: number, penalties: FitCv, points: number): LearningCurvePoint[] {
  if (points <= 0 || X.length < 20) return [];
  const fold = kFoldAssignment(X.length, 5, seed ^ 0x5eed);
  const test: number[] = [];
  const pool: number[] = [];
  for (let i = 0; i < X.length; i++) (fold[i] === 0 ? test : pool).push(i);
  const rand = seededRandom(seed ^ 0xc0ffee);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const sizes = learningCurveSizes(pool.length, { min: Math.min(30, pool.length), points });
  const yt = subset(y, test);
  return sizes.map((size) => {
    const idx = pool.slice(0, size);
    const m = kit.fit(subset(X, idx), subset(y, idx), f.spec, { ...fixedPenalties(penalties), seed, weights: subset(weights, idx), selected }).model;
    return { size, rmse: rmse(yt, test.map((i) => clip15(kit.predict(m, X[i])))) };
  });
}
