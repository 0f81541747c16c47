import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acquire, DEFAULTS, designFactor, ensembleFactor, gramOf, mixFactors, poolView, representativeBatch, selectByFactor, type PoolCandidate } from '../src/annotation/acquisition.ts';
import { fitUncertainty, ensemblePredictions, MIN_ROWS, type ModelKit } from '../src/annotation/ensemble.ts';
import { fakeKit } from './annotation-fixture.ts';
import { mulberry32, normal } from '../src/demo/rng.ts';

const cov = (f: { V: Float64Array; K: number }, a: number, b: number) => {
  let s = 0;
  for (let k = 0; k < f.K; k++) s += f.V[a * f.K + k] * f.V[b * f.K + k];
  return s;
};
const randomFactor = (n: number, K: number, seed: number) => {
  const rng = mulberry32(seed);
  return { V: Float64Array.from({ length: n * K }, () => normal(rng)), K, n };
};
const poolCands = (n: number): PoolCandidate[] => Array.from({ length: n }, (_, p) => ({ id: `p${p}`, occupation: 'エンジニア', changed: false, pool: p }));

test('the default is the ensemble variance reduction over the top sixth by priority, with the diverse cold start (bench/active-learning.ts)', () => {
  assert.equal(DEFAULTS.strategy, 'evr');
  assert.equal(DEFAULTS.ensembleShare, 0.5);
  assert.equal(DEFAULTS.coldStart, 'diverse');
  assert.equal(DEFAULTS.shortlistShare, 1 / 6);
  assert.equal(DEFAULTS.clip, 0);
  assert.equal(DEFAULTS.explore, 0);
});

test('mixFactors: the mixed factor’s v_a·v_b is Σ s_i · (F_i F_iᵀ)_ab (exact to 1e-12)', () => {
  const f1 = randomFactor(7, 3, 1);
  const f2 = randomFactor(7, 5, 2);
  const m = mixFactors([{ factor: f1, scale: 0.25 }, { factor: f2, scale: 2 }]);
  assert.equal(m.K, 8);
  for (let a = 0; a < 7; a++) for (let b = 0; b < 7; b++) assert.ok(Math.abs(cov(m, a, b) - (0.25 * cov(f1, a, b) + 2 * cov(f2, a, b))) < 1e-12);
  assert.throws(() => mixFactors([{ factor: f1, scale: 1 }, { factor: randomFactor(6, 2, 3), scale: 1 }]), /different pools/);
});

test('gramOf: G = Σ_p v_p v_pᵀ and GV rows = G v_p, computed once and cached on the factor', () => {
  const f = randomFactor(9, 4, 5);
  const { G, GV } = gramOf(f);
  for (let a = 0; a < 4; a++)
    for (let b = 0; b < 4; b++) {
      let s = 0;
      for (let p = 0; p < 9; p++) s += f.V[p * 4 + a] * f.V[p * 4 + b];
      assert.ok(Math.abs(G[a * 4 + b] - s) < 1e-12);
    }
  for (let p = 0; p < 9; p++)
    for (let a = 0; a < 4; a++) {
      let s = 0;
      for (let b = 0; b < 4; b++) s += G[a * 4 + b] * f.V[p * 4 + b];
      assert.ok(Math.abs(GV[p * 4 + a] - s) < 1e-12);
    }
  assert.equal(gramOf(f).G, G, 'cached');
});

test('hybrid: the design is ensembleShare·ensemble + (1 − share)·σ²·posterior with label noise σ²; the shown uncertainty mixes the same way', () => {
  const rng = mulberry32(9);
  const n = 6;
  const preds = Array.from({ length: 4 }, () => Float64Array.from({ length: n }, () => 3 + normal(rng)));
  const post = randomFactor(n, 3, 11);
  const Z = Array.from({ length: n }, (_, i) => Float64Array.from([i]));
  const sigma2 = 0.3;
  const view = poolView(Z, new Float64Array(n).fill(1), preds, sigma2, post, 0.25);
  const d = designFactor(view, 'hybrid')!;
  assert.equal(d.noise, sigma2);
  const ens = ensembleFactor(preds);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) assert.ok(Math.abs(cov(d.factor, a, b) - (0.25 * cov(ens, a, b) + 0.75 * sigma2 * cov(post, a, b))) < 1e-12);
    assert.ok(Math.abs(view.uncertainty![a] ** 2 - cov(d.factor, a, a)) < 1e-12, 'uncertainty = sqrt of the mixed variance');
  }
  assert.equal(designFactor(view, 'hybrid'), d, 'built once per view');
  // The batch is the greedy variance reduction on that covariance.
  const c = poolCands(n);
  const { batch } = acquire(view, c, new Map([['エンジニア', 5]]), 3, { strategy: 'hybrid', balanceBins: 0 });
  assert.deepEqual(batch.map((s) => c[s.index].pool), selectByFactor(d.factor, [0, 1, 2, 3, 4, 5], 3, sigma2).map((g) => g.index));
  // With one ingredient missing, hybrid uses the other (a kit without a design, or no ensemble).
  const onlyEnsemble = poolView(Z, new Float64Array(n).fill(1), preds, sigma2, null);
  assert.deepEqual(designFactor(onlyEnsemble, 'hybrid')!.factor.V, ens.V);
  const onlyPosterior = poolView(Z, new Float64Array(n).fill(1), null, sigma2, post);
  assert.deepEqual(designFactor(onlyPosterior, 'hybrid'), { factor: post, noise: 1 });
  assert.equal(designFactor(poolView(Z, new Float64Array(n).fill(1), null, 1, null), 'hybrid'), null);
});

