/**
 * Quality benchmark: on a held-out split (by freelancer) of demo annotations, the RMSE of
 * the ridge scoring model against the generator's noise floor (target ≤ 1.10×) and against
 * scikit-learn's Ridge and HistGradientBoostingRegressor fit on the same split and features
 * (bench/quality_sklearn.py under Debian's /usr/bin/python3). Annotator bias is removed the
 * same way for every model: each annotator's mean offset on the training split.
 *
 * One demo set is seeded per size of the annotation set (default 3k, 6k, 10k annotations
 * over the same 5k freelancers), so the table shows how the gap to the noise floor closes
 * with more annotations. The first size is the headline the checks apply to. The production
 * row is exactly what training serves: fitScoringModel (penalties per block by evidence, model/evidence.ts;
 * the grid's single α by CV is shown beside it; calibration chosen by the CV RMSE of the
 * calibrated, clipped out-of-fold score; the 1–5 calibration of model/calibration.ts fitted on
 * out-of-fold raw scores of the training split only) scored with predictScore and clipped.
 * The same model's linear part alone (raw score, clipped) is shown for reference. The skill
 * demand features come from the seeded jobs table (features/skill-demand.ts, as training builds
 * them) and are part of the one feature matrix every model here, scikit-learn's included, is fit on.
 * Writes bench-results/quality.json.
 * Options: --freelancers N --sizes 3000,6000,10000 (or --annotations N for one size) --seed S.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { seedDemo } from '../src/demo/generator.ts';
import { NOISE_FLOOR } from '../src/demo/hidden-rule.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { clipScore, fitScoringModel, predictRaw, predictScore } from '../src/model/scoring-model.ts';
import { foldsOf } from '../src/model/ridge.ts';
import { DEFAULT_ALPHAS } from '../src/model/ridge-cv.ts';
import type { ProfileSnapshot } from '../src/domain/types.ts';
import { fillDemand, loadSkillDemand } from '../src/features/skill-demand.ts';

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const FREELANCERS = Number(argOf('freelancers') ?? 5000);
const SIZES = (argOf('annotations') ?? argOf('sizes') ?? '3000,6000,10000').split(',').map(Number);
const SEED = Number(argOf('seed') ?? 42);
const FOLDS = 5;
const TEST_SHARE = 0.25;
if (![FREELANCERS, SEED, ...SIZES].every((n) => Number.isInteger(n) && n >= 0)) throw new RangeError('--freelancers, --sizes and --seed take non-negative integers');

const f = await loadFeaturizer();
const rmseOf = (pred: ArrayLike<number>, y: number[]) => Math.sqrt(y.reduce((a, v, i) => a + (pred[i] - v) ** 2, 0) / y.length);

interface SklearnResult { sklearn_version: string; ridge: { rmse: number; alpha: number }; hgb: { rmse: number; params: string } }

function sklearn(Xtr: Float64Array[], ytr: number[], Xte: Float64Array[], yte: number[]): SklearnResult {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-'));
  try {
    const inFile = path.join(tmp, 'in.json');
    const outFile = path.join(tmp, 'out.json');
    fs.writeFileSync(inFile, JSON.stringify({ X_train: Xtr.map((x) => Array.from(x)), y_train: ytr, X_test: Xte.map((x) => Array.from(x)), y_test: yte, alphas: DEFAULT_ALPHAS, folds: FOLDS, seed: SEED }));
    const py = spawnSync('/usr/bin/python3', [path.join(import.meta.dirname, 'quality_sklearn.py'), inFile, outFile], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(`quality_sklearn.py failed: ${py.stderr}`);
    return JSON.parse(fs.readFileSync(outFile, 'utf8')) as SklearnResult;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function evaluate(annotations: number) {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  await w.migrate(allTables);
  const t0 = performance.now();
  const summary = await seedDemo(w, { freelancers: FREELANCERS, annotations, seed: SEED });
  const rows = await w.query<{ freelancer_id: string; annotator: string; score: number; profile_snapshot: ProfileSnapshot }>(
    `SELECT freelancer_id, annotator, score, profile_snapshot FROM annotations ORDER BY annotation_id`,
  );
  // Skill demand from the demo's job postings, as training builds it (training/run.ts).
  const demand = await loadSkillDemand(w);
  await w.close();
  const seedSecs = (performance.now() - t0) / 1000;

  // Held-out split by freelancer, so no profile is in both halves.
  const fids = [...new Set(rows.map((r) => r.freelancer_id))].sort();
  const fold = foldsOf(fids.length, Math.round(1 / TEST_SHARE), SEED);
  const testIds = new Set(fids.filter((_, i) => fold[i] === 0));
  const train = rows.filter((r) => !testIds.has(r.freelancer_id));
  const test = rows.filter((r) => testIds.has(r.freelancer_id));

  // Annotator bias from the training split only.
  const mean = train.reduce((a, r) => a + r.score, 0) / train.length;
  const bias = new Map<string, number>();
  for (const a of new Set(train.map((r) => r.annotator))) {
    const mine = train.filter((r) => r.annotator === a);
    bias.set(a, mine.reduce((s, r) => s + r.score, 0) / mine.length - mean);
  }
  const target = (r: { annotator: string; score: number }) => r.score - (bias.get(r.annotator) ?? 0);

  const t1 = performance.now();
  const featurize = (s: ProfileSnapshot) => fillDemand(f.featurize(s), f.demandIndex, demand, s.profile);
  const Xtr = train.map((r) => featurize(r.profile_snapshot));
  const Xte = test.map((r) => featurize(r.profile_snapshot));
  const featSecs = (performance.now() - t1) / 1000;
  const ytr = train.map(target);
  const yte = test.map(target);

  const t2 = performance.now();
  const { model, cv } = fitScoringModel(Xtr, ytr, f.spec, { folds: FOLDS, seed: SEED, version: 'bench', skillDemand: demand });
  const fitSecs = (performance.now() - t2) / 1000;
  const ours = rmseOf(Xte.map((x) => clipScore(predictScore(model, x))), yte);
  // The same model with the grid's single α (and interaction scale) by CV instead of block priors.
  const grid = fitScoringModel(Xtr, ytr, f.spec, { alphas: DEFAULT_ALPHAS, folds: FOLDS, seed: SEED, version: 'bench-grid', skillDemand: demand }).model;
  const gridRmse = rmseOf(Xte.map((x) => clipScore(predictScore(grid, x))), yte);
  const linearOnly = rmseOf(Xte.map((x) => clipScore(predictRaw(model, x))), yte);
  const interactionScale = model.cv.interaction_scale;

  const ref = sklearn(Xtr, ytr, Xte, yte);
  const floor = summary.noise_floor?.rmse ?? NOISE_FLOOR.rmse;
  return {
    annotations: rows.length, train: train.length, test: test.length, noise_floor: floor,
    ours: {
      rmse: ours, ratio_to_floor: ours / floor, penalties: model.cv.penalties ?? 'cv', alpha: cv.alpha, cv_rmse: cv.rmse, cv_raw_rmse: model.cv.raw_rmse, interaction_scale: interactionScale,
      calibration_knots: model.calibration?.knots.length ?? 0, served: 'fitScoringModel → predictScore (calibrated), clipped',
    },
    linear_part_only: { rmse: linearOnly, ratio_to_floor: linearOnly / floor, note: 'the same model without its calibration (not served)' },
    grid_penalties: { rmse: gridRmse, ratio_to_floor: gridRmse / floor, alpha: grid.alpha, interaction_scale: grid.cv.interaction_scale, note: "the same model with one α and the interaction scale by CV (penalties: 'cv'), not served" },
    sklearn: ref,
    constant_rmse: rmseOf(yte.map(() => clipScore(mean)), yte),
    seconds: { seed: seedSecs, featurize: featSecs, fit: fitSecs },
  };
}

const results = [];
for (const size of SIZES) {
  const r = await evaluate(size);
  results.push(r);
  const fl = r.noise_floor;
  const line = (name: string, v: number) => console.log(`  ${name.padEnd(52)} ${v.toFixed(4).padStart(10)} ${(v / fl).toFixed(3).padStart(10)}`);
  console.log(`\nquality @ ${r.annotations} annotations: ${r.train} train / ${r.test} held-out, ${f.spec.features.length} features (spec ${f.spec.version}); seed ${r.seconds.seed.toFixed(1)} s, featurize ${r.seconds.featurize.toFixed(1)} s, fit (incl. calibration) ${r.seconds.fit.toFixed(1)} s`);
  console.log(`  ${'model'.padEnd(52)} ${'RMSE'.padStart(10)} ${'÷ floor'.padStart(10)}`);
  line('noise floor (oracle)', fl);
  line('workship model as served (ridge + 1–5 calibration)', r.ours.rmse);
  line('  its linear part alone (not served)', r.linear_part_only.rmse);
  line('  with the grid\'s single α by CV (not served)', r.grid_penalties.rmse);
  line('sklearn Ridge', r.sklearn.ridge.rmse);
  line('sklearn HistGradientBoosting', r.sklearn.hgb.rmse);
  line('constant (train mean)', r.constant_rmse);
  console.log(`  penalties: ours ${r.ours.penalties} (reference α ${r.ours.alpha.toPrecision(3)}); grid α ${r.grid_penalties.alpha} (interaction scale ${r.grid_penalties.interaction_scale}); sklearn ${r.sklearn.ridge.alpha}`);
}

const head = results[0];
const checks = { within_1_10_of_noise_floor: head.ours.rmse <= 1.1 * head.noise_floor, at_least_as_good_as_hgb: head.ours.rmse <= head.sklearn.hgb.rmse };
console.log('\nsizes (RMSE ÷ noise floor):');
console.log(`  ${'annotations'.padEnd(12)} ${'served'.padStart(8)} ${'linear'.padStart(8)} ${'Ridge'.padStart(8)} ${'HGB'.padStart(8)}`);
for (const r of results) {
  const q = (v: number) => (v / r.noise_floor).toFixed(3).padStart(8);
  console.log(`  ${String(r.annotations).padEnd(12)} ${q(r.ours.rmse)} ${q(r.linear_part_only.rmse)} ${q(r.sklearn.ridge.rmse)} ${q(r.sklearn.hgb.rmse)}`);
}
console.log(`  @ ${head.annotations}: ≤ 1.10 × noise floor: ${checks.within_1_10_of_noise_floor ? 'yes' : 'NO'}; ≤ HistGradientBoosting: ${checks.at_least_as_good_as_hgb ? 'yes' : 'NO'}`);
fs.mkdirSync('bench-results', { recursive: true });
fs.writeFileSync('bench-results/quality.json', JSON.stringify({
  generated_at: new Date().toISOString(),
  data: { freelancers: FREELANCERS, annotations: head.annotations, seed: SEED, train: head.train, test: head.test, split: 'by freelancer, 25 % held out', bias_correction: 'annotator mean offset on the training split' },
  feature_spec: { version: f.spec.version, features: f.spec.features.length },
  noise_floor: head.noise_floor,
  ours: head.ours,
  linear_part_only: head.linear_part_only,
  sklearn: head.sklearn,
  constant_rmse: head.constant_rmse,
  checks,
  sizes: results,
}, null, 2));
