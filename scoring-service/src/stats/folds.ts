/** Seeded k-fold assignment and learning-curve sizes. */
import { seededRandom } from './rng.ts';

/** Fold index per row: a seeded shuffle dealt round-robin, so fold sizes differ by ≤ 1. */
export function kFoldAssignment(n: number, k: number, seed: number): Int32Array {
  if (k < 2 || k > n) throw new RangeError(`k must be in 2..${n}, got ${k}`);
  const order = Array.from({ length: n }, (_, i) => i);
  const rand = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const fold = new Int32Array(n);
  order.forEach((row, pos) => (fold[row] = pos % k));
  return fold;
}

/** Training-set sizes for a learning curve: geometric steps up to `max`, at least `min`. */
export function learningCurveSizes(max: number, o: { min?: number; points?: number } = {}): number[] {
  const min = Math.min(o.min ?? 30, max);
  const points = o.points ?? 6;
  if (max <= min) return [max];
  const out = new Set<number>();
  for (let i = 0; i < points; i++) out.add(Math.round(min * (max / min) ** (i / (points - 1))));
  return [...out].sort((a, b) => a - b);
}
