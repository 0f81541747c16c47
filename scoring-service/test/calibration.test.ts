import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrate, fitCalibration, outOfFoldRaw, scaledContributions, sqlCalibration } from '../src/model/calibration.ts';
import { fitStandardizer, foldsOf, ridgeFit, standardize } from '../src/model/ridge.ts';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { mulberry32 } from '../src/stats/rng.ts';

/** mulberry32, so every synthetic set is the same on every run. */
const rng = mulberry32;
const normal = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/** Integer 1–5 ratings of a latent quality, and a linear score that sees the latent quality shrunk. */
function boundedRatings(n: number, seed: number) {
  const r = rng(seed);
  const raw: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const q = 3 + 1.3 * normal(r);
    y.push(Math.min(5, Math.max(1, Math.round(q + 0.5 * normal(r)))));
    raw.push(3 + 0.6 * (q - 3));
  }
  return { raw, y };
}
const rmse = (p: number[], y: number[]) => Math.sqrt(p.reduce((a, v, i) => a + (v - y[i]) ** 2, 0) / y.length);
const clip = (v: number) => Math.min(5, Math.max(1, v));

test('calibration bends a linear score to bounded 1–5 ratings: lower RMSE than the raw score on fresh data, monotone', () => {
  const fit = boundedRatings(3000, 1);
  const fresh = boundedRatings(3000, 2);
  const c = fitCalibration(fit.raw, fit.y);
  assert.equal(c.knots.length, 4);
  const before = rmse(fresh.raw.map(clip), fresh.y);
  const after = rmse(fresh.raw.map((v) => clip(calibrate(c, v))), fresh.y);
  // The raw score is compressed (slope 0.6 of the truth), so the calibration must gain clearly.
  assert.ok(after < before - 0.05, `calibrated RMSE ${after} should be well below raw ${before}`);
  for (let v = c.range[0], prev = -Infinity; v <= c.range[1]; v += 0.01) {
    const g = calibrate(c, v);
    assert.ok(g >= prev - 1e-9, `g decreases at ${v}`);
    prev = g;
  }
});

test('an already calibrated linear score is left as it is (identity within 1e-9)', () => {
  const r = rng(3);
  const raw = Array.from({ length: 500 }, () => 1 + 4 * r());
  const c = fitCalibration(raw, raw);
  for (const v of [1, 2.2, 3, 4.7, 5]) assert.ok(Math.abs(calibrate(c, v) - v) < 1e-9, `g(${v}) = ${calibrate(c, v)}`);
});

test('a score that falls as the raw score rises is never learned: falls back to the identity', () => {
  const raw = Array.from({ length: 200 }, (_, i) => 1 + i / 50);
  const c = fitCalibration(raw, raw.map((v) => 6 - v));
  assert.deepEqual(c.knots, []);
  assert.deepEqual(c.coef, [0, 1]);
  assert.equal(calibrate(c, 3.3), 3.3);
});

test('too few rows for a spline give a linear calibration; mismatched lengths are refused', () => {
  const c = fitCalibration([1, 2, 3, 4, 5], [1.5, 2, 3, 4, 4.5]);
  assert.deepEqual(c.knots, []);
  assert.ok(c.coef[1] > 0);
  assert.throws(() => fitCalibration([1, 2], [1]), RangeError);
});

test('scaled contributions stay exact: g(r0) + Σ contributions = g(raw) within 1e-12, signs kept', () => {
  const { raw, y } = boundedRatings(2000, 4);
  const c = fitCalibration(raw, y);
  const r0 = 2.9;
  for (const contribs of [[0.4, -0.1, 0.25], [-0.8, -0.3, 0.05], [0, 0, 0]]) {
    const x = Float64Array.from(contribs);
    const rawScore = r0 + contribs.reduce((a, b) => a + b, 0);
    const { base, score } = scaledContributions(c, r0, rawScore, x);
    assert.ok(Math.abs(base + x.reduce((a, b) => a + b, 0) - score) < 1e-12);
    assert.ok(Math.abs(score - calibrate(c, rawScore)) < 1e-12);
    contribs.forEach((v, j) => assert.ok(Math.sign(x[j]) === Math.sign(v)));
  }
});

test('sqlCalibration computes g in DuckDB equal to calibrate() within 1e-9', async () => {
  const { raw, y } = boundedRatings(2000, 5);
  const c = fitCalibration(raw, y);
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    for (const v of [0.2, 1.7, 2.95, 3.4, 4.9, 6]) {
      const [row] = await w.query<{ g: number }>(`SELECT ${sqlCalibration(c, 'CAST(@r AS DOUBLE)')} AS g`, { r: v });
      assert.ok(Math.abs(Number(row.g) - calibrate(c, v)) < 1e-9, `SQL g(${v}) = ${row.g}, JS ${calibrate(c, v)}`);
    }
  } finally {
    await w.close();
  }
});

test('outOfFoldRaw predicts each row from a ridge fit without its fold (matches a direct fit on the other folds)', () => {
  const r = rng(6);
  const X = Array.from({ length: 60 }, () => Float64Array.from({ length: 3 }, () => normal(r)));
  const y = X.map((x) => 1 + 2 * x[0] - x[1] + 0.3 * normal(r));
  const oof = outOfFoldRaw(X, y, { alpha: 1, folds: 4, seed: 9 });
  const fold = foldsOf(60, 4, 9);
  const tr = X.flatMap((x, i) => (fold[i] === 2 ? [] : [i]));
  const st = fitStandardizer(tr.map((i) => X[i]));
  const fit = ridgeFit(standardize(tr.map((i) => X[i]), st), tr.map((i) => y[i]), 1);
  X.forEach((x, i) => {
    if (fold[i] !== 2) return;
    const z = standardize([x], st)[0];
    const direct = fit.intercept + z.reduce((a, v, j) => a + v * fit.coef[j], 0);
    assert.ok(Math.abs(oof[i] - direct) < 1e-9);
  });
});
