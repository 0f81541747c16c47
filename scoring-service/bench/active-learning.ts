/**
 * Active learning against random order (issue 4): how many annotations the active queue
 * needs to reach the RMSE that random order reaches at 500.
 *
 * Set-up: the demo data (seedDemo) featurized by the real featurizer; a fixed evaluation
 * set of 1,000 profiles scored by the hidden rule (trueQuality, noise-free); the rest is
 * the pool. A simulated annotator (simulateScore: hidden rule + that annotator's bias and
 * noise; annotators drawn by their demo shares) labels whatever is asked; a profile gets
 * the same label under both strategies. Both strategies add 25 profiles per round and fit
 * the production model (fitScoringModel, alpha by CV) after each round. The active order
 * is exactly the service's acquisition (annotation/acquisition.ts + ensemble.ts).
 *
 * Flags: --freelancers N (4000) --reps R (3) --seed S (42) --features-cache FILE (dev only).
 */
import fs from 'node:fs';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import type { Freelancer, ProfileSnapshot } from '../src/domain/types.ts';
import { seedDemo } from '../src/demo/generator.ts';
import { ANNOTATORS, simulateScore, trueQuality } from '../src/demo/hidden-rule.ts';
import { hashSeed, mulberry32, sample, weightedIndex } from '../src/demo/rng.ts';
import { activitySummaries } from '../src/features/activity.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { clipScore, fitScoringModel, predictRaw } from '../src/model/scoring-model.ts';
import { density, ensembleSpread, prioritize, selectBatch, standardize, median } from '../src/annotation/acquisition.ts';
import { ensemblePredictions, fitEnsemble, type ModelKit } from '../src/annotation/ensemble.ts';
import { writeResult } from './result.ts';

