/**
 * Scores stored (sparse) vectors bit for bit like ExplainingModel.contributionsOf, without
 * the dense vector: a feature at zero contributes coef × ((0 − mean) / scale), the same
 * expression evaluated once, so per row only the nonzero features and the behaviour
 * features (replaced from the activity summary) are computed, and the contributions are
 * summed in model order from the intercept exactly as predictRaw does. A calibrated model's
 * raw score then goes through g and the contributions are rescaled, with the same calls in
 * the same order as the live model, so batch and online scores agree bit for bit.
 * The skill demand features are computed, as the live model computes them, from the model's
 * own demand table and the row's stored skill keys ([occupation index, term keys …],
 * features/skill-demand.ts skillKeysOf), never taken from the stored vector.
 */
import type { Reason } from '../domain/types.ts';
import type { FeatureDef } from '../features/featurizer.ts';
import type { ScoringModelJson } from '../model/scoring-model.ts';
import { calibrate, scaleContributions } from '../model/calibration.ts';
import { reasonRanker } from '../model/reasons.ts';
import { DEMAND_FEATURE_COUNT, compileDemand, demandFeaturesInto } from '../features/skill-demand.ts';

export interface SparseScorer {
  /**
   * Fills `c` (model order) and returns the score before clipping — g(raw) for a calibrated
   * model, raw otherwise — for the stored list values[start, end) (packing.ts packList) with
   * the behaviour features replaced by `behaviour` (in behaviourIndex order) and the demand
   * features computed from the skill keys keys[keysStart, keysEnd). Returns NaN when the list
   * is not a vector of the spec's length, or when the spec has demand features and no keys
   * (not even the occupation) are given.
   */
  score(values: ArrayLike<number>, start: number, end: number, behaviour: ArrayLike<number>, c: Float64Array, behaviourStart?: number,
    keys?: ArrayLike<number>, keysStart?: number, keysEnd?: number): number;
  /** The same reasons as ExplainingModel.reasonsOf(c, n) (model/reasons.ts, one implementation). */
  reasons(c: Float64Array, n: number): Reason[];
  /** reasons' choice alone: the top n attributes written to out[at …], their summed contributions to values[at …]; returns how many. */
  top(c: Float64Array, n: number, out: Int32Array, at: number, values: Float64Array): number;
  /** The Reason of attribute g at summed contribution v (reasons' object for it). */
  reason(g: number, v: number): Reason;
}

export function sparseScorer(m: ScoringModelJson, features: readonly FeatureDef[], behaviourIndex: Int32Array, demandIndex: Int32Array = new Int32Array(0)): SparseScorer {
  if (demandIndex.length && demandIndex.length !== DEMAND_FEATURE_COUNT) throw new RangeError(`${demandIndex.length} demand positions, expected ${DEMAND_FEATURE_COUNT}`);
  const featureCount = features.length;
  const defs = m.feature_index.map((i) => features[i]);
  const P = m.coefficients.length;
  const coef = Float64Array.from(m.coefficients);
  const mean = Float64Array.from(m.standardization.mean);
  const scale = Float64Array.from(m.standardization.scale);
  const c0 = new Float64Array(P);
  for (let j = 0; j < P; j++) c0[j] = coef[j] * ((0 - mean[j]) / scale[j]);
  // Model positions of each feature (CSR): a feature the model does not use has none.
  const count = new Int32Array(featureCount + 1);
  for (const i of m.feature_index) count[i + 1]++;
  for (let i = 0; i < featureCount; i++) count[i + 1] += count[i];
  const positions = new Int32Array(P);
  const fill = count.slice(0, featureCount);
  m.feature_index.forEach((i, j) => (positions[fill[i]++] = j));
  const isBehaviour = new Uint8Array(featureCount);
  for (const i of behaviourIndex) isBehaviour[i] = 1;
  // Stored demand entries are skipped like behaviour ones (they are 0 as stored anyway).
  for (const i of demandIndex) isBehaviour[i] = 1;
  const demand = compileDemand(m.skill_demand);
  const dv = new Float64Array(DEMAND_FEATURE_COUNT);
  const intercept = m.intercept;
  const cal = m.calibration ?? null;
  const baseline = cal ? calibrate(cal, intercept) : intercept;
  const ranker = reasonRanker(defs);

  const set = (i: number, x: number, c: Float64Array) => {
    for (let p = count[i]; p < count[i + 1]; p++) {
      const j = positions[p];
      c[j] = coef[j] * ((x - mean[j]) / scale[j]);
    }
  };

  return {
    score(values, start, end, behaviour, c, behaviourStart = 0, keys, keysStart = 0, keysEnd = keys ? keys.length : 0) {
      const len = end - start;
      if (len < 1 || len % 2 !== 1 || values[start] !== featureCount) return NaN;
      const nnz = (len - 1) / 2;
      c.set(c0);
      for (let k = 0; k < nnz; k++) {
        const i = values[start + 1 + k];
        if (!(i >= 0 && i < featureCount)) return NaN;
        if (!isBehaviour[i]) set(i, values[start + 1 + nnz + k], c);
      }
      for (let b = 0; b < behaviourIndex.length; b++) set(behaviourIndex[b], behaviour[behaviourStart + b], c);
      if (demandIndex.length) {
        if (!keys || keysEnd <= keysStart) return NaN;
        demandFeaturesInto(demand, keys[keysStart], keys, keysStart + 1, keysEnd, dv);
        for (let q = 0; q < DEMAND_FEATURE_COUNT; q++) set(demandIndex[q], dv[q], c);
      }
      let raw = intercept;
      for (let j = 0; j < P; j++) raw += c[j];
      if (!cal) return raw;
      const score = calibrate(cal, raw);
      scaleContributions(cal, intercept, baseline, raw, score, c);
      return score;
    },
    top: ranker.top,
    reason: ranker.reason,
    reasons: ranker.reasons,
  };
}
