/**
 * Uplift models. References: sklearn 1.2 LogisticRegression(penalty=None) and roc_auc_score
 * (fixtures/experiments/uplift-reference.json, made by make-uplift-fixtures.py with
 * Debian's /usr/bin/python3); the Qini definition of Radcliffe (2007), computed by hand below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { seededRandom } from '../src/stats/rng.ts';
import { linearLearner, loadLearnerModel, logisticLearner } from '../src/uplift/learner.ts';
import { fitTLearner, fitXLearner, loadUpliftModel } from '../src/uplift/meta.ts';
import { auc, evaluateUplift } from '../src/uplift/evaluate.ts';
import { rankTargets, targetsCsv } from '../src/uplift/targeting.ts';

const ref = JSON.parse(fs.readFileSync(new URL('./fixtures/experiments/uplift-reference.json', import.meta.url), 'utf8'));

test('the logistic base learner matches sklearn LogisticRegression(penalty=None) within 2e-3 per coefficient', () => {
  const m = logisticLearner().fit(ref.X, ref.y).toJSON() as { weights: number[] };
  const expected = [ref.intercept, ...ref.coef];
  m.weights.forEach((w, i) => assert.ok(Math.abs(w - expected[i]) < 2e-3, `weight ${i}: ${w} vs ${expected[i]}`));
});

test('AUC matches sklearn roc_auc_score, ties averaged', () => {
  assert.equal(auc(ref.auc_example.score, ref.auc_example.y), ref.auc_example.auc);
  const p = logisticLearner().fit(ref.X, ref.y).predict(ref.X);
  assert.ok(Math.abs(auc(p, ref.y)! - ref.auc_of_fitted) < 1e-3);
});

test('learners reject bad input with RangeError and models round-trip through JSON', () => {
  assert.throws(() => logisticLearner().fit([[1]], [2]), RangeError);
  assert.throws(() => linearLearner().fit([], []), RangeError);
  const lin = linearLearner().fit([[0], [1], [2], [3]], [1, 3, 5, 7]);
  assert.ok(Math.abs(lin.predict([[10]])[0] - 21) < 1e-9, 'y = 2x + 1');
  const back = loadLearnerModel(JSON.parse(JSON.stringify(lin.toJSON())));
  assert.ok(Math.abs(back.predict([[10]])[0] - 21) < 1e-9);
  assert.throws(() => loadLearnerModel({ type: 'other' }), /not a learner model/);
  assert.throws(() => loadUpliftModel({ type: 'workship.scoring-model' }), /not an uplift model/);
});

test('Qini curve, AUUC and uplift@30% follow the definitions (hand-computed example)', () => {
  // Ranked: t1 (conv), c (no), t (no), c (conv). Q(k) = Y_t − Y_c·N_t/N_c.
  const e = evaluateUplift([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0], [1, 0, 0, 1], 4);
  assert.deepEqual(e.qini.map((p) => p.qini), [0, 1, 1, 1, 0]);
  assert.deepEqual(e.qini.map((p) => p.random), [0, 0, 0, 0, 0]);
  // Trapezoids 0.5 + 1 + 1 + 0.5 = 3 over N = 4 units, per unit of population: 3/4/4.
  assert.equal(e.auuc, 3 / 16);
  assert.equal(e.overall_uplift, 0);
  assert.equal(e.uplift_at_30, null, 'top 30% of 4 is one treated unit: no control to compare');
});

/** Units with a known per-unit effect: persuadables where x0 > 0.75, sleeping dogs where x0 < 0.2. */
function simulate(seed: number, n: number) {
  const rng = seededRandom(seed);
  const X: number[][] = [];
  const treated: number[] = [];
  const y: number[] = [];
  const tau: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [rng(), rng(), rng() < 0.4 ? 1 : 0];
    const base = 0.05 + 0.08 * x[1] + 0.03 * x[2];
    const effect = x[0] > 0.75 ? 0.25 : x[0] < 0.2 ? -0.03 : 0.01;
    const t = rng() < 0.5 ? 1 : 0;
    X.push(x);
    treated.push(t);
    tau.push(effect);
    y.push(rng() < base + t * effect ? 1 : 0);
  }
  return { X, treated, y, tau };
}

test('with a known per-unit effect, the top 30% ranked by each uplift model has at least twice the average true uplift', () => {
  const train = simulate(11, 8000);
  const hold = simulate(12, 4000);
  const meanTau = hold.tau.reduce((a, b) => a + b, 0) / hold.tau.length;
  const names = ['x0', 'x1', 'x2'];
  for (const model of [fitTLearner(train, names), fitXLearner(train, names)]) {
    const u = model.predict(hold.X).uplift;
    const order = u.map((_, i) => i).sort((a, b) => u[b] - u[a]);
    const top = order.slice(0, Math.round(0.3 * order.length));
    const topTau = top.reduce((a, i) => a + hold.tau[i], 0) / top.length;
    assert.ok(topTau >= 2 * meanTau, `${model.kind}: top-30% true uplift ${topTau.toFixed(4)} vs average ${meanTau.toFixed(4)}`);
    const ev = evaluateUplift(u, hold.treated, hold.y);
    const random = evaluateUplift(hold.X.map(() => 0).map((_, i) => (i * 7919) % 4000), hold.treated, hold.y);
    assert.ok(ev.qini_coefficient > random.qini_coefficient, `${model.kind}: Qini ${ev.qini_coefficient} vs arbitrary order ${random.qini_coefficient}`);
    assert.ok(ev.uplift_at_30! > ev.overall_uplift!, `${model.kind}: observed uplift@30 ${ev.uplift_at_30} vs overall ${ev.overall_uplift}`);
    const again = loadUpliftModel(JSON.parse(JSON.stringify(model.toJSON()))).predict(hold.X.slice(0, 5)).uplift;
    again.forEach((v, i) => assert.ok(Math.abs(v - u[i]) < 1e-12));
  }
});

test('the targeting list ranks by uplift and names the segments; CSV quotes unit ids', () => {
  const rows = rankTargets(['a', 'b,1', 'c', 'd'], { uplift: [0.001, 0.2, -0.05, 0.0], pTreatment: [0.5, 0.3, 0.1, 0.01], pControl: [0.499, 0.1, 0.15, 0.01], pConvert: [0.5, 0.1, 0.15, 0.01] });
  assert.deepEqual(rows.map((r) => [r.unit_id, r.rank, r.segment]), [['b,1', 1, 'persuadable'], ['a', 2, 'sure_thing'], ['d', 3, 'lost_cause'], ['c', 4, 'sleeping_dog']]);
  const csv = targetsCsv(rows).split('\n');
  assert.equal(csv[0], 'rank,unit_id,segment,uplift,p_treatment,p_control,p_convert');
  assert.ok(csv[1].startsWith('1,"b,1",persuadable,0.200000'));
});
