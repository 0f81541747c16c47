/**
 * How far any queue could go with this model (issue 4's bar: the active queue reaches random
 * order's RMSE at 500 with ≤ 350 annotations). The oracle design knows what no queue can: the
 * prior and the noise, taken from the served model fit on every pool label of the repetition.
 * Under that prior it picks the pool greedily by exact expected variance reduction (the
 * V-optimal design; the ridge posterior through the queue's own selectByFactor), and the
 * served model is then fit on its first n picks and scored on the evaluation set, as in
 * active-learning.ts, on the same splits, labels and random orders (active-learning-lib.ts).
 *
 * Two figures per repetition: the model's own account (the ridge posterior's integrated
 * variance over the pool, the Bayes risk if the model were right) and the measured RMSE against
 * the hidden rule. Where they disagree, the gap is what design cannot buy: the model's
 * misspecification, whose bias grows where the sample departs from the population.
 *
 * Flags: --freelancers N (4000) --reps R (8) --seed S (42) --random-orders K (4)
 *   --features-cache FILE (dev only). Writes bench-results/active-learning-oracle.json
 *   (other seeds -seed<S>.json).
 */
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { clipScore, fitScoringModel, predictScore, type ScoringModelJson } from '../src/model/scoring-model.ts';
import { ENSEMBLE_SEED } from '../src/annotation/queue.ts';
import { ridgePosteriorFactor, selectByFactor } from '../src/annotation/variance-reduction.ts';
import { loadDemoPool, repetition } from './active-learning-lib.ts';
import { writeResult } from './result.ts';

const flag = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const cacheAt = process.argv.indexOf('--features-cache');
const N = flag('freelancers', 4000);
const REPS = flag('reps', 8);
const SEED = flag('seed', 42);
const RANDOM_ORDERS = Math.max(1, flag('random-orders', 4));
const EVAL = 1000;
const BUDGET = 500;
const GOAL = 350;
const CHECKPOINTS = Array.from({ length: 13 }, (_, k) => 200 + 25 * k);

const t0 = Date.now();
const spec = (await loadFeaturizer()).spec;
const data = await loadDemoPool(N, SEED, cacheAt >= 0 ? process.argv[cacheAt + 1] : undefined);
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** The model's penalised design of a row: standardised with its column scales folded in, every column at penalty α. */
const designOf = (m: ScoringModelJson) => (x: Float64Array) =>
  Float64Array.from(m.feature_index, (fi, j) => (x[fi] - m.standardization.mean[j]) / m.standardization.scale[j]);

/** The ridge posterior's variance integrated over the pool (× σ²), after labels at `rows`. */
function integratedVariance(Zrows: Float64Array[], alpha: number, Zpool: Float64Array[], sigma2: number): number {
  const f = ridgePosteriorFactor(Zrows, alpha, Zpool);
  let s = 0;
  for (let i = 0; i < f.V.length; i++) s += f.V[i] * f.V[i];
  return (sigma2 * s) / f.n;
}