test('fitUncertainty: one cross-validated fit; hybrid gets the posterior and an ensemble at the same penalty, posterior only the posterior, evr only the ensemble', () => {
  const rng = mulberry32(4);
  const X = Array.from({ length: 30 }, () => Float64Array.from([rng(), rng() * 2]));
  const y = X.map((x) => 1 + x[0] - x[1] + 0.2 * normal(rng));
  let cvFits = 0;
  let fixed = 0;
  const kit: ModelKit = {
    fit(Xf, yf, o) {
      if (o.alpha === undefined) cvFits++;
      else fixed++;
      return { ...fakeKit.fit(Xf, yf, { ...o, alpha: o.alpha ?? 2 }) };
    },
  };
  const h = fitUncertainty(X, y, kit, { strategy: 'hybrid', size: 5, seed: 3 });
  assert.equal(cvFits, 1);
  assert.equal(fixed, 5, 'five members at the cross-validated alpha');
  assert.ok(h.ensemble && h.posterior);
  assert.equal(h.ensemble.alpha, 2);
  assert.equal(h.noiseVar, h.posterior.noiseVar, 'σ² is the model’s own residual variance');
  assert.equal(ensemblePredictions(h.ensemble, X).length, 5);
  const p = fitUncertainty(X, y, kit, { strategy: 'posterior', size: 5, seed: 3 });
  assert.ok(p.posterior && !p.ensemble);
  const e = fitUncertainty(X, y, kit, { strategy: 'evr', size: 5, seed: 3 });
  assert.ok(e.ensemble && !e.posterior);
  assert.deepEqual(fitUncertainty(X.slice(0, MIN_ROWS - 1), y.slice(0, MIN_ROWS - 1), kit, { strategy: 'hybrid', size: 5, seed: 3 }), { ensemble: null, posterior: null, noiseVar: 1 });
});

test('representative cold start: facility location covers every cluster of the population, the largest first, before any outlier', () => {
  const rng = mulberry32(21);
  const at = (cx: number, cy: number) => Float64Array.from([cx + 0.2 * normal(rng), cy + 0.2 * normal(rng)]);
  // Clusters of 120 / 60 / 20 profiles and 10 scattered far-out profiles.
  const Z = [
    ...Array.from({ length: 120 }, () => at(0, 0)),
    ...Array.from({ length: 60 }, () => at(4, 0)),
    ...Array.from({ length: 20 }, () => at(0, 4)),
    ...Array.from({ length: 10 }, (_, i) => Float64Array.from([20 + 3 * i, -20])),
  ];
  const cluster = (p: number) => (p < 120 ? 'A' : p < 180 ? 'B' : p < 200 ? 'C' : 'O');
  const picks = representativeBatch(Z, Z.map((_, i) => i), 6, { seed: 2 });
  assert.equal(new Set(picks).size, 6);
  assert.deepEqual(picks.slice(0, 3).map(cluster), ['A', 'B', 'C'], picks.map(cluster).join(''));
  // Pending labels already cover their region: the next pick goes elsewhere.
  const next = representativeBatch(Z, Z.map((_, i) => i), 1, { seed: 2, pending: picks.slice(0, 3) });
  assert.equal(cluster(next[0]), 'O');
  // Through acquire(): used only before the model has data, with why = representative.
  const c = poolCands(Z.length);
  const cold = poolView(Z, new Float64Array(Z.length).fill(1), null, 1, null);
  const b = acquire(cold, c, new Map(), 3, { seed: 2, coldStart: 'representative' }).batch;
  assert.deepEqual(b.map((s) => cluster(c[s.index].pool)), ['A', 'B', 'C']);
  assert.ok(b.every((s) => s.why === 'representative'));
});