function flag(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const cacheIdx = process.argv.indexOf('--features-cache');
const cacheFile = cacheIdx >= 0 ? process.argv[cacheIdx + 1] : undefined;

const N = flag('freelancers', 4000);
const REPS = flag('reps', 3);
const SEED = flag('seed', 42);
const EVAL = 1000;
const BATCH = 25;
const BUDGET = 500;
const TARGET_AT = 500;
const GOAL = 350;

interface Data {
  snapshots: ProfileSnapshot[];
  X: Float64Array[];
  specSize: number;
}

async function loadData(): Promise<{ data: Data; spec: Awaited<ReturnType<typeof loadFeaturizer>>['spec'] }> {
  const featurizer = await loadFeaturizer();
  if (cacheFile && fs.existsSync(cacheFile)) {
    const c = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    if (c.n === N && c.seed === SEED && c.spec === featurizer.spec.version)
      return { data: { snapshots: c.snapshots, X: c.X.map((x: number[]) => Float64Array.from(x)), specSize: featurizer.spec.features.length }, spec: featurizer.spec };
  }
  const w = new DuckdbWarehouse({ file: ':memory:' });
  await w.migrate(allTables);
  const summary = await seedDemo(w, { freelancers: N, annotations: 0, seed: SEED });
  const rows = await w.query<Freelancer>(`SELECT * FROM ${w.dialect.table('freelancers')} ORDER BY id`);
  const activity = await activitySummaries(w, 'all', new Date(summary.now));
  await w.close();
  const snapshots = rows.map((r) => ({ profile: r, activity: activity.get(r.id) ?? null }));
  const X = snapshots.map((s) => featurizer.featurize(s));
  if (cacheFile) fs.writeFileSync(cacheFile, JSON.stringify({ n: N, seed: SEED, spec: featurizer.spec.version, snapshots, X: X.map((x) => Array.from(x)) }));
  return { data: { snapshots, X, specSize: featurizer.spec.features.length }, spec: featurizer.spec };
}

const { data, spec } = await loadData();
const kit: ModelKit = {
  fit(X, y, o) {
    const { model, cv } = fitScoringModel(X, y, spec, o.alpha === undefined ? { seed: o.seed } : { alpha: o.alpha, seed: o.seed });
    return { alpha: cv.alpha, predict: (x) => predictRaw(model, x) };
  },
};

function rmseOn(labelled: number[], labels: Map<number, number>, evalIdx: number[], truth: Float64Array): number {
  const { model } = fitScoringModel(labelled.map((i) => data.X[i]), labelled.map((i) => labels.get(i)!), spec, { seed: 1 });
  let s = 0;
  evalIdx.forEach((i, k) => (s += (clipScore(predictRaw(model, data.X[i])) - truth[k]) ** 2));
  return Math.sqrt(s / evalIdx.length);
}

interface Curve {
  n: number[];
  rmse: number[];
}

function runRep(rep: number): { random: Curve; active: Curve; whyCounts: Record<string, number> } {
  const rng = mulberry32(hashSeed(SEED, 9001, rep));
  const all = Array.from({ length: data.X.length }, (_, i) => i);
  const evalIdx = sample(rng, all, EVAL);
  const inEval = new Set(evalIdx);
  const pool = all.filter((i) => !inEval.has(i));
  const truth = Float64Array.from(evalIdx, (i) => trueQuality(data.snapshots[i]));
  // One simulated label per profile, shared by both strategies.
  const shares = ANNOTATORS.map((a) => a.share);
  const labels = new Map<number, number>();
  const label = (i: number) => {
    if (!labels.has(i)) {
      const r = mulberry32(hashSeed(SEED, 9002, rep, i));
      labels.set(i, simulateScore(data.snapshots[i], ANNOTATORS[weightedIndex(r, shares)].id, r));
    }
    return labels.get(i)!;
  };

  const random: Curve = { n: [], rmse: [] };
  const order = sample(rng, pool, BUDGET);
  for (let n = BATCH * 2; n <= BUDGET; n += BATCH) {
    const l = order.slice(0, n);
    l.forEach(label);
    random.n.push(n);
    random.rmse.push(rmseOn(l, labels, evalIdx, truth));
  }

  // The active queue: the service's acquisition over the pool.
  const Zpool = standardize(pool.map((i) => data.X[i]));
  const dens = density(Zpool, 400, rep + 1);
  const active: Curve = { n: [], rmse: [] };
  const whyCounts: Record<string, number> = {};
  const labelled: number[] = [];
  const taken = new Set<number>();
  const occ = (i: number) => data.snapshots[i].profile.occupation;
  for (let round = 0; labelled.length < BUDGET; round++) {
    const counts = new Map<string, number>();
    for (const i of labelled) counts.set(occ(i), (counts.get(occ(i)) ?? 0) + 1);
    const e = fitEnsemble(labelled.map((i) => data.X[i]), labelled.map(label), kit, { size: 8, seed: 17 + round });
    const u = e ? ensembleSpread(ensemblePredictions(e, pool.map((i) => data.X[i]))) : null;
    const open = pool.map((_, k) => k).filter((k) => !taken.has(pool[k]));
    const cands = open.map((k) => ({ id: String(pool[k]), occupation: occ(pool[k]), changed: false }));
    const scored = prioritize(cands, Float64Array.from(open, (k) => dens[k]), u ? Float64Array.from(open, (k) => u[k]) : null, counts, { uncertaintyReference: u ? median(u) : undefined });
    const batch = selectBatch(scored, open.map((k) => Zpool[k]), BATCH, { seed: hashSeed(rep, round) });
    for (const b of batch) {
      const i = pool[open[b.index]];
      taken.add(i);
      labelled.push(i);
      label(i);
      whyCounts[b.why] = (whyCounts[b.why] ?? 0) + 1;
    }
    if (labelled.length >= BATCH * 2) {
      active.n.push(labelled.length);
      active.rmse.push(rmseOn(labelled, labels, evalIdx, truth));
    }
  }
  return { random, active, whyCounts };
}

const t0 = Date.now();
const reps = Array.from({ length: REPS }, (_, r) => {
  const out = runRep(r);
  console.log(`rep ${r}: random@${TARGET_AT}=${out.random.rmse.at(-1)!.toFixed(4)} active@${TARGET_AT}=${out.active.rmse.at(-1)!.toFixed(4)} why=${JSON.stringify(out.whyCounts)}`);
  return out;
});
const ns = reps[0].random.n;
const mean = (curves: Curve[]) => ns.map((_, k) => curves.reduce((a, c) => a + c.rmse[k], 0) / curves.length);
const randomMean = mean(reps.map((r) => r.random));
const activeMean = mean(reps.map((r) => r.active));
const target = randomMean[ns.indexOf(TARGET_AT)];
const reachIdx = activeMean.findIndex((v) => v <= target);
const needed = reachIdx >= 0 ? ns[reachIdx] : null;
// Linear interpolation between the checkpoints around the crossing (finer than the 25-step grid).
let interpolated: number | null = needed;
if (reachIdx > 0) {
  const [a, b] = [activeMean[reachIdx - 1], activeMean[reachIdx]];
  interpolated = ns[reachIdx - 1] + ((a - target) / (a - b)) * (ns[reachIdx] - ns[reachIdx - 1]);
}
const perRep = reps.map((r) => {
  const t = r.random.rmse[ns.indexOf(TARGET_AT)];
  const k = r.active.rmse.findIndex((v) => v <= t);
  return k >= 0 ? ns[k] : null;
});

console.log('\n  n   random   active');
ns.forEach((n, k) => console.log(`${String(n).padStart(4)}  ${randomMean[k].toFixed(4)}  ${activeMean[k].toFixed(4)}`));
console.log(`\nrandom order RMSE at ${TARGET_AT}: ${target.toFixed(4)} (mean of ${REPS} repetitions)`);
console.log(`annotations the active queue needs to reach it: ${needed ?? `> ${BUDGET}`} (interpolated ${interpolated?.toFixed(0) ?? '-'}; per repetition ${perRep.join(', ')})`);
console.log(`ratio active/random annotations: ${needed ? (needed / TARGET_AT).toFixed(2) : '-'}; goal ≤ ${GOAL} → ${needed !== null && needed <= GOAL ? 'PASS' : 'FAIL'}`);

const file = writeResult('active-learning', {
  reference: `random order at ${TARGET_AT} annotations, measured in the same run`,
  goal: { annotations_at_most: GOAL },
  setup: { freelancers: N, seed: SEED, evaluation_profiles: EVAL, pool: N - EVAL, batch: BATCH, budget: BUDGET, repetitions: REPS, features: data.specSize, ensemble_size: 8, metric: 'RMSE of clipped prediction vs trueQuality on the fixed evaluation set' },
  curves: { n: ns, random: randomMean, active: activeMean, per_repetition: reps.map((r) => ({ random: r.random.rmse, active: r.active.rmse, why: r.whyCounts })) },
  random_rmse_at_target: target,
  active_annotations_needed: needed,
  active_annotations_needed_interpolated: interpolated,
  per_repetition_needed: perRep,
  ratio: needed ? needed / TARGET_AT : null,
  pass: needed !== null && needed <= GOAL,
  elapsed_s: (Date.now() - t0) / 1000,
});
console.log(`wrote ${file}`);
