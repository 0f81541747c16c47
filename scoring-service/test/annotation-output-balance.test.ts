import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acquire, poolView, type PoolCandidate } from '../src/annotation/acquisition.ts';
import { binQuotas, outputBins } from '../src/annotation/output-balance.ts';
import { mulberry32 } from '../src/demo/rng.ts';
import { ActiveQueue } from '../src/annotation/queue.ts';

test('binQuotas fills the bins the annotated set lacks, never beyond their candidates, and always hands out the whole batch it can', () => {
  assert.deepEqual(binQuotas([0, 0, 0, 0, 0], [9, 9, 9, 9, 9], 10), [2, 2, 2, 2, 2], 'empty: equal shares');
  // 20 annotated, all low: the next 25 go to the other bins (target 9 each).
  assert.deepEqual(binQuotas([20, 0, 0, 0, 0], [50, 50, 50, 50, 50], 25), [0, 7, 6, 6, 6]);
  const q = binQuotas([10, 2, 8, 0, 5], [50, 50, 50, 50, 50], 7);
  assert.equal(q.reduce((a, b) => a + b, 0), 7);
  assert.ok(q[3] >= q[1] && q[1] >= q[4] && q[0] === 0, JSON.stringify(q));
  // A bin without candidates passes its share on.
  const capped = binQuotas([0, 0, 0, 0, 0], [0, 1, 9, 9, 9], 10);
  assert.equal(capped.reduce((a, b) => a + b, 0), 10);
  assert.ok(capped[0] === 0 && capped[1] <= 1, JSON.stringify(capped));
  assert.deepEqual(binQuotas([0, 0], [1, 2], 10), [1, 2], 'fewer candidates than the batch: all of them');
});

test('outputBins cuts the pool into equal-count bins by the ensemble mean; no ensemble, no bins', () => {
  const n = 100;
  const members = [Float64Array.from({ length: n }, (_, i) => i), Float64Array.from({ length: n }, (_, i) => i + 2)];
  const view = poolView(Array.from({ length: n }, (_, i) => Float64Array.from([i])), new Float64Array(n).fill(1), members, 0.1);
  const bins = outputBins(view, 5)!;
  assert.deepEqual([0, 1, 2, 3, 4].map((b) => bins.filter((x) => x === b).length), [20, 20, 20, 20, 20]);
  assert.ok(bins[0] === 0 && bins[99] === 4 && bins[45] === 2);
  assert.equal(outputBins(view, 5), bins, 'cached per view');
  assert.equal(outputBins(poolView(view.Z, view.dens, null, 0.1), 5), null);
  assert.equal(outputBins(view, 1), null, 'one bin: off');
});

test("outputBins by 'scale' cuts equal widths of the 1–5 score scale, whatever the pool's distribution", () => {
  // Predictions crowd the middle: 80 of 100 at 3.0, the rest spread from 0.5 to 5.5.
  const mean = Array.from({ length: 100 }, (_, i) => (i < 80 ? 3 : 0.5 + (5 * (i - 80)) / 19));
  const members = [Float64Array.from(mean, (v) => v - 0.1), Float64Array.from(mean, (v) => v + 0.1)];
  const view = poolView(mean.map((v) => Float64Array.from([v])), new Float64Array(100).fill(1), members, 0.1);
  const scale = outputBins(view, 5, 'scale')!;
  assert.equal(scale.filter((b) => b === 2).length, 80 + mean.slice(80).filter((v) => v >= 2.6 && v < 3.4).length, 'the crowded middle is one bin');
  // Cuts at 1.8, 2.6, 3.4, 4.2: below the scale is the lowest bin, above it the highest.
  assert.deepEqual([scale[80], scale[99]], [0, 4]);
  for (let i = 80; i < 100; i++) {
    const v = mean[i];
    assert.equal(scale[i], v < 1.8 ? 0 : v < 2.6 ? 1 : v < 3.4 ? 2 : v < 4.2 ? 3 : 4, `prediction ${v.toFixed(2)}`);
  }
  assert.notDeepEqual(Array.from(outputBins(view, 5)!), Array.from(scale), 'quantile bins split the crowded middle instead');
  assert.equal(outputBins(view, 5, 'scale'), scale, 'cached per view and spacing');
});