const reps: { rep: number; random_rmse_at_500: number; oracle_rmse: number[]; posterior_variance: Record<'random_500' | 'random_350' | 'oracle_350', number>; noise_sd: number; prior_alpha: number }[] = [];
for (let rep = 0; rep < REPS; rep++) {
  const r = repetition(data.snapshots, { seed: SEED, rep, evalSize: EVAL, budget: BUDGET, randomOrders: RANDOM_ORDERS });
  const rmse = (rows: number[]) => {
    const { model } = fitScoringModel(rows.map((i) => data.X[i]), rows.map(r.label), spec, { seed: ENSEMBLE_SEED });
    let e2 = 0;
    r.evalIdx.forEach((i, k) => (e2 += (clipScore(predictScore(model, data.X[i])) - r.truth[k]) ** 2));
    return Math.sqrt(e2 / r.evalIdx.length);
  };
  // The oracle's prior and noise: the served model on all pool labels.
  const full = fitScoringModel(r.pool.map((i) => data.X[i]), r.pool.map(r.label), spec, { seed: ENSEMBLE_SEED }).model;
  const sigma2 = full.cv.rmse ** 2;
  const design = designOf(full);
  const Zpool = r.pool.map((i) => design(data.X[i]));
  // Greedy V-optimal: the prior's posterior factor (no rows yet); Cov = σ² v·v, so the noise is 1 on the factor's scale.
  const picks = selectByFactor(ridgePosteriorFactor([], full.alpha, Zpool), r.pool.map((_, k) => k), BUDGET, 1).map((s) => r.pool[s.index]);
  const oracle = CHECKPOINTS.map((n) => rmse(picks.slice(0, n)));
  const random500 = mean(r.orders.map((o) => rmse(o)));
  const zOf = (rows: number[]) => rows.map((i) => design(data.X[i]));
  const variance = {
    random_500: mean(r.orders.map((o) => integratedVariance(zOf(o), full.alpha, Zpool, sigma2))),
    random_350: mean(r.orders.map((o) => integratedVariance(zOf(o.slice(0, 350)), full.alpha, Zpool, sigma2))),
    oracle_350: integratedVariance(zOf(picks.slice(0, 350)), full.alpha, Zpool, sigma2),
  };
  console.log(`rep ${rep}: random@500 ${random500.toFixed(4)}; oracle ${CHECKPOINTS.map((n, k) => `${n}:${oracle[k].toFixed(4)}`).join(' ')}; ` +
    `posterior variance random@350 ${variance.random_350.toFixed(4)} random@500 ${variance.random_500.toFixed(4)} oracle@350 ${variance.oracle_350.toFixed(4)}`);
  reps.push({ rep, random_rmse_at_500: random500, oracle_rmse: oracle, posterior_variance: variance, noise_sd: Math.sqrt(sigma2), prior_alpha: full.alpha });
}

const target = mean(reps.map((r) => r.random_rmse_at_500));
const curve = CHECKPOINTS.map((_, k) => mean(reps.map((r) => r.oracle_rmse[k])));
const k = curve.findIndex((v) => v <= target);
const needed = k < 0 ? null : k === 0 ? CHECKPOINTS[0] : CHECKPOINTS[k - 1] + ((curve[k - 1] - target) / (curve[k - 1] - curve[k])) * 25;
const pv = (key: 'random_500' | 'random_350' | 'oracle_350') => mean(reps.map((r) => r.posterior_variance[key]));
console.log(`\nrandom order RMSE at 500: ${target.toFixed(4)} (mean of ${REPS} repetitions × ${RANDOM_ORDERS} orders)`);
console.log(`oracle design (prior and noise known, greedy V-optimal): ${CHECKPOINTS.map((n, i) => `${n}: ${curve[i].toFixed(4)}`).join(', ')}`);
console.log(`oracle annotations needed: ${needed === null ? `>${BUDGET}` : needed.toFixed(0)} (goal ≤ ${GOAL}); at 350 ${curve[CHECKPOINTS.indexOf(350)].toFixed(4)}`);
console.log(`posterior variance over the pool (the model's own account): random@350 ${pv('random_350').toFixed(4)}, random@500 ${pv('random_500').toFixed(4)}, oracle@350 ${pv('oracle_350').toFixed(4)}`);
const file = writeResult(SEED === 42 ? 'active-learning-oracle' : `active-learning-oracle-seed${SEED}`, {
  reference: 'random order at 500 annotations on the same repetitions as bench/active-learning.ts',
  goal: { annotations_at_most: GOAL },
  setup: { freelancers: N, seed: SEED, evaluation_profiles: EVAL, repetitions: REPS, random_orders: RANDOM_ORDERS, features: data.p, feature_spec: data.spec, oracle: 'greedy V-optimal under the ridge posterior of the served model fit on all pool labels' },
  random_rmse_at_500: target,
  oracle: { checkpoints: CHECKPOINTS, curve, needed_interpolated: needed, pass: needed !== null && needed <= GOAL },
  posterior_variance: { random_350: pv('random_350'), random_500: pv('random_500'), oracle_350: pv('oracle_350') },
  per_repetition: reps,
  seconds: (Date.now() - t0) / 1000,
});
console.log(`wrote ${file}`);
