/**
 * Top reasons of a score: the model's per-column contributions summed per profile attribute
 * (features/attributes.ts), the n largest in absolute value. One implementation serves the
 * live model (online scores, the sidebar) and the sparse scorer (materialised scores), so
 * both give the same reasons bit for bit: sums are taken in model column order, attributes
 * summing to exactly 0 are skipped, ties go to the attribute seen first, contributions are
 * rounded to 4 decimals.
 */
import type { Reason } from '../domain/types.ts';
import type { FeatureDef } from '../features/featurizer.ts';
import { attributeGroups } from '../features/attributes.ts';

export interface ReasonRanker {
  /**
   * The top n attributes of the contributions c (model order): their indexes go to
   * out[at …] and their summed contributions to values[at …]; returns how many.
   */
  top(c: Float64Array, n: number, out: Int32Array, at: number, values: Float64Array): number;
  /** The Reason of attribute g with summed contribution v. */
  reason(g: number, v: number): Reason;
  reasons(c: Float64Array, n: number): Reason[];
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** The ranker of a model whose column j is the feature defs[j]. */
export function reasonRanker(defs: readonly Pick<FeatureDef, 'name' | 'label_ja' | 'label_en'>[]): ReasonRanker {
  const { groupOf, attributes } = attributeGroups(defs);
  const P = defs.length;
  const G = attributes.length;
  const sums = new Float64Array(G);
  let slots = new Int32Array(8);
  let slotValues = new Float64Array(8);
  const ranker: ReasonRanker = {
    top(c, n, out, at, values) {
      sums.fill(0);
      for (let j = 0; j < P; j++) sums[groupOf[j]] += c[j];
      let size = 0;
      for (let g = 0; g < G; g++) {
        const v = sums[g];
        if (v === 0) continue;
        const a = Math.abs(v);
        let k = size;
        while (k > 0 && Math.abs(values[at + k - 1]) < a) k--;
        if (k >= n) continue;
        for (let q = Math.min(size, n - 1); q > k; q--) {
          out[at + q] = out[at + q - 1];
          values[at + q] = values[at + q - 1];
        }
        out[at + k] = g;
        values[at + k] = v;
        if (size < n) size++;
      }
      return size;
    },
    reason: (g, v) => ({ feature: attributes[g].key, label: attributes[g].label_ja, label_en: attributes[g].label_en, contribution: round4(v) }),
    reasons(c, n) {
      if (n > slots.length) [slots, slotValues] = [new Int32Array(n), new Float64Array(n)];
      const size = ranker.top(c, n, slots, 0, slotValues);
      const out: Reason[] = new Array(size);
      for (let k = 0; k < size; k++) out[k] = ranker.reason(slots[k], slotValues[k]);
      return out;
    },
  };
  return ranker;
}
