import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossValidate } from '../src/training/cross-validate.ts';
import { realKit } from '../src/training/model-kit.ts';
import { kFoldAssignment } from '../src/stats/folds.ts';
import { clipScore, fitScoringModel, MIN_CALIBRATION_ROWS, predictScore } from '../src/model/scoring-model.ts';
import type { FeatureSpec } from '../src/features/featurizer.ts';
import type { TrainingSet } from '../src/training/dataset.ts';
import { mulberry32 } from '../src/stats/rng.ts';

const normal = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const spec: FeatureSpec = {
  version: 'fs-test-cal',
  features: ['a', 'b', 'c', 'd'].map((name) => ({ name, label_ja: name, label_en: name, group: 'profile' as const })),
};

/** Integer 1–5 ratings of a latent linear quality: bounded, so the calibration has a shape to learn. */
function data(n: number, seed: number) {
  const r = mulberry32(seed);
  const X = Array.from({ length: n }, () => Float64Array.from({ length: 4 }, () => normal(r)));
  const y = X.map((x) => Math.min(5, Math.max(1, Math.round(3 + 1.2 * x[0] - 0.8 * x[1] + 0.4 * x[2] + 0.5 * normal(r)))));
  return { X, y };
}

test('the outer cross-validation fits the calibration inside each outer fold: held-out predictions are those of a model fitted on the other folds alone', () => {
  const { X, y } = data(1300, 11); // outer training folds of 1,040 ≥ MIN_CALIBRATION_ROWS
  const weights = X.map(() => 1);
  const f = { spec, featurize: () => new Float64Array(4) };
  const penalties = { alpha: 1, rmse: 0 };
  const seed = 5;
  const cv = crossValidate(realKit, f, { examples: [] } as unknown as TrainingSet, X, y, weights, ['a', 'b', 'c', 'd'], seed, penalties, null);
  const fold = kFoldAssignment(X.length, 5, seed);
  assert.deepEqual(Array.from(cv.fold), Array.from(fold));
  const all = fitScoringModel(X, y, spec, { alpha: 1, seed }).model;
  let differs = 0;
  let splines = 0;
  for (let j = 0; j < 5; j++) {
    const train = X.flatMap((_, i) => (fold[i] === j ? [] : [i]));
    const m = fitScoringModel(train.map((i) => X[i]), train.map((i) => y[i]), spec, { alpha: 1, seed, weights: train.map(() => 1) }).model;
    assert.ok(m.calibration, `fold ${j}: a calibrated model`);
    if (m.calibration.knots.length >= 3) splines++;
    X.forEach((x, i) => {
      if (fold[i] !== j) return;
      assert.equal(cv.challenger[i], clipScore(predictScore(m, x)), `row ${i}`);
      if (Math.abs(cv.challenger[i] - clipScore(predictScore(all, x))) > 1e-9) differs++;
    });
  }
  assert.ok(splines >= 3, `${splines} of 5 outer folds have a spline calibration`);
  // A model (and calibration) fitted on every row would predict the held-out rows differently.
  assert.ok(differs > 900, `${differs} held-out predictions differ from the all-rows model`);
});

test('the served CV RMSE of a fit is the calibrated one and beats the uncalibrated out-of-fold RMSE on bounded ratings', () => {
  const { X, y } = data(1500, 12);
  const { model } = fitScoringModel(X, y, spec, { seed: 3 });
  assert.ok(model.cv.rmse < model.cv.raw_rmse!, `calibrated CV ${model.cv.rmse} vs raw ${model.cv.raw_rmse}`);
  const fresh = data(1500, 13);
  const rm = (p: (x: Float64Array) => number) => Math.sqrt(fresh.X.reduce((a, x, i) => a + (clipScore(p(x)) - fresh.y[i]) ** 2, 0) / fresh.y.length);
  const served = rm((x) => predictScore(model, x));
  const linear = rm((x) => {
    let s = model.intercept;
    model.coefficients.forEach((c, j) => (s += c * ((x[j] - model.standardization.mean[j]) / model.standardization.scale[j])));
    return s;
  });
  assert.ok(served < linear - 0.005, `served ${served} vs linear part ${linear} on fresh data`);
});

test('the calibration is kept only when its cross-fitted CV error beats the raw score, and can be forced either way', () => {
  // Bounded, curved ratings of 2,000 rows: the cross-fitted calibration pays.
  const { X, y } = data(2000, 21);
  const auto = fitScoringModel(X, y, spec, { seed: 3 }).model;
  assert.ok(auto.calibration && auto.calibration.knots.length > 0, 'a spline on curved data');
  assert.ok(auto.cv.rmse < auto.cv.raw_rmse!, `${auto.cv.rmse} < ${auto.cv.raw_rmse}`);
  // Fewer rows than MIN_CALIBRATION_ROWS: 'auto' keeps the raw ridge score (identity g).
  const r = mulberry32(8);
  const Xl = Array.from({ length: 60 }, () => Float64Array.from({ length: 4 }, () => normal(r)));
  const yl = Xl.map((x) => 3 + 0.3 * x[0] + 0.3 * normal(r));
  assert.ok(Xl.length < MIN_CALIBRATION_ROWS);
  const plain = fitScoringModel(Xl, yl, spec, { seed: 3 }).model;
  assert.deepEqual(plain.calibration?.coef, [0, 1]);
  assert.equal(plain.cv.rmse, plain.cv.raw_rmse);
  // Asked to decide anyway, the served CV error is never worse than the raw one.
  const decided = fitScoringModel(Xl, yl, spec, { seed: 3, calibrate: 'auto' }).model;
  assert.ok(decided.cv.rmse <= decided.cv.raw_rmse!);
  assert.equal(decided.cv.rmse === decided.cv.raw_rmse, decided.calibration?.coef.join() === '0,1');
  const never = fitScoringModel(X, y, spec, { seed: 3, calibrate: 'never' }).model;
  assert.deepEqual(never.calibration?.coef, [0, 1]);
  assert.equal(never.cv.rmse, never.cv.raw_rmse);
  const always = fitScoringModel(Xl, yl, spec, { seed: 3, calibrate: 'always' }).model;
  assert.notDeepEqual(always.calibration?.coef, [0, 1]);
});
