import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDemoPool, repetition } from '../bench/active-learning-lib.ts';
import { ridgePosteriorFactor, selectByFactor } from '../src/annotation/variance-reduction.ts';
import { trueQuality } from '../src/demo/hidden-rule.ts';
import { mulberry32 } from '../src/demo/rng.ts';

test('a repetition draws a disjoint split, random orders from the pool and one label per profile, the same every time', async () => {
  const { snapshots, X, p } = await loadDemoPool(120, 3);
  assert.equal(snapshots.length, 120);
  assert.equal(X[0].length, p);
  const o = { seed: 3, rep: 1, evalSize: 40, budget: 30, randomOrders: 3 };
  const r = repetition(snapshots, o);
  assert.equal(r.evalIdx.length, 40);
  assert.equal(r.pool.length, 80);
  assert.equal(new Set([...r.evalIdx, ...r.pool]).size, 120);
  assert.deepEqual(Array.from(r.truth), r.evalIdx.map((i) => trueQuality(snapshots[i])));
  const inPool = new Set(r.pool);
  assert.equal(r.orders.length, 3);
  for (const order of r.orders) {
    assert.equal(new Set(order).size, 30);
    assert.ok(order.every((i) => inPool.has(i)));
  }
  assert.notDeepEqual(r.orders[0], r.orders[1]);
  const again = repetition(snapshots, o);
  assert.deepEqual(again.evalIdx, r.evalIdx);
  assert.deepEqual(again.orders, r.orders);
  r.pool.slice(0, 10).forEach((i) => {
    const y = r.label(i);
    assert.ok(Number.isInteger(y) && y >= 1 && y <= 5);
    assert.equal(again.label(i), y);
  });
  assert.notDeepEqual(repetition(snapshots, { ...o, rep: 2 }).evalIdx, r.evalIdx);
});

test('the oracle design: with no rows the ridge factor is the prior, and the first greedy pick is the exact V-optimal one', () => {
  const rng = mulberry32(5);
  const Z = Array.from({ length: 30 }, () => Float64Array.from({ length: 4 }, () => rng() * 2 - 1 + (rng() < 0.1 ? 3 : 0)));
  const alpha = 2;
  const f = ridgePosteriorFactor([], alpha, Z);
  const prior = (a: Float64Array, b: Float64Array) => a.reduce((s, v, j) => s + (v * b[j]) / alpha, 0) + 1;
  for (const [a, b] of [[0, 1], [3, 3], [7, 29]]) {
    let got = 0;
    for (let k = 0; k < f.K; k++) got += f.V[a * f.K + k] * f.V[b * f.K + k];
    assert.ok(Math.abs(got - prior(Z[a], Z[b])) < 1e-12);
  }
  // Σ_p Cov(x, p)² / (noise + Var x), noise 1 on the factor's scale.
  const gain = (x: Float64Array) => Z.reduce((s, z) => s + prior(x, z) ** 2, 0) / (1 + prior(x, x));
  const best = Z.reduce((b, z, i) => (gain(z) > gain(Z[b]) ? i : b), 0);
  const [first] = selectByFactor(f, Z.map((_, i) => i), 3, 1);
  assert.equal(first.index, best);
  assert.ok(Math.abs(first.gain - gain(Z[best])) < 1e-9);
});
