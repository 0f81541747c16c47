import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acquire, density, ensembleSpread, poolView, prioritize, ridgePosteriorFactor, selectBatch, selectByFactor, selectByVarianceReduction, standardize, type Candidate, type PoolCandidate } from '../src/annotation/acquisition.ts';
import { fitEnsemble, ensemblePredictions, fitPosterior, MIN_ROWS } from '../src/annotation/ensemble.ts';
import { annotatorStats, localDay } from '../src/annotation/stats.ts';
import { fakeKit } from './annotation-fixture.ts';
import { mulberry32, normal } from '../src/demo/rng.ts';

const cand = (n: number, occupation = 'エンジニア'): Candidate[] => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, occupation, changed: false }));

test('ensembleSpread is the sample standard deviation across members (matches numpy std(ddof=1))', () => {
  const s = ensembleSpread([Float64Array.from([1, 2]), Float64Array.from([3, 2]), Float64Array.from([5, 2])]);
  assert.equal(s[0], 2); // np.std([1,3,5], ddof=1) == 2.0
  assert.equal(s[1], 0);
});

test('standardize gives columns of mean 0 and sd 1, constant columns 0', () => {
  const Z = standardize([Float64Array.from([1, 5]), Float64Array.from([3, 5]), Float64Array.from([5, 5])]);
  assert.deepEqual(Array.from(Z, (z) => z[1]), [0, 0, 0]);
  const col = Z.map((z) => z[0]);
  assert.ok(Math.abs(col.reduce((a, b) => a + b, 0)) < 1e-12);
  assert.ok(Math.abs(col.reduce((a, b) => a + b * b, 0) / 3 - 1) < 1e-12);
});

test('density is highest inside a cluster and lowest for an outlier', () => {
  const rng = mulberry32(3);
  const pts = Array.from({ length: 60 }, () => Float64Array.from([normal(rng) * 0.3, normal(rng) * 0.3]));
  pts.push(Float64Array.from([8, 8]));
  const d = density(pts);
  assert.ok(d[60] < 0.05, `outlier density ${d[60]}`);
  assert.equal(Math.max(...d), 1);
});

test('prioritize: uncertainty × density × occupation coverage, with the dominant reason', () => {
  const c = [...cand(3), { id: 'd', occupation: 'デザイナー', changed: false }, { id: 'ch', occupation: 'エンジニア', changed: true }];
  const dens = Float64Array.from([1, 1, 0.01, 1, 1]);
  const u = Float64Array.from([0.1, 0.5, 0.9, 0.1, 0.1]);
  const counts = new Map([['エンジニア', 50]]);
  const s = prioritize(c, dens, u, counts);
  assert.ok(s[1].priority > s[0].priority, 'more uncertain first');
  assert.ok(s[1].priority > s[2].priority, 'an isolated outlier is discounted by its density');
  assert.equal(s[1].why, 'uncertain');
  assert.equal(s[3].why, 'rare_occupation');
  assert.ok(s[3].priority > s[0].priority, 'an occupation without annotations is lifted');
  assert.equal(s[4].why, 'changed');
  assert.ok(s[4].priority > s[0].priority);
  const cold = prioritize(cand(2), Float64Array.from([1, 0.5]), null, new Map());
  assert.deepEqual(cold.map((x) => x.why), ['representative', 'representative']);
  assert.ok(cold[0].priority > cold[1].priority);
});

