/**
 * Geometry of the pool in standardised feature space, used by acquisition.ts (which
 * re-exports these): z-scores, kernel density (representativeness) and the k-means
 * diversity batch (Zhdanov 2019, "diverse mini-batch active learning").
 */
import { mulberry32 } from '../demo/rng.ts';
import type { Scored } from './acquisition.ts';

/** Column-wise z-scores with the candidates' own mean and sd; constant columns become 0. */
export function standardize(X: readonly Float64Array[]): Float64Array[] {
  const n = X.length;
  if (!n) return [];
  const p = X[0].length;
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  for (const x of X) for (let j = 0; j < p; j++) mean[j] += x[j] / n;
  for (const x of X) for (let j = 0; j < p; j++) sd[j] += (x[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]);
  return X.map((x) => {
    const z = new Float64Array(p);
    for (let j = 0; j < p; j++) z[j] = sd[j] > 1e-12 ? (x[j] - mean[j]) / sd[j] : 0;
    return z;
  });
}

export function sqDist(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j] - b[j];
    s += d * d;
  }
  return s;
}

/**
 * Gaussian-kernel density of each point against a random reference sample (at most
 * `refs` points, so the cost is O(n · refs · p)), bandwidth² = median squared distance.
 * Scaled so the densest point is 1.
 */
export function density(Z: readonly Float64Array[], refs = 400, seed = 1): Float64Array {
  const n = Z.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const rng = mulberry32(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < Math.min(refs, n); i++) {
    const j = i + Math.floor(rng() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const ref = idx.slice(0, Math.min(refs, n)).map((i) => Z[i]);
  const d2 = Z.map((z) => ref.map((r) => sqDist(z, r)));
  const sample: number[] = [];
  for (let i = 0; i < Math.min(n, 200); i++) for (const v of d2[i]) if (v > 0) sample.push(v);
  sample.sort((a, b) => a - b);
  const h2 = sample.length ? sample[Math.floor(sample.length / 2)] : 1;
  let max = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const v of d2[i]) s += Math.exp(-v / h2);
    out[i] = s / ref.length;
    if (out[i] > max) max = out[i];
  }
  if (max > 0) for (let i = 0; i < n; i++) out[i] /= max;
  return out;
}

/**
 * A diverse batch of `k`: priority-weighted k-means (k-means++ start, a few Lloyd steps)
 * over the top `prefilter · k` candidates; from each cluster the member with the highest
 * priority × closeness to the centroid. Returns indices into `scored`, best first.
 */
