/**
 * Quality benchmark: on a held-out split (by freelancer) of demo annotations, the RMSE of
 * the ridge scoring model against the generator's noise floor (target ≤ 1.10×) and against
 * scikit-learn's Ridge and HistGradientBoostingRegressor fit on the same split and features
 * (bench/quality_sklearn.py under Debian's /usr/bin/python3). Annotator bias is removed the
 * same way for every model: each annotator's mean offset on the training split.
 * Writes bench-results/quality.json. Options: --freelancers N --annotations N --seed S.
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
import { clipScore, fitScoringModel, predictRaw } from '../src/model/scoring-model.ts';
import { DEFAULT_ALPHAS, foldsOf } from '../src/model/ridge.ts';
import type { ProfileSnapshot } from '../src/domain/types.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const FREELANCERS = arg('freelancers', 5000);
const ANNOTATIONS = arg('annotations', 3000);
const SEED = arg('seed', 42);
const FOLDS = 5;
const TEST_SHARE = 0.25;

const w = new DuckdbWarehouse({ file: ':memory:' });
await w.migrate(allTables);
const t0 = performance.now();
const summary = await seedDemo(w, { freelancers: FREELANCERS, annotations: ANNOTATIONS, seed: SEED });
const rows = await w.query<{ freelancer_id: string; annotator: string; score: number; profile_snapshot: ProfileSnapshot }>(
  `SELECT freelancer_id, annotator, score, profile_snapshot FROM annotations ORDER BY annotation_id`,
);
await w.close();
console.log(`seeded ${summary.freelancers} freelancers, ${rows.length} annotations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

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

const f = await loadFeaturizer();
const t1 = performance.now();
const Xtr = train.map((r) => f.featurize(r.profile_snapshot));
const Xte = test.map((r) => f.featurize(r.profile_snapshot));
const featSecs = (performance.now() - t1) / 1000;
const ytr = train.map(target);
const yte = test.map(target);

const t2 = performance.now();
const { model, cv } = fitScoringModel(Xtr, ytr, f.spec, { alphas: DEFAULT_ALPHAS, folds: FOLDS, seed: SEED, version: 'bench' });
const fitSecs = (performance.now() - t2) / 1000;
const rmse = (pred: number[]) => Math.sqrt(pred.reduce((a, p, i) => a + (p - yte[i]) ** 2, 0) / yte.length);
const ours = rmse(Xte.map((x) => clipScore(predictRaw(model, x))));
const constant = rmse(yte.map(() => clipScore(mean)));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-'));
const inFile = path.join(tmp, 'in.json');
const outFile = path.join(tmp, 'out.json');
fs.writeFileSync(inFile, JSON.stringify({ X_train: Xtr.map((x) => Array.from(x)), y_train: ytr, X_test: Xte.map((x) => Array.from(x)), y_test: yte, alphas: DEFAULT_ALPHAS, folds: FOLDS, seed: SEED }));
const script = path.join(import.meta.dirname, 'quality_sklearn.py');
const py = spawnSync('/usr/bin/python3', [script, inFile, outFile], { encoding: 'utf8' });
if (py.status !== 0) {
  console.error(py.stderr);
  process.exit(1);
}
const ref = JSON.parse(fs.readFileSync(outFile, 'utf8')) as { sklearn_version: string; ridge: { rmse: number; alpha: number }; hgb: { rmse: number } };
fs.rmSync(tmp, { recursive: true, force: true });

const floor = summary.noise_floor?.rmse ?? NOISE_FLOOR.rmse;
const table = [
  ['model', 'held-out RMSE', '÷ noise floor'],
  ['noise floor (oracle)', floor.toFixed(4), '1.000'],
  ['workship ridge (TS)', ours.toFixed(4), (ours / floor).toFixed(3)],
  ['sklearn Ridge', ref.ridge.rmse.toFixed(4), (ref.ridge.rmse / floor).toFixed(3)],
  ['sklearn HistGradientBoosting', ref.hgb.rmse.toFixed(4), (ref.hgb.rmse / floor).toFixed(3)],
  ['constant (train mean)', constant.toFixed(4), (constant / floor).toFixed(3)],
];
console.log(`\nquality: ${train.length} train / ${test.length} held-out annotations, ${f.spec.features.length} features (spec ${f.spec.version})`);
for (const r of table) console.log(`  ${r[0].padEnd(30)} ${r[1].padStart(14)} ${r[2].padStart(14)}`);
const checks = { within_1_10_of_noise_floor: ours <= 1.1 * floor, at_least_as_good_as_hgb: ours <= ref.hgb.rmse };
console.log(`  alpha (CV): ours ${cv.alpha}, sklearn ${ref.ridge.alpha}; featurize ${featSecs.toFixed(1)} s, fit ${fitSecs.toFixed(1)} s`);
console.log(`  ≤ 1.10 × noise floor: ${checks.within_1_10_of_noise_floor ? 'yes' : 'NO'}; ≤ HistGradientBoosting: ${checks.at_least_as_good_as_hgb ? 'yes' : 'NO'}`);
fs.mkdirSync('bench-results', { recursive: true });
fs.writeFileSync('bench-results/quality.json', JSON.stringify({
  generated_at: new Date().toISOString(),
  data: { freelancers: FREELANCERS, annotations: rows.length, seed: SEED, train: train.length, test: test.length, split: 'by freelancer, 25 % held out', bias_correction: 'annotator mean offset on the training split' },
  feature_spec: { version: f.spec.version, features: f.spec.features.length },
  noise_floor: floor,
  ours: { rmse: ours, ratio_to_floor: ours / floor, alpha: cv.alpha, cv_rmse: cv.rmse },
  sklearn: { version: ref.sklearn_version, ridge: ref.ridge, hgb: ref.hgb },
  constant_rmse: constant,
  checks,
}, null, 2));