test('selectBatch spreads a batch over clusters instead of taking near-duplicates', () => {
  // Cluster A: 20 points with slightly higher priority; cluster B: 20 points far away.
  const rng = mulberry32(5);
  const Z = [
    ...Array.from({ length: 20 }, () => Float64Array.from([normal(rng) * 0.1, normal(rng) * 0.1])),
    ...Array.from({ length: 20 }, () => Float64Array.from([5 + normal(rng) * 0.1, 5 + normal(rng) * 0.1])),
  ];
  const scored = Z.map((_, i) => ({ index: i, priority: i < 20 ? 1.1 : 1, why: 'uncertain' as const, uncertainty: 1, density: 1, occupationAnnotations: 0 }));
  const batch = selectBatch(scored, Z, 2, { prefilter: 20 });
  assert.equal(batch.length, 2);
  assert.deepEqual(batch.map((b) => (b.index < 20 ? 'A' : 'B')).sort(), ['A', 'B']);
  const top2 = [...scored].sort((a, b) => b.priority - a.priority).slice(0, 2);
  assert.deepEqual(top2.map((b) => (b.index < 20 ? 'A' : 'B')), ['A', 'A'], 'pure ranking would take two from A');
});

test('the bootstrap ensemble disagrees more where the data are thin (extrapolation)', () => {
  const rng = mulberry32(11);
  const X = Array.from({ length: 60 }, () => Float64Array.from([rng() * 2, rng()]));
  const y = X.map((x) => 1 + x[0] + 0.3 * normal(rng));
  const e = fitEnsemble(X, y, fakeKit, { size: 10, seed: 2 });
  assert.ok(e);
  assert.equal(e.members.length, 10);
  const spread = ensembleSpread(ensemblePredictions(e, [Float64Array.from([1, 0.5]), Float64Array.from([10, 0.5])]));
  assert.ok(spread[1] > 3 * spread[0], `inside ${spread[0]}, far ${spread[1]}`);
  assert.equal(fitEnsemble(X.slice(0, MIN_ROWS - 1), y.slice(0, MIN_ROWS - 1), fakeKit), null);
});

test('annotator stats count today in Asia/Tokyo', () => {
  assert.equal(localDay('2026-11-19T15:30:00.000Z', 'Asia/Tokyo'), '2026-11-20');
  const s = annotatorStats(
    [
      { annotation_id: '1', freelancer_id: 'a', annotator: 'x', score: 3, created_at: '2026-11-19T15:30:00.000Z' },
      { annotation_id: '2', freelancer_id: 'b', annotator: 'x', score: 3, created_at: '2026-11-19T14:30:00.000Z' },
    ],
    new Date('2026-11-20T01:00:00.000Z'),
    'Asia/Tokyo',
  );
  assert.equal(s.annotators[0].today_count, 1);
  assert.equal(s.annotators[0].bias, null);
  assert.equal(s.overall.pairs, 0);
});

test('variance-reduction batches: the most informative first, then not its duplicate but what is still uncertain', () => {
  // Members × points. A and A2 are identical (the members disagree the same way); B disagrees
  // in another direction, a little less; C is certain (all members agree).
  const members = [
    Float64Array.from([3, 3, 2, 2]),
    Float64Array.from([1, 1, 2.9, 2]),
    Float64Array.from([2, 2, 1.1, 2]),
  ];
  const picks = selectByVarianceReduction(members, [0, 1, 2, 3], 3, 0.1);
  assert.equal(picks[0].index, 0, 'A has the largest gain (ties go to the first)');
  assert.equal(picks[1].index, 2, 'B before A2: labelling A already removed most of A2’s uncertainty');
  assert.ok(picks[1].gain < picks[0].gain);
  assert.equal(new Set(picks.map((p) => p.index)).size, 3);
  assert.deepEqual(selectByVarianceReduction(members, [3], 1, 0.1).map((p) => p.gain), [0], 'a point the members agree on gains nothing');
  // A label on the way for A (leased, not yet in the ensemble) already covers A2: B comes first.
  assert.equal(selectByVarianceReduction(members, [1, 2, 3], 1, 0.1, undefined, [0])[0].index, 2);
  // A boost (occupation coverage) can reorder.
  assert.equal(selectByVarianceReduction(members, [0, 2], 1, 0.1, (i) => (i === 2 ? 10 : 1))[0].index, 2);
});

// ---- acquire(): the queue's ordering, shared by ActiveQueue.rank and the benchmark ----------