test("acquire passes balanceBy on: with 'scale' each score level gets its share, however few profiles it has", () => {
  // Predictions crowd the low end: 1 + 4·(i/99)³, so the top two fifths of the scale (≥ 3.4) hold only about i ≥ 84.
  const n = 100;
  const rng = mulberry32(5);
  const members = Array.from({ length: 6 }, () => Float64Array.from({ length: n }, (_, i) => 1 + 4 * (i / 99) ** 3 + 0.2 * (rng() - 0.5)));
  const view = poolView(Array.from({ length: n }, (_, i) => Float64Array.from([i / n, (i % 7) / 7])), new Float64Array(n).fill(1), members, 0.05);
  const cands: PoolCandidate[] = Array.from({ length: n }, (_, k) => ({ id: `f${k}`, occupation: 'エンジニア', changed: false, pool: k }));
  const scale = outputBins(view, 5, 'scale')!;
  const top = (batch: { index: number }[]) => batch.filter((s) => scale[cands[s.index].pool] >= 3).length;
  assert.ok(scale.filter((b) => b >= 3).length <= 20, 'few profiles at the top of the scale');
  assert.equal(top(acquire(view, cands, new Map(), 10, { balanceBy: 'scale' }).batch), 4, 'two fifths of the batch at the top of the scale');
  assert.ok(top(acquire(view, cands, new Map(), 10, {}).batch) <= 3, 'quantile bins give them the pool\'s share');
});

// 200 profiles on a line; the ensemble is most uncertain at the low end (where variance
// reduction alone would keep going), predictions rise along the line.
function lineView() {
  const n = 200;
  const rng = mulberry32(9);
  const members = Array.from({ length: 8 }, () => {
    const bump = 3 * (rng() - 0.5);
    return Float64Array.from({ length: n }, (_, i) => 1 + 0.02 * i + (i < 60 ? bump * (1 - i / 60) : 0) + 0.05 * (rng() - 0.5));
  });
  return { n, view: poolView(Array.from({ length: n }, (_, i) => Float64Array.from([i / n])), new Float64Array(n).fill(1), members, 0.05) };
}

test('acquire balances the annotated set over the model output: with the low end already annotated, the batch goes to the rest', () => {
  const { n, view } = lineView();
  const bins = outputBins(view, 5)!;
  const annotated = Array.from({ length: 30 }, (_, i) => i); // all in the lowest bins
  const cands: PoolCandidate[] = Array.from({ length: n - 30 }, (_, k) => ({ id: `f${k + 30}`, occupation: 'エンジニア', changed: false, pool: k + 30 }));
  const low = (b: { index: number }[]) => b.filter((s) => bins[cands[s.index].pool] === 0).length;
  const off = acquire(view, cands, new Map([['エンジニア', 30]]), 10, { balanceBins: 0, annotated });
  const on = acquire(view, cands, new Map([['エンジニア', 30]]), 10, { annotated });
  assert.ok(low(off.batch) >= 3, `without the balance the uncertain low end keeps many picks (${low(off.batch)} of 10)`);
  assert.equal(low(on.batch), 0, 'with it, the lowest bin (already over its share) gets none');
  const perBin = [0, 1, 2, 3, 4].map((b) => on.batch.filter((s) => bins[cands[s.index].pool] === b).length);
  assert.ok(perBin.slice(1).every((c) => c >= 2), JSON.stringify(perBin));
  assert.equal(new Set(on.batch.map((s) => s.index)).size, 10);
  assert.deepEqual(acquire(view, cands, new Map([['エンジニア', 30]]), 10, { annotated, balanceBins: 5.7 }).batch.map((s) => s.index), on.batch.map((s) => s.index), 'a fractional bin count is floored');
  assert.ok(on.batch.every((s) => s.why === 'uncertain' || s.why === 'representative'));
});

test('the service queue maps the annotated freelancers to pool positions for the balance', () => {
  const { n, view } = lineView();
  const ids = Array.from({ length: n }, (_, i) => `f${String(i).padStart(3, '0')}`);
  const state = { ...view, signature: 's', ensembleKey: 'k', builtAt: 0, ids, index: new Map(ids.map((id, i) => [id, i])), trainedOn: new Set<string>() };
  const queue = new ActiveQueue(null as never, null as never, null as never, { cacheMinutes: 5, ensembleSize: 8, poolWaitMs: 0, poolMax: 1000 });
  const bins = outputBins(view, 5)!;
  const eligible = ids.slice(30).map((id) => ({ id, occupation: 'エンジニア' }));
  const low = (b: { freelancerId: string }[]) => b.filter((r) => bins[state.index.get(r.freelancerId)!] === 0).length;
  const counts = new Map([['エンジニア', 30]]);
  const told = queue.rank(state, eligible, new Set(), counts, 10, 1, [], ids.slice(0, 30));
  const untold = queue.rank(state, eligible, new Set(), counts, 10, 1, [], []);
  assert.equal(low(told.batch), 0, 'the 30 annotated low profiles fill the lowest bin');
  assert.equal(low(untold.batch), 2, 'not told, the lowest bin gets its equal share');
});
