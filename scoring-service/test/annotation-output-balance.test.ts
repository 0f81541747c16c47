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
