import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acquire, designFactor, ensembleFactor, poolView, type PoolCandidate } from '../src/annotation/acquisition.ts';
import { mulberry32, normal } from '../src/demo/rng.ts';

const poolCands = (n: number): PoolCandidate[] => Array.from({ length: n }, (_, p) => ({ id: `p${p}`, occupation: 'エンジニア', changed: false, pool: p }));

/**
 * 40 typical profiles whose member predictions move together (one shared direction) and one
 * atypical profile (density 0.01) whose members disagree 20 times more: the kind of profile a
 * rank-(members − 1) covariance overrates.
 */
function outlierPool() {
  const rng = mulberry32(8);
  const n = 41;
  const shared = Array.from({ length: 6 }, () => normal(rng));
  const preds = shared.map((s) => Float64Array.from({ length: n }, (_, p) => (p < 40 ? 3 + 0.3 * s + 0.05 * normal(rng) : 3 + 6 * normal(rng))));
  const Z = Array.from({ length: n }, (_, p) => Float64Array.from([p < 40 ? 0.01 * p : 9]));
  const dens = Float64Array.from({ length: n }, (_, p) => (p < 40 ? 1 : 0.01));
  return { n, view: poolView(Z, dens, preds, 0.3) };
}

test('shortlistShare: the variance reduction chooses among the best share by uncertainty × density, so an atypical high-variance profile is left out', () => {
  const { n, view } = outlierPool();
  const c = poolCands(n);
  const counts = new Map([['エンジニア', 30]]);
  const whole = acquire(view, c, counts, 2, { shortlistShare: 1, balanceBins: 0 }).batch.map((s) => c[s.index].pool);
  assert.ok(whole.includes(40), `with the whole pool the outlier is picked (${whole})`);
  const short = acquire(view, c, counts, 2, { shortlistShare: 0.25, prefilter: 1, balanceBins: 0 });
  const picks = short.batch.map((s) => c[s.index].pool);
  assert.equal(picks.length, 2);
  assert.ok(!picks.includes(40), `${picks}`);
  // The shortlist is the top quarter by priority: every pick ranks there.
  const order = [...short.all].sort((a, b) => b.priority - a.priority).map((s) => c[s.index].pool);
  for (const p of picks) assert.ok(order.indexOf(p) < Math.ceil(0.25 * n), `pick ${p} at rank ${order.indexOf(p)}`);
  assert.ok(short.batch.every((s) => s.why === 'uncertain' || s.why === 'representative'));
  // The share never shrinks the shortlist below prefilter × the batch.
  const floor = acquire(view, c, counts, 2, { shortlistShare: 0.01, prefilter: 3, balanceBins: 0 });
  assert.equal(floor.batch.length, 2);
});

test('clip: the design covariance is that of the served score clip(prediction, 1, 5)', () => {
  const preds = [Float64Array.from([6, 3, 0.2]), Float64Array.from([7, 3.5, 0.4]), Float64Array.from([8, 2.5, 0.1])];
  const Z = [0, 1, 2].map((i) => Float64Array.from([i]));
  const view = poolView(Z, new Float64Array(3).fill(1), preds, 0.3);
  const raw = designFactor(view, 'evr', 0)!.factor;
  const served = designFactor(view, 'evr', 1)!.factor;
  assert.deepEqual(raw.V, ensembleFactor(preds).V);
  const clipped = preds.map((p) => p.map((v) => Math.min(5, Math.max(1, v))));
  assert.deepEqual(served.V, ensembleFactor(clipped).V);
  // Above 5 and below 1 for every member: no served variance at all.
  for (const p of [0, 2]) for (let a = 0; a < served.K; a++) assert.equal(served.V[p * served.K + a], 0);
  assert.equal(designFactor(view, 'evr', 1), designFactor(view, 'evr', 1), 'built once per view and setting');
});

test('exploreRamp: the random share grows with the annotation count and is labelled exploration', () => {
  const { n, view } = outlierPool();
  const c = poolCands(n);
  const explored = (annotated: number) => acquire(view, c, new Map([['エンジニア', annotated]]), 10, { explore: 0.4, exploreRamp: 100, seed: 3 }).batch.filter((s) => s.why === 'exploration').length;
  assert.equal(explored(0), 0);
  assert.equal(explored(50), 2); // 0.4 · 50/100 · 10
  assert.equal(explored(100), 4);
  assert.equal(explored(400), 4, 'capped at explore');
  assert.equal(acquire(view, c, new Map([['エンジニア', 0]]), 10, { explore: 0.4, seed: 3 }).batch.filter((s) => s.why === 'exploration').length, 4, 'no ramp: the full share from the start');
});