/** Members × pool predictions: points 0–1 identical and most uncertain, 2 uncertain elsewhere, 3–5 certain. */
const members = [Float64Array.from([3, 3, 2, 2, 2, 2]), Float64Array.from([1, 1, 2.9, 2, 2, 2]), Float64Array.from([2, 2, 1.1, 2, 2, 2])];
const flatView = (predictions: Float64Array[] | null) => poolView(Array.from(members[0], (_, i) => Float64Array.from([i])), new Float64Array(6).fill(1), predictions, 0.1);
const poolCands = (pools: number[]): PoolCandidate[] => pools.map((p) => ({ id: `p${p}`, occupation: 'エンジニア', changed: false, pool: p }));

test('acquire (evr) takes the variance-reduction batch over the pool, in gain order, with the reasons of prioritize', () => {
  const view = flatView(members);
  const c = poolCands([0, 1, 2, 3, 4, 5]);
  const { batch, all } = acquire(view, c, new Map([['エンジニア', 10]]), 3);
  assert.equal(all.length, 6);
  assert.deepEqual(batch.map((s) => c[s.index].pool), selectByVarianceReduction(members, [0, 1, 2, 3, 4, 5], 3, 0.1).map((g) => g.index));
  assert.deepEqual(batch.slice(0, 2).map((s) => c[s.index].pool), [0, 2], 'not the duplicate of the first pick');
  assert.equal(batch[0].why, 'uncertain');
  assert.ok(batch[0].priority >= batch[1].priority, 'priority is the gain, best first');
  // A pending label (leased) on point 0 already covers its duplicate 1: 2 comes first.
  assert.equal(c[acquire(view, c.slice(1), new Map(), 1, { pending: [0] }).batch[0].index + 1].pool, 2);
});

test('acquire (density) spreads the batch with k-means over the pool features; without an ensemble the same holds', () => {
  const rng = mulberry32(5);
  const Z = [
    ...Array.from({ length: 20 }, () => Float64Array.from([normal(rng) * 0.1, normal(rng) * 0.1])),
    ...Array.from({ length: 20 }, () => Float64Array.from([5 + normal(rng) * 0.1, 5 + normal(rng) * 0.1])),
  ];
  const u = Float64Array.from(Z, (_, i) => (i < 20 ? 1.1 : 1));
  const view = { Z, dens: new Float64Array(40).fill(1), predictions: null, uncertainty: u, uncertaintyReference: 1, noiseVar: 1, factor: null, ensembleShare: 0.5 };
  const c = poolCands(Z.map((_, i) => i));
  const { batch } = acquire(view, c, new Map(), 2, { strategy: 'density', prefilter: 20 });
  assert.deepEqual(batch.map((s) => (c[s.index].pool < 20 ? 'A' : 'B')).sort(), ['A', 'B']);
  // The default strategy (evr) has no ensemble predictions here, so it falls back to the same.
  const fallback = acquire(view, c, new Map(), 2, { prefilter: 20 }).batch;
  assert.deepEqual(fallback.map((s) => s.index), batch.map((s) => s.index));
});

test('acquire: an exploration share is a seeded uniform draw, says so, and the informed picks work around it', () => {
  const view = flatView(members);
  const c = poolCands([0, 1, 2, 3, 4, 5]);
  const { batch } = acquire(view, c, new Map(), 5, { explore: 0.4, seed: 3 });
  assert.equal(batch.length, 5);
  assert.equal(new Set(batch.map((s) => s.index)).size, 5, 'no profile twice');
  const explored = batch.filter((s) => s.why === 'exploration');
  assert.equal(explored.length, 2, 'round(5 × 0.4)');
  assert.deepEqual(acquire(view, c, new Map(), 5, { explore: 0.4, seed: 3 }).batch.map((s) => s.index), batch.map((s) => s.index), 'deterministic for a seed');
  // Uniform: over many seeds every candidate is explored about equally often (binomial, n=3000, p=1/6: sd ≈ 20).
  const hits = new Array(6).fill(0);
  for (let seed = 1; seed <= 3000; seed++) hits[acquire(view, c, new Map(), 1, { explore: 1, seed }).batch[0].index]++;
  for (const h of hits) assert.ok(Math.abs(h - 500) < 100, `explored ${hits.join(',')}`);
  // With point 0 explored, the informed pick is not its duplicate 1.
  let seen = false;
  for (let seed = 1; seed < 200 && !seen; seed++) {
    const b = acquire(view, c, new Map(), 2, { explore: 0.5, seed }).batch;
    if (c[b[1].index].pool === 0 && b[1].why === 'exploration') {
      seen = true;
      assert.equal(c[b[0].index].pool, 2, 'the duplicate of an explored profile gains little');
    }
  }
  assert.ok(seen);
});

