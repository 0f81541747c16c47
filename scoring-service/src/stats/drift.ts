/** Distribution summaries of features and their drift between two training runs. */
import { mean, quantileSorted, sd } from './metrics.ts';

export interface FeatureSummary {
  name: string;
  mean: number;
  sd: number;
  /** Decile edges (10%..90%) of this run, reused as the bins of the next run's PSI. */
  edges: number[];
  /** Share of rows in each of the 10 bins cut by `edges`. */
  shares: number[];
}

function binShares(values: ArrayLike<number>, edges: number[]): number[] {
  const counts = new Array(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    let k = 0;
    while (k < edges.length && values[i] > edges[k]) k++;
    counts[k]++;
  }
  return counts.map((c) => c / (values.length || 1));
}

export function summarizeFeature(name: string, values: ArrayLike<number>): FeatureSummary {
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let q = 1; q < 10; q++) edges.push(quantileSorted(sorted, q / 10));
  const unique = [...new Set(edges)];
  return { name, mean: mean(values), sd: sd(values), edges: unique, shares: binShares(values, unique) };
}

/**
 * Population stability index of `current` against a previous summary's bins
 * (Σ (p − q)·ln(p/q), shares floored at 1e-4). Rule of thumb: < 0.1 stable, 0.1–0.25
 * moderate, > 0.25 large shift.
 */
export function psi(previous: FeatureSummary, current: ArrayLike<number>): number {
  const cur = binShares(current, previous.edges);
  let s = 0;
  for (let i = 0; i < cur.length; i++) {
    const p = Math.max(cur[i], 1e-4);
    const q = Math.max(previous.shares[i] ?? 0, 1e-4);
    s += (p - q) * Math.log(p / q);
  }
  return s;
}

export interface FeatureDrift {
  name: string;
  previousMean: number;
  currentMean: number;
  /** Mean shift in previous standard deviations. */
  standardizedShift: number;
  psi: number;
}

export function featureDrift(previous: FeatureSummary[], currentColumns: Map<string, ArrayLike<number>>): FeatureDrift[] {
  const out: FeatureDrift[] = [];
  for (const p of previous) {
    const col = currentColumns.get(p.name);
    if (!col) continue;
    const m = mean(col);
    out.push({ name: p.name, previousMean: p.mean, currentMean: m, standardizedShift: p.sd > 0 ? (m - p.mean) / p.sd : 0, psi: psi(p, col) });
  }
  return out.sort((a, b) => b.psi - a.psi);
}
