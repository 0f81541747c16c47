import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acquire, poolView, type PoolCandidate } from '../src/annotation/acquisition.ts';

/**
 * Two groups of ten profiles, each group's three member predictions moving along one shared,
 * orthogonal direction: group A (variance 1) and group B (variance 0.8). One label in A tells
 * about every A profile; how much depends on the label noise the conditioning assumes.
 */
function twoGroups(noiseVar = 1) {
  const n = 20;
  const a = [1, -1, 0];
  const b = [1, 1, -2].map((x) => x * Math.sqrt(0.8 / 3));
  const preds = [0, 1, 2].map((j) => Float64Array.from({ length: n }, (_, p) => 3 + (p < 10 ? a[j] : b[j])));
  const Z = Array.from({ length: n }, () => Float64Array.from([0]));
  const view = poolView(Z, Float64Array.from({ length: n }, () => 1), preds, noiseVar);
  const cands: PoolCandidate[] = Array.from({ length: n }, (_, p) => ({ id: `p${p}`, occupation: 'エンジニア', changed: false, pool: p }));
  return { view, cands };
}

const groupsOf = (noiseScale: number, noiseVar = 1) => {
  const { view, cands } = twoGroups(noiseVar);
  const { batch } = acquire(view, cands, new Map(), 2, { noiseScale, shortlistShare: 1, balanceBins: 0 });
  return batch.map((s) => (cands[s.index].pool < 10 ? 'A' : 'B'));
};

test('the conditioning noise scale decides whether a batch spreads: small noise explains a group away after one label', () => {
  assert.deepEqual(groupsOf(0.1), ['A', 'B'], 'one label in A removes most of A\'s variance, so the second pick goes to B');
  assert.deepEqual(groupsOf(10), ['A', 'A'], 'with noisy labels one A label leaves A the most uncertain');
  // The scale multiplies the estimated noise: 1 keeps the estimate.
  assert.deepEqual(groupsOf(1, 10), ['A', 'A']);
  assert.deepEqual(groupsOf(0.01, 10), ['A', 'B']);
});