test('acquire: a random cold start draws a seeded uniform sample before the model has data, and only then', () => {
  const c = poolCands([0, 1, 2, 3, 4, 5]);
  const noModel = poolView(Array.from(members[0], (_, i) => Float64Array.from([i])), new Float64Array(6).fill(1), null, 0.1);
  const { batch } = acquire(noModel, c, new Map(), 3, { coldStart: 'random', seed: 4 });
  assert.equal(new Set(batch.map((s) => s.index)).size, 3);
  assert.ok(batch.every((s) => s.why === 'representative'));
  assert.deepEqual(acquire(noModel, c, new Map(), 3, { coldStart: 'random', seed: 4 }).batch.map((s) => s.index), batch.map((s) => s.index), 'deterministic for a seed');
  const hits = new Array(6).fill(0);
  for (let seed = 1; seed <= 3000; seed++) hits[acquire(noModel, c, new Map(), 1, { coldStart: 'random', seed }).batch[0].index]++;
  for (const h of hits) assert.ok(Math.abs(h - 500) < 100, `drawn ${hits.join(',')}`);
  // Once the model has data, the informed criterion takes over.
  const view = flatView(members);
  assert.deepEqual(acquire(view, c, new Map(), 3, { coldStart: 'random', seed: 4 }).batch.map((s) => s.index), acquire(view, c, new Map(), 3).batch.map((s) => s.index));
});

test('acquire: candidates outside the pool stand in only when the pool has none left', () => {
  const view = flatView(members);
  const c: PoolCandidate[] = [...poolCands([3]), { id: 'new', occupation: 'エンジニア', changed: false, pool: -1 }];
  assert.deepEqual(acquire(view, c, new Map(), 2).all.map((s) => c[s.index].id), ['p3']);
  const outside = acquire(view, [c[1]], new Map(), 1);
  assert.deepEqual(outside.batch.map((s) => s.why), ['representative']);
  assert.equal(acquire(null, c, new Map(), 2).batch.length, 2, 'no pool view yet: coverage ranking of everyone');
});

// ---- the ridge posterior (strategy 'posterior') ---------------------------------------------