export function selectBatch(scored: readonly Scored[], Z: readonly Float64Array[], k: number, options: { prefilter?: number; seed?: number } = {}): Scored[] {
  const o = { prefilter: options.prefilter ?? 8, seed: options.seed ?? 1 };
  const top = [...scored].sort((a, b) => b.priority - a.priority || a.index - b.index).slice(0, Math.max(k, Math.ceil(k * o.prefilter)));
  if (top.length <= k) return top;
  const rng = mulberry32(o.seed);
  const pts = top.map((s) => Z[s.index]);
  const w = top.map((s) => s.priority);
  const p = pts[0].length;
  // k-means++ seeding, weighted by priority.
  const centers: Float64Array[] = [Float64Array.from(pts[0])];
  const near = pts.map((x) => sqDist(x, centers[0]));
  while (centers.length < k) {
    let total = 0;
    for (let i = 0; i < pts.length; i++) total += near[i] * w[i];
    let r = rng() * total;
    let pick = pts.length - 1;
    for (let i = 0; i < pts.length; i++) {
      r -= near[i] * w[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    centers.push(Float64Array.from(pts[pick]));
    for (let i = 0; i < pts.length; i++) near[i] = Math.min(near[i], sqDist(pts[i], centers[centers.length - 1]));
  }
  const assign = new Int32Array(pts.length);
  for (let iter = 0; iter < 8; iter++) {
    for (let i = 0; i < pts.length; i++) {
      let best = 0;
      let bd = Infinity;
      for (let c = 0; c < k; c++) {
        const d = sqDist(pts[i], centers[c]);
        if (d < bd) {
          bd = d;
          best = c;
        }
      }
      assign[i] = best;
    }
    const sums = centers.map(() => new Float64Array(p));
    const wsum = new Float64Array(k);
    for (let i = 0; i < pts.length; i++) {
      const c = assign[i];
      wsum[c] += w[i];
      for (let j = 0; j < p; j++) sums[c][j] += w[i] * pts[i][j];
    }
    for (let c = 0; c < k; c++) if (wsum[c] > 0) for (let j = 0; j < p; j++) centers[c][j] = sums[c][j] / wsum[c];
  }
  const chosen: Scored[] = [];
  const taken = new Set<number>();
  for (let c = 0; c < k; c++) {
    let best = -1;
    let bd = Infinity;
    for (let i = 0; i < pts.length; i++) {
      if (assign[i] !== c || taken.has(i)) continue;
      const d = sqDist(pts[i], centers[c]);
      if (d < bd) {
        bd = d;
        best = i;
      }
    }
    if (best >= 0) {
      taken.add(best);
      chosen.push(top[best]);
    }
  }
  // Empty clusters: fill with the best remaining by priority.
  for (let i = 0; chosen.length < k && i < top.length; i++) if (!taken.has(i)) {
    taken.add(i);
    chosen.push(top[i]);
  }
  return chosen.sort((a, b) => b.priority - a.priority);
}

/**
 * A representative batch: greedy facility location (maximise Σ_r max_s k(r, s) over a
 * reference sample r of the pool, Gaussian kernel with the median-distance bandwidth), the
 * submodular k-medoids of the population. Without a model there is no uncertainty to go by;
 * the first labels should then cover the population the model will score: a central
 * profile of each region, the regions holding most profiles first (each reference counts
 * once), rather than only the densest core (the 'diverse' start). `pending` pool points
 * count as already chosen.
 * Returns positions into `candidates` (pool positions), in pick order.
 */
export function representativeBatch(Z: readonly Float64Array[], candidates: readonly number[], k: number, o: { refs?: number; maxCandidates?: number; seed?: number; pending?: readonly number[] } = {}): number[] {
  const rng = mulberry32(o.seed ?? 1);
  const draw = (from: readonly number[], m: number): number[] => {
    const a = [...from];
    const take = Math.min(m, a.length);
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(rng() * (a.length - i));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, take);
  };
  const refs = draw(Z.map((_, i) => i), o.refs ?? 500);
  const cands = draw(candidates, o.maxCandidates ?? 2000);
  if (!refs.length || !cands.length || k <= 0) return [];
  const d2 = (a: number, b: number) => sqDist(Z[a], Z[b]);
  const sample: number[] = [];
  for (let i = 0; i < Math.min(refs.length, 60); i++) for (let j = i + 1; j < Math.min(refs.length, 60); j++) sample.push(d2(refs[i], refs[j]));
  sample.sort((a, b) => a - b);
  const h2 = Math.max(sample.length ? sample[sample.length >> 1] : 1, 1e-12);
  const sim = (a: number, r: number) => Math.exp(-d2(a, r) / h2);
  const R = refs.length;
  const S = cands.map((c) => Float64Array.from(refs, (r) => sim(c, r)));
  const cover = new Float64Array(R);
  for (const p of o.pending ?? []) for (let r = 0; r < R; r++) cover[r] = Math.max(cover[r], sim(p, refs[r]));
  const chosen: number[] = [];
  const used = new Uint8Array(cands.length);
  for (let step = 0; step < Math.min(k, cands.length); step++) {
    let best = -1;
    let bestGain = -1;
    for (let c = 0; c < cands.length; c++) {
      if (used[c]) continue;
      let g = 0;
      const s = S[c];
      for (let r = 0; r < R; r++) if (s[r] > cover[r]) g += s[r] - cover[r];
      if (g > bestGain) [best, bestGain] = [c, g];
    }
    used[best] = 1;
    chosen.push(cands[best]);
    for (let r = 0; r < R; r++) cover[r] = Math.max(cover[r], S[best][r]);
  }
  return chosen;
}
