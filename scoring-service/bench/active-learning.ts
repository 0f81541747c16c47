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
import { density, ensembleSpread, median, prioritize, selectBatch, selectByVarianceReduction, standardize } from '../src/annotation/acquisition.ts';
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
const ENSEMBLE = 16;
const stratIdx = process.argv.indexOf('--strategies');
/** The first is the service's acquisition (the verdict); others are reported for comparison. */
const STRATEGIES = stratIdx >= 0 ? process.argv[stratIdx + 1].split(',') : ['evr', 'density'];

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
    const { model, cv } = fitScoringModel(X, y, spec, o.alpha === undefined ? { seed: o.seed } : { alpha: o.alpha, seed: o.seed, folds: 2 });
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

function runRep(rep: number): { random: Curve; active: Record<string, Curve>; whyCounts: Record<string, Record<string, number>> } {
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
  const poolX = pool.map((i) => data.X[i]);
  const active: Record<string, Curve> = {};
  const whyCounts: Record<string, Record<string, number>> = {};
  for (const strategy of STRATEGIES) {
    const curve: Curve = { n: [], rmse: [] };
    const whys: Record<string, number> = {};
    const labelled: number[] = [];
    const taken = new Set<number>();
    const occ = (i: number) => data.snapshots[i].profile.occupation;
    for (let round = 0; labelled.length < BUDGET; round++) {
      const counts = new Map<string, number>();
      for (const i of labelled) counts.set(occ(i), (counts.get(occ(i)) ?? 0) + 1);
      const e = fitEnsemble(labelled.map((i) => data.X[i]), labelled.map(label), kit, { size: ENSEMBLE, seed: 17 + round });
      const P = e ? ensemblePredictions(e, poolX) : null;
      const u = P ? ensembleSpread(P) : null;
      const open = pool.map((_, k) => k).filter((k) => !taken.has(pool[k]));
      const cands = open.map((k) => ({ id: String(pool[k]), occupation: occ(pool[k]), changed: false }));
      const scored = prioritize(cands, Float64Array.from(open, (k) => dens[k]), u ? Float64Array.from(open, (k) => u[k]) : null, counts, { uncertaintyReference: u ? median(u) : undefined });
      let picks: number[];
      if (strategy === 'evr' && P && e) {
        const boost = (k: number) => 1 + 1 / (1 + (counts.get(occ(pool[k])) ?? 0));
        picks = selectByVarianceReduction(P, open, BATCH, e.noiseVar, boost).map((g) => open.indexOf(g.index));
      } else {
        picks = selectBatch(scored, open.map((k) => Zpool[k]), BATCH, { seed: hashSeed(rep, round) }).map((b) => b.index);
      }
      for (const c of picks) {
        const i = pool[open[c]];
        taken.add(i);
        labelled.push(i);
        label(i);
        whys[scored[c].why] = (whys[scored[c].why] ?? 0) + 1;
      }
      if (labelled.length >= BATCH * 2) {
        curve.n.push(labelled.length);
        curve.rmse.push(rmseOn(labelled, labels, evalIdx, truth));
      }
    }
    active[strategy] = curve;
    whyCounts[strategy] = whys;
  }
  return { random, active, whyCounts };
}

const t0 = Date.now();
const reps = Array.from({ length: REPS }, (_, r) => {
  const out = runRep(r);
  console.log(`rep ${r}: random@${TARGET_AT}=${out.random.rmse.at(-1)!.toFixed(4)} ` + STRATEGIES.map((st) => `${st}@${TARGET_AT}=${out.active[st].rmse.at(-1)!.toFixed(4)}`).join(' ') + ` why=${JSON.stringify(out.whyCounts)}`);
  return out;
});
const ns = reps[0].random.n;
const mean = (curves: Curve[]) => ns.map((_, k) => curves.reduce((a, c) => a + c.rmse[k], 0) / curves.length);
const randomMean = mean(reps.map((r) => r.random));
const target = randomMean[ns.indexOf(TARGET_AT)];

function reach(curve: number[], t: number): { needed: number | null; interpolated: number | null } {
  const k = curve.findIndex((v) => v <= t);
  if (k < 0) return { needed: null, interpolated: null };
  if (k === 0) return { needed: ns[0], interpolated: ns[0] };
  const [a, b] = [curve[k - 1], curve[k]];
  // Linear interpolation between the checkpoints around the crossing (finer than the 25-step grid).
  return { needed: ns[k], interpolated: ns[k - 1] + ((a - t) / (a - b)) * (ns[k] - ns[k - 1]) };
}

const strategies = Object.fromEntries(
  STRATEGIES.map((st) => {
    const m = mean(reps.map((r) => r.active[st]));
    const r = reach(m, target);
    const perRep = reps.map((rp) => reach(rp.active[st].rmse, rp.random.rmse[ns.indexOf(TARGET_AT)]).needed);
    return [st, { curve: m, ...r, per_repetition_needed: perRep, per_repetition: reps.map((rp) => rp.active[st].rmse), why: reps.map((rp) => rp.whyCounts[st]) }];
  }),
);

console.log('\n  n   random  ' + STRATEGIES.map((s) => s.padStart(8)).join(''));
ns.forEach((n, k) => console.log(`${String(n).padStart(4)}  ${randomMean[k].toFixed(4)}  ` + STRATEGIES.map((s) => strategies[s].curve[k].toFixed(4).padStart(8)).join('')));
console.log(`\nrandom order RMSE at ${TARGET_AT}: ${target.toFixed(4)} (mean of ${REPS} repetitions)`);
for (const st of STRATEGIES) {
  const r = strategies[st];
  console.log(`${st}: annotations needed to reach it: ${r.needed ?? `> ${BUDGET}`} (interpolated ${r.interpolated?.toFixed(0) ?? '-'}; per repetition ${r.per_repetition_needed.join(', ')})`);
}
const primary = strategies[STRATEGIES[0]];
const pass = primary.needed !== null && primary.needed <= GOAL;
console.log(`service acquisition (${STRATEGIES[0]}): ${primary.needed ?? '>' + BUDGET} vs goal ≤ ${GOAL} → ${pass ? 'PASS' : 'FAIL'}; ratio to random ${primary.needed ? (primary.needed / TARGET_AT).toFixed(2) : '-'}`);

const file = writeResult('active-learning', {
  reference: `random order at ${TARGET_AT} annotations, measured in the same run`,
  goal: { annotations_at_most: GOAL },
  setup: { freelancers: N, seed: SEED, evaluation_profiles: EVAL, pool: N - EVAL, batch: BATCH, budget: BUDGET, repetitions: REPS, features: data.specSize, ensemble_size: ENSEMBLE, metric: 'RMSE of clipped prediction vs trueQuality on the fixed evaluation set', service_strategy: STRATEGIES[0] },
  curves: { n: ns, random: randomMean, random_per_repetition: reps.map((r) => r.random.rmse) },
  random_rmse_at_target: target,
  strategies,
  active_annotations_needed: primary.needed,
  active_annotations_needed_interpolated: primary.interpolated,
  ratio: primary.needed ? primary.needed / TARGET_AT : null,
  pass,
  elapsed_s: (Date.now() - t0) / 1000,
});
console.log(`wrote ${file}`);
