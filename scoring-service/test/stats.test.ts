import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  featureDrift, fitRaterBias, icc1, kFoldAssignment, krippendorffAlphaInterval, learningCurveSizes, mae, pairedBootstrapRmseDiff, pearson, psi,
  quantileSorted, ranks, rmse, rmseByGroup, sd, seededRandom, spearman, summarizeFeature, termsByBand,
} from '../src/stats/index.ts';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tol ${tol})`);

test('ranks, Spearman and Pearson match scipy.stats (rankdata average, spearmanr, pearsonr) to 1e-12', () => {
  const a = [1, 2, 2, 3, 5, 4, 4, 1];
  const b = [2, 1, 3, 3, 5, 5, 4, 2];
  assert.deepEqual([...ranks(a)], [1.5, 3.5, 3.5, 5, 8, 6.5, 6.5, 1.5]);
  close(spearman(a, b), 0.8641975308641975, 1e-12, 'spearman');
  close(pearson(a, b), 0.8726127252590852, 1e-12, 'pearson');
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])), 'constant input gives NaN like scipy');
  assert.throws(() => spearman([1, 2], [1]), RangeError);
});

test('rmse, mae, sd and quantiles match numpy (std ddof=1, quantile linear) to 1e-12', () => {
  const x = [3.1, 2.0, 5.5, 4.4, 1.2, 0.3, 9.9];
  close(sd(x), 3.2453629923909824, 1e-12, 'sd');
  close(quantileSorted([...x].sort((p, q) => p - q), 0.3), 1.84, 1e-12, 'quantile');
  close(rmse([1, 2, 3], [2, 2, 5]), Math.sqrt(5 / 3), 1e-15);
  close(mae([1, 2, 3], [2, 2, 5]), 1, 1e-15);
  const g = rmseByGroup([1, 2, 3, 4], [1, 3, 3, 2], ['a', 'b', 'a', 'b']);
  assert.deepEqual(g.map((r) => [r.group, r.n]), [['a', 2], ['b', 2]]);
  close(g[1].rmse, Math.sqrt((1 + 4) / 2), 1e-15);
  close(g[1].meanResidual, (-1 + 2) / 2, 1e-15);
});

test("Krippendorff's alpha (interval) reproduces Krippendorff (2011)'s worked example: 0.849", () => {
  // 4 observers × 12 units with missing values; "Computing Krippendorff's Alpha-Reliability", p. 3.
  const units = [[1, 1, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [5, 5, 5], [1, 1], [3]];
  close(krippendorffAlphaInterval(units), 0.849, 0.0005, 'alpha');
  assert.equal(krippendorffAlphaInterval([[1, 1], [2, 2], [5, 5]]), 1, 'perfect agreement');
  assert.ok(Number.isNaN(krippendorffAlphaInterval([[3]])), 'nothing pairable');
});

test('ICC(1,1) reproduces Shrout & Fleiss (1979) Table 2: 0.17', () => {
  const units = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]];
  close(icc1(units), 0.17, 0.005, 'ICC(1,1)');
});

test('annotator biases are recovered jointly with item quality (score = quality + bias), mean-zero by rating', () => {
  const rand = seededRandom(3);
  const truth = { a: 0.5, b: -0.4, c: -0.1 };
  const ratings = [];
  for (let i = 0; i < 400; i++) {
    const q = 1 + 4 * rand();
    const raters = Object.keys(truth).filter(() => rand() < 0.6);
    for (const r of raters.length ? raters : ['a']) ratings.push({ item: `i${i}`, rater: r, score: q + truth[r as keyof typeof truth] + 0.1 * (rand() - 0.5) });
  }
  const fit = fitRaterBias(ratings, { shrink: 0 });
  const meanTruth = ratings.reduce((s, r) => s + truth[r.rater as keyof typeof truth], 0) / ratings.length;
  for (const [r, b] of Object.entries(truth)) close(fit.bias.get(r)!, b - meanTruth, 0.02, `bias ${r}`);
  const weighted = ratings.reduce((s, r) => s + fit.bias.get(r.rater)!, 0) / ratings.length;
  close(weighted, 0, 1e-9, 'weighted mean bias');
});

test('paired bootstrap: seeded and reproducible; interval excludes zero only for a real difference', () => {
  const rand = seededRandom(9);
  const y = Array.from({ length: 300 }, () => 1 + 4 * rand());
  const a = y.map((v) => v + (rand() - 0.5) * 2);
  const better = y.map((v) => v + (rand() - 0.5) * 1);
  const d1 = pairedBootstrapRmseDiff(y, a, better, { seed: 1 });
  assert.deepEqual(d1, pairedBootstrapRmseDiff(y, a, better, { seed: 1 }));
  close(d1.diff, rmse(y, better) - rmse(y, a), 1e-12);
  assert.ok(d1.hi < 0 && d1.lo < d1.diff && d1.diff < d1.hi, JSON.stringify(d1));
  close(d1.relImprovement, (rmse(y, a) - rmse(y, better)) / rmse(y, a), 1e-12);
  const same = pairedBootstrapRmseDiff(y, a, a, { seed: 1 });
  assert.equal(same.lo, 0);
  assert.equal(same.hi, 0);
  const noisy = y.map((v) => v + (rand() - 0.5) * 2); // same error distribution as a, independent draws
  const d3 = pairedBootstrapRmseDiff(y, a, noisy, { seed: 2 });
  assert.ok(d3.lo < 0 && d3.hi > 0, 'equal-error models: the interval straddles zero');
});

test('PSI is ~0 for the same distribution and large for a shifted one; drift reports the shift', () => {
  const rand = seededRandom(4);
  const prev = Float64Array.from({ length: 5000 }, () => rand());
  const same = Float64Array.from({ length: 5000 }, () => rand());
  const shifted = Float64Array.from({ length: 5000 }, () => rand() + 0.5);
  const s = summarizeFeature('x', prev);
  assert.ok(psi(s, same) < 0.01);
  assert.ok(psi(s, shifted) > 0.25);
  const d = featureDrift([s], new Map([['x', shifted]]));
  close(d[0].standardizedShift, 0.5 / sd(prev), 0.05);
});

test('k-fold assignment is balanced and seeded; learning-curve sizes grow geometrically to the maximum', () => {
  const f = kFoldAssignment(103, 5, 7);
  const counts = [0, 0, 0, 0, 0];
  for (const k of f) counts[k]++;
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1);
  assert.deepEqual(f, kFoldAssignment(103, 5, 7));
  assert.notDeepEqual(f, kFoldAssignment(103, 5, 8));
  const sizes = learningCurveSizes(8000, { min: 30, points: 6 });
  assert.equal(sizes[0], 30);
  assert.equal(sizes.at(-1), 8000);
  assert.ok(sizes.every((v, i) => i === 0 || v > sizes[i - 1]));
});

test('comment terms are counted per score band', () => {
  const r = termsByBand([
    { tokens: ['実績', '不明'], score: 1 },
    { tokens: ['実績', '実績'], score: 2 },
    { tokens: ['丁寧'], score: 5 },
  ]);
  assert.deepEqual(r.low[0], { term: '実績', count: 3, docShare: 1 });
  assert.equal(r.high[0].term, '丁寧');
  assert.equal(r.lowDocs, 2);
});
