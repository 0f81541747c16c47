/**
 * One batch of stored vectors scored by the sparse scorer, as plain typed arrays so the work
 * can run on a worker thread and come back by transfer: the score before clipping and the
 * top reasons' attributes with their exact summed contributions per row. The calling thread
 * turns attributes into Reason objects (SparseScorer.reason), so the result is the same
 * whichever thread scored.
 */
import type { SparseScorer } from './sparse-scorer.ts';

export interface ScoreBatchInput {
  rows: number;
  /** The batch's stored lists (port.ts FlatLists). */
  offsets: Uint32Array;
  values: Float64Array;
  /** rows × behaviourWidth behaviour features, row after row (behaviourIndex order). */
  behaviour: Float64Array;
  behaviourWidth: number;
  /** The batch's stored skill keys (feature store skill_keys, port.ts FlatLists): needed when the spec has demand features. */
  keys?: { offsets: Uint32Array; values: Float64Array };
  /** Reasons per row. */
  topN: number;
}

export interface ScoreBatchResult {
  /** Score before clipping per row; NaN for a stored list of the wrong shape. */
  raw: Float64Array;
  /** rows × topN reason attributes (−1 past the row's count) and their summed contributions. */
  top: Int32Array;
  contributions: Float64Array;
}

export function scoreBatch(scorer: SparseScorer, c: Float64Array, b: ScoreBatchInput): ScoreBatchResult {
  const { rows, offsets, values, behaviour, behaviourWidth: B, topN, keys } = b;
  const raw = new Float64Array(rows);
  const top = new Int32Array(rows * topN).fill(-1);
  const contributions = new Float64Array(rows * topN);
  for (let r = 0; r < rows; r++) {
    raw[r] = keys
      ? scorer.score(values, offsets[r], offsets[r + 1], behaviour, c, r * B, keys.values, keys.offsets[r], keys.offsets[r + 1])
      : scorer.score(values, offsets[r], offsets[r + 1], behaviour, c, r * B);
    if (Number.isNaN(raw[r])) continue;
    const at = r * topN;
    scorer.top(c, topN, top, at, contributions);
  }
  return { raw, top, contributions };
}