/** Solves A x = b by Gauss–Jordan (small dense reference). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = 0; r < n; r++) if (r !== c) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((r, i) => r[n] / r[i]);
}

test('ridgePosteriorFactor: v_a·v_b = z̃_aᵀ (Z̃ᵀZ̃ + αI)⁻¹ z̃_b + 1/n (Bayesian ridge posterior / σ²)', () => {
  const rng = mulberry32(21);
  const Zt = Array.from({ length: 12 }, () => Float64Array.from([normal(rng), normal(rng), 2 * normal(rng)]));
  const Zp = Array.from({ length: 5 }, () => Float64Array.from([normal(rng), normal(rng), normal(rng)]));
  const alpha = 0.7;
  const f = ridgePosteriorFactor(Zt, alpha, Zp);
  assert.equal(f.K, 4);
  const mean = [0, 1, 2].map((j) => Zt.reduce((s, z) => s + z[j], 0) / Zt.length);
  const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => Zt.reduce((s, z) => s + (z[i] - mean[i]) * (z[j] - mean[j]), 0) + (i === j ? alpha : 0)));
  for (let a = 0; a < 5; a++)
    for (let b = 0; b < 5; b++) {
      const za = [0, 1, 2].map((j) => Zp[a][j] - mean[j]);
      const zb = [0, 1, 2].map((j) => Zp[b][j] - mean[j]);
      const x = solve(A, zb);
      const want = za.reduce((s, v, j) => s + v * x[j], 0) + 1 / Zt.length;
      let got = 0;
      for (let k = 0; k < f.K; k++) got += f.V[a * f.K + k] * f.V[b * f.K + k];
      assert.ok(Math.abs(got - want) < 1e-10, `cov(${a},${b}) ${got} vs ${want}`);
    }
});

test('strategy posterior: the fitted kit model gives the queue its covariance; far-out regions are uncertain, duplicates are not picked twice', () => {
  const rng = mulberry32(12);
  const X = Array.from({ length: 40 }, () => Float64Array.from([rng() * 2, rng()]));
  const y = X.map((x) => 1 + x[0] + 0.3 * normal(rng));
  const post = fitPosterior(X, y, fakeKit, 17);
  assert.ok(post, 'the fake kit exposes its design');
  assert.equal(fitPosterior(X.slice(0, MIN_ROWS - 1), y.slice(0, MIN_ROWS - 1), fakeKit), null);
  assert.equal(fitPosterior(X, y, { fit: (Xf, yf, o) => ({ ...fakeKit.fit(Xf, yf, o), design: undefined }) }), null, 'no design: the queue falls back to the ensemble');
  // Pool: 0 and 1 identical and far out, 2 far out in another direction, 3–5 inside the data.
  const P = [[10, 0.5], [10, 0.5], [1, 9], [1, 0.5], [1.2, 0.4], [0.8, 0.6]].map((x) => Float64Array.from(x));
  const view = poolView(P, new Float64Array(6).fill(1), null, post.noiseVar, post.factor(P));
  assert.ok(view.uncertainty![0] > 3 * view.uncertainty![3], `far ${view.uncertainty![0]}, inside ${view.uncertainty![3]}`);
  const c = poolCands([0, 1, 2, 3, 4, 5]);
  const { batch } = acquire(view, c, new Map(), 2, { strategy: 'posterior' });
  assert.deepEqual(batch.map((s) => c[s.index].pool).sort(), [0, 2], 'the duplicate 1 gains little once 0 is picked');
  assert.equal(batch[0].why, 'uncertain');
  assert.deepEqual(acquire(view, c, new Map(), 2, { strategy: 'evr' }).batch.length, 2, 'evr without ensemble predictions falls back to k-means');
});

test('selectByFactor (incremental updates) equals the direct greedy computation', () => {
  // Direct: Cov = V Vᵀ; gain(x) = Σ_p Cov(x,p)² / (s² + Cov(x,x)); condition by Cov −= c_x c_xᵀ / (s² + Cov(x,x)).
  const rng = mulberry32(8);
  const n = 30;
  const K = 4;
  const V = Float64Array.from({ length: n * K }, () => normal(rng));
  const C = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => [0, 1, 2, 3].reduce((s, k) => s + V[a * K + k] * V[b * K + k], 0)));
  const picks: number[] = [];
  for (let step = 0; step < 6; step++) {
    let best = -1;
    let bg = -Infinity;
    for (let x = 0; x < n; x++) {
      if (picks.includes(x)) continue;
      const g = C[x].reduce((s, v) => s + v * v, 0) / (0.5 + C[x][x]);
      if (g > bg) [best, bg] = [x, g];
    }
    picks.push(best);
    const cx = [...C[best]];
    const d = 0.5 + cx[best];
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) C[a][b] -= (cx[a] * cx[b]) / d;
  }
  assert.deepEqual(selectByFactor({ V, K, n }, Array.from({ length: n }, (_, i) => i), 6, 0.5).map((p) => p.index), picks);
});
