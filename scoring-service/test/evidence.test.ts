import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fitStandardizer, standardize } from '../src/model/ridge.ts';
import { fitEvidence, penaltyBlocks } from '../src/model/evidence.ts';
import { clipScore, fitScoringModel, INTERACTION_SCALES, predictRaw } from '../src/model/scoring-model.ts';
import { evidenceOutOfFold, evidencePenalties } from '../src/model/evidence-cv.ts';
import { crossValidatePenalties, DEFAULT_ALPHAS, foldStatistics } from '../src/model/ridge-cv.ts';
import { foldsOf } from '../src/model/ridge.ts';
import { fixedPenalties } from '../src/training/cross-validate.ts';
import { fitUncertainty, type ModelKit } from '../src/annotation/ensemble.ts';
import { mulberry32, normal } from '../src/demo/rng.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';

const data = JSON.parse(fs.readFileSync(new URL('./fixtures/sklearn-ridge-diabetes.json', import.meta.url), 'utf8')) as { X: number[][]; y: number[] };
interface Ref { coef: number[]; intercept: number; lambda: number | number[]; tau: number }
const ref = JSON.parse(fs.readFileSync(new URL('./fixtures/sklearn-bayesian-ridge-diabetes.json', import.meta.url), 'utf8')) as {
  command: string; sklearn_version: string; bayesian_ridge: Ref; ard: Ref;
};

/** The centred, standardised problem of the diabetes data (StandardScaler, as the fixture). */
function diabetesProblem() {
  const Z = standardize(data.X, fitStandardizer(data.X));
  const n = Z.length;
  const p = Z[0].length;
  const yMean = data.y.reduce((a, b) => a + b, 0) / n;
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  let yss = 0;
  Z.forEach((z, i) => {
    const yc = data.y[i] - yMean;
    yss += yc * yc;
    for (let j = 0; j < p; j++) {
      xty[j] += z[j] * yc;
      for (let l = 0; l < p; l++) gram[j * p + l] += z[j] * z[l];
    }
  });
  return { sp: { p, gram, xty }, yss, n };
}

