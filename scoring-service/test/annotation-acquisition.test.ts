import { test } from 'node:test';
import assert from 'node:assert/strict';
import { density, ensembleSpread, prioritize, selectBatch, selectByVarianceReduction, standardize, type Candidate } from '../src/annotation/acquisition.ts';
import { fitEnsemble, ensemblePredictions, MIN_ROWS } from '../src/annotation/ensemble.ts';
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
