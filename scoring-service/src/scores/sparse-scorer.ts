/**
 * Scores stored (sparse) vectors bit for bit like ExplainingModel.contributionsOf, without
 * the dense vector: a feature at zero contributes coef × ((0 − mean) / scale), the same
 * expression evaluated once, so per row only the nonzero features and the behaviour
 * features (replaced from the activity summary) are computed, and the contributions are
 * summed in model order from the intercept exactly as predictRaw does.
 */
import type { Reason } from '../domain/types.ts';
import type { FeatureDef } from '../features/featurizer.ts';
import type { ScoringModelJson } from '../model/scoring-model.ts';

export interface SparseScorer {
  /**
   * Fills `c` (model order) and returns the raw score for the stored list values[start, end)
   * (packing.ts packList) with the behaviour features replaced by `behaviour`
   * (in behaviourIndex order). Returns NaN when the list is not a vector of the spec's length.
   */
  score(values: ArrayLike<number>, start: number, end: number, behaviour: ArrayLike<number>, c: Float64Array): number;
  /**
   * The same reasons as ExplainingModel.reasonsOf(c, n): the n largest |contribution|,
   * zeros skipped, ties to the earlier feature, contributions rounded to 4 decimals; found
   * in one pass with n slots instead of an array spliced per candidate.
   */
  reasons(c: Float64Array, n: number): Reason[];
}

export function sparseScorer(m: ScoringModelJson, features: readonly FeatureDef[], behaviourIndex: Int32Array): SparseScorer {
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
  const intercept = m.intercept;
  const slots = new Int32Array(16);

  const set = (i: number, x: number, c: Float64Array) => {
    for (let p = count[i]; p < count[i + 1]; p++) {
      const j = positions[p];
      c[j] = coef[j] * ((x - mean[j]) / scale[j]);
    }
  };

  return {
    score(values, start, end, behaviour, c) {
      const len = end - start;
      if (len < 1 || len % 2 !== 1 || values[start] !== featureCount) return NaN;
      const nnz = (len - 1) / 2;
      c.set(c0);
      for (let k = 0; k < nnz; k++) {
        const i = values[start + 1 + k];
        if (!(i >= 0 && i < featureCount)) return NaN;
        if (!isBehaviour[i]) set(i, values[start + 1 + nnz + k], c);
      }
      for (let b = 0; b < behaviourIndex.length; b++) set(behaviourIndex[b], behaviour[b], c);
      let raw = intercept;
      for (let j = 0; j < P; j++) raw += c[j];
      return raw;
    },
    reasons(c, n) {
      const top = n <= slots.length ? slots : new Int32Array(n);
      let size = 0;
      for (let j = 0; j < P; j++) {
        if (c[j] === 0) continue;
        const a = Math.abs(c[j]);
        let k = size;
        while (k > 0 && Math.abs(c[top[k - 1]]) < a) k--;
        if (k >= n) continue;
        for (let q = Math.min(size, n - 1); q > k; q--) top[q] = top[q - 1];
        top[k] = j;
        if (size < n) size++;
      }
      const out: Reason[] = new Array(size);
      for (let k = 0; k < size; k++) {
        const j = top[k];
        out[k] = { feature: defs[j].name, label: defs[j].label_ja, label_en: defs[j].label_en, contribution: Math.round(c[j] * 1e4) / 1e4 };
      }
      return out;
    },
  };
}