const close = (a: number, b: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${what}: ${a} vs scikit-learn ${b}`);

test('the fixture is scikit-learn 1.2, written by the recorded command', () => {
  assert.match(ref.sklearn_version, /^1\.2\./);
  assert.equal(ref.command, '/usr/bin/python3 scoring-service/bench/make_evidence_fixture.py');
});

test('one block is scikit-learn BayesianRidge: same precisions and coefficients on diabetes', () => {
  const { sp, yss, n } = diabetesProblem();
  const fit = fitEvidence(sp, yss, n, { blockOf: new Int32Array(sp.p), tol: 1e-10, maxIter: 5000 });
  assert.ok(fit.converged);
  close(fit.lambda[0], ref.bayesian_ridge.lambda as number, 1e-6, 'lambda');
  close(fit.tau, ref.bayesian_ridge.tau, 1e-6, 'tau');
  ref.bayesian_ridge.coef.forEach((c, j) => close(fit.coef[j], c, 1e-6, `coef[${j}]`));
  // The penalty in least-squares units is λ / τ for every column.
  fit.penalty.forEach((v) => close(v, fit.lambda[0] / fit.tau, 1e-12, 'penalty'));
});

test('one block per column is scikit-learn ARDRegression without pruning', () => {
  const { sp, yss, n } = diabetesProblem();
  const fit = fitEvidence(sp, yss, n, { blockOf: Int32Array.from({ length: sp.p }, (_, j) => j), tol: 1e-10, maxIter: 20000 });
  assert.ok(fit.converged);
  close(fit.tau, ref.ard.tau, 1e-4, 'tau');
  // Large precisions (near-zero coefficients) converge slowly in both: compare coefficients absolutely.
  ref.ard.coef.forEach((c, j) => assert.ok(Math.abs(fit.coef[j] - c) < 1e-3, `coef[${j}] ${fit.coef[j]} vs ${c}`));
  (ref.ard.lambda as number[]).forEach((l, j) => { if (l < 1) close(fit.lambda[j], l, 1e-3, `lambda[${j}]`); });
});

test('a block of pure noise columns is penalised far harder than a block that carries the signal', () => {
  const rng = mulberry32(11);
  const gauss = () => normal(rng);
  const n = 200;
  const X = Array.from({ length: n }, () => Array.from({ length: 30 }, gauss));
  const y = X.map((x) => 0.8 * x[0] - 0.5 * x[1] + 0.3 * x[2] + 0.5 * gauss());
  const Z = standardize(X, fitStandardizer(X));
  const p = 30;
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  let yss = 0;
  Z.forEach((z, i) => {
    yss += (y[i] - yMean) ** 2;
    for (let j = 0; j < p; j++) {
      xty[j] += z[j] * (y[i] - yMean);
      for (let l = 0; l < p; l++) gram[j * p + l] += z[j] * z[l];
    }
  });
  const blockOf = Int32Array.from({ length: p }, (_, j) => (j < 3 ? 0 : 1));
  const fit = fitEvidence({ p, gram, xty }, yss, n, { blockOf });
  assert.ok(fit.converged, `converged in ${fit.iterations} iterations`);
  assert.ok(fit.lambda[1] > 100 * fit.lambda[0], `noise block λ ${fit.lambda[1]} vs signal block λ ${fit.lambda[0]}`);
  // The noise precision is about 1 / 0.5².
  assert.ok(Math.abs(1 / Math.sqrt(fit.tau) - 0.5) < 0.06, `noise sd ${1 / Math.sqrt(fit.tau)}`);
  assert.ok(Math.abs(fit.coef[0] - 0.8) < 0.1 && Math.abs(fit.coef[1] + 0.5) < 0.1);
});

test('bad blocks and empty problems are refused with a message', () => {
  const { sp, yss, n } = diabetesProblem();
  assert.throws(() => fitEvidence(sp, yss, n, { blockOf: new Int32Array(3) }), /blockOf has 3 entries, the problem has 10 columns/);
  assert.throws(() => fitEvidence(sp, yss, n, { blockOf: [0, 0, 0, 0, 0, 0, 0, 0, 0, -1] }), /blockOf\[9\] must be an integer ≥ 0, got -1/);
  assert.throws(() => fitEvidence(sp, yss, 0, { blockOf: new Int32Array(10) }), /need rows/);
});

test('penalty blocks group the columns derived from one quantity', () => {
  const { blockOf, names } = penaltyBlocks([
    { name: 'text_chars_log', group: 'text' }, { name: 'text_chars_over_400', group: 'text' }, { name: 'has_portfolio', group: 'profile' },
    { name: 'portfolio_log', group: 'profile' }, { name: 'has_photo', group: 'profile' }, { name: 'occ_engineer_x_frontend', group: 'interaction' },
    { name: 'occ_designer_x_visual', group: 'interaction' }, { name: 'occ_engineer', group: 'profile' },
  ]);
  assert.deepEqual(names, ['text', 'portfolio', 'photo', 'interaction', 'occ']);
  assert.deepEqual(Array.from(blockOf), [0, 0, 1, 1, 2, 3, 3, 4]);
});

test('fitScoringModel sets penalties by evidence by default; fixed column scales reproduce that fit (the queue ensemble)', async () => {
  const spec = (await loadFeaturizer()).spec;
  const p = spec.features.length;
  const rand = mulberry32(5);
  const X = Array.from({ length: p + 40 }, () => Float64Array.from({ length: p }, (_, j) => (j % 7 === 0 ? rand() * 3 : rand() < 0.2 ? 1 : 0)));
  const y = X.map((x) => Math.min(5, Math.max(1, Math.round(2 + x[0] + 0.5 * x[7] + (rand() - 0.5)))));
  const { model } = fitScoringModel(X, y, spec, { seed: 3 });
  assert.equal(model.cv.penalties, 'evidence');
  assert.equal(model.cv.column_scales?.length, p);
  const blocks = model.cv.block_penalties!;
  assert.ok(Object.keys(blocks).includes('interaction') && Object.keys(blocks).includes('text'));
  const again = fitScoringModel(X, y, spec, { seed: 3, alpha: model.alpha, columnScales: model.cv.column_scales }).model;
  assert.equal(again.cv.penalties, 'fixed');
  X.slice(0, 10).forEach((x) => assert.ok(Math.abs(predictRaw(again, x) - predictRaw(model, x)) < 1e-9));
  const cv = fitScoringModel(X, y, spec, { seed: 3, penalties: 'cv' }).model;
  assert.equal(cv.cv.penalties, 'cv');
  assert.equal(cv.cv.column_scales, undefined);
  assert.throws(() => fitScoringModel(X, y, spec, { alpha: 1, columnScales: [1, 2] }), new RegExp(`columnScales has 2 entries, the model has ${p} columns`));
});

test('with fewer rows than columns the evidence is kept only when its honest out-of-fold error beats the grid', async () => {
  const spec = (await loadFeaturizer()).spec;
  const p = spec.features.length;
  const features = spec.features;
  const seen = new Set<string>();
  for (const [seed, n, signal] of [[5, 60, 0], [6, 200, 1], [7, 120, 1], [8, 80, 0]] as const) {
    const rand = mulberry32(seed);
    const X = Array.from({ length: n }, () => Float64Array.from({ length: p }, (_, j) => (j % 7 === 0 ? rand() * 3 : rand() < 0.2 ? 1 : 0)));
    const y = X.map((x) => Math.min(5, Math.max(1, Math.round(2.5 + signal * (x[0] + 0.5 * x[7]) + 1.5 * (rand() - 0.5)))));
    const model = fitScoringModel(X, y, spec, { seed: 3 }).model;
    // The same comparison by hand: the evidence refit per fold against the grid's CV, served (clipped) scores.
    const stats = foldStatistics(X, y, foldsOf(n, 5, 3), 5);
    const ev = evidencePenalties(stats, features);
    const oof = evidenceOutOfFold(X, stats, features, ev.fit);
    const served = (o: ArrayLike<number>) => Math.sqrt(y.reduce((a, v, i) => a + (clipScore(o[i]) - v) ** 2, 0) / n);
    const grid = crossValidatePenalties(X, y, stats, DEFAULT_ALPHAS, INTERACTION_SCALES.map((sc) => Float64Array.from(features, (f) => (f.group === 'interaction' ? sc : 1))), undefined, served);
    const expected = served(oof) <= grid.rmse ? 'evidence' : 'cv';
    assert.equal(model.cv.penalties, expected, `n = ${n}: evidence ${served(oof)} vs grid ${grid.rmse}`);
    assert.equal(model.cv.block_penalties === undefined, expected === 'cv');
    seen.add(expected);
  }
  assert.deepEqual([...seen].sort(), ['cv', 'evidence'], 'the cases exercise both outcomes');
});

test('evidence penalties are held fixed where the final fit is reused: the outer folds and the queue ensemble members', async () => {
  assert.deepEqual(fixedPenalties({ alpha: 9, rmse: 0.5, interactionScale: 1, columnScales: [1, 0.5] }), { alpha: 9, columnScales: [1, 0.5] });
  assert.deepEqual(fixedPenalties({ alpha: 3, rmse: 0.5, interactionScale: 0.1 }), { alpha: 3, interactionScales: [0.1] });
  const seen: unknown[] = [];
  const kit: ModelKit = {
    fit(_X, _y, o) {
      seen.push(o.alpha === undefined ? 'tuned' : { alpha: o.alpha, columnScales: o.columnScales });
      return { alpha: 7, columnScales: [2, 3], predict: () => 3 };
    },
  };
  const X = Array.from({ length: 12 }, (_, i) => Float64Array.of(i, i % 3));
  const u = fitUncertainty(X, X.map((x) => x[0]), kit, { strategy: 'evr', size: 3, seed: 1 });
  assert.equal(u.ensemble?.members.length, 3);
  assert.deepEqual(seen, ['tuned', ...Array(3).fill({ alpha: 7, columnScales: [2, 3] })]);
});
