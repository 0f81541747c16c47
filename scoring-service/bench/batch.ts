/**
 * Batch benchmark. (1) Full recomputation of the feature store for a seeded demo set with
 * the Japanese analyser on every core (profiles/s, against the same work inline on one
 * core in the same run). (2) Materialising scores for 1,000,000 freelancers from stored
 * features: the seeded profiles and their stored vectors are replicated in SQL to 1M ids,
 * then materializeScores runs with nothing to recompute (target ≤ 20 s).
 * Writes bench-results/batch.json. Options: --seeded N --total N.
 */
import fs from 'node:fs';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { seedDemo } from '../src/demo/generator.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { freelancerFeatures } from '../src/features/tables.ts';
import { activitySummaries } from '../src/features/activity.ts';
import { fitScoringModel } from '../src/model/scoring-model.ts';
import { createLiveModel } from '../src/model/live-model.ts';
import { refreshFeatureStore } from '../src/scores/feature-store.ts';
import { fillDemand, loadSkillDemand } from '../src/features/skill-demand.ts';
import { materializeScores } from '../src/scores/materialize.ts';
import type { ProfileSnapshot } from '../src/domain/types.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SEEDED = arg('seeded', 10_000);
const TOTAL = arg('total', 1_000_000);
const INLINE_SAMPLE = Math.min(1500, SEEDED);
const secs = (t: number) => (performance.now() - t) / 1000;

const w = new DuckdbWarehouse({ file: ':memory:' });
await w.migrate(allTables);
let t = performance.now();
const demo = await seedDemo(w, { freelancers: SEEDED, annotations: 1500, seed: 7 });
console.log(`seeded ${demo.freelancers} freelancers in ${secs(t).toFixed(1)} s`);
const f = await loadFeaturizer();
const now = new Date(demo.now);

// (1a) Reference: the same featurization inline on one core, on a sample.
const sample = await w.query<ProfileSnapshot['profile']>(`SELECT * FROM freelancers ORDER BY id LIMIT ${INLINE_SAMPLE}`);
t = performance.now();
for (const p of sample) f.featurize({ profile: p, activity: null });
const inlineRate = sample.length / secs(t);
// (1b) Full recomputation of the store with the worker pool.
const full = await refreshFeatureStore(w, f, { now, workers: 2 });
const fullRate = full.recomputed / full.seconds;
console.log(`full recompute: ${full.recomputed} profiles in ${full.seconds.toFixed(1)} s = ${fullRate.toFixed(0)} profiles/s on ${full.workers} workers (inline one core: ${inlineRate.toFixed(0)}/s, ×${(fullRate / inlineRate).toFixed(2)})`);

// A model from the demo annotations, with the skill demand table of the demo jobs as training builds it
// (so materialisation computes the demand features from every row's stored skill keys).
const ann = await w.query<{ score: number; profile_snapshot: ProfileSnapshot }>('SELECT score, profile_snapshot FROM annotations');
const skillDemand = await loadSkillDemand(w);
const X = ann.map((a) => fillDemand(f.featurize(a.profile_snapshot), f.demandIndex, skillDemand, a.profile_snapshot.profile));
const { model } = fitScoringModel(X, ann.map((a) => a.score), f.spec, { folds: 5, seed: 1, version: 'bench-batch', skillDemand });
const live = createLiveModel(model, f);

// (2) Replicate profiles and stored vectors to TOTAL ids, entirely in SQL.
t = performance.now();
const copies = Math.ceil(TOTAL / SEEDED);
await w.execute(`CREATE TABLE base_f AS SELECT * FROM freelancers`);
await w.execute(`CREATE TABLE base_ff AS SELECT * FROM ${freelancerFeatures.name}`);
await w.execute(`DELETE FROM freelancers`);
await w.execute(`DELETE FROM ${freelancerFeatures.name}`);
await w.execute(`INSERT INTO freelancers SELECT base_f.* REPLACE (id || '-' || CAST(c AS VARCHAR) AS id) FROM base_f, range(${copies}) r(c) LIMIT ${TOTAL}`);
await w.execute(`INSERT INTO ${freelancerFeatures.name} SELECT base_ff.* REPLACE (freelancer_id || '-' || CAST(c AS VARCHAR) AS freelancer_id) FROM base_ff, range(${copies}) r(c) WHERE freelancer_id || '-' || CAST(c AS VARCHAR) IN (SELECT id FROM freelancers)`);
const n = Number((await w.query<{ n: number }>('SELECT COUNT(*) AS n FROM freelancers'))[0].n);
console.log(`replicated to ${n} freelancers in ${secs(t).toFixed(1)} s`);

t = performance.now();
const baseActivity = await activitySummaries(w, 'all', now);
const activitySecs = secs(t);
console.log(`activity summaries for ${baseActivity.size} freelancers: ${activitySecs.toFixed(1)} s`);

t = performance.now();
const cpu0 = process.cpuUsage();
const mat = await materializeScores(w, live, f, { now, activity: baseActivity });
const matSecs = secs(t);
// CPU of every thread of the process (DuckDB's and the scoring worker's included): less
// sensitive than wall time to other work on the machine.
const matCpu = process.cpuUsage(cpu0);
const matCpuSecs = (matCpu.user + matCpu.system) / 1e6;
console.log(`materialise ${mat.orderedIds.length} scores from stored features: ${matSecs.toFixed(1)} s ` +
  `(refresh check ${mat.stats.refresh.seconds.toFixed(1)} s, read+score ${mat.stats.scoreSeconds.toFixed(1)} s, write ${mat.stats.writeSeconds.toFixed(1)} s; CPU ${matCpuSecs.toFixed(1)} s); target ≤ 20 s: ${matSecs <= 20 ? 'yes' : 'NO'}`);
await w.close();

fs.mkdirSync('bench-results', { recursive: true });
fs.writeFileSync('bench-results/batch.json', JSON.stringify({
  generated_at: new Date().toISOString(),
  feature_spec: { version: f.spec.version, features: f.spec.features.length },
  full_recompute: { profiles: full.recomputed, seconds: full.seconds, profiles_per_s: fullRate, workers: full.workers, inline_one_core_profiles_per_s: inlineRate, speedup: fullRate / inlineRate },
  materialize_1m: { freelancers: mat.orderedIds.length, seconds: matSecs, refresh_check_s: mat.stats.refresh.seconds, read_score_s: mat.stats.scoreSeconds, write_s: mat.stats.writeSeconds, cpu_s: matCpuSecs, target_s: 20, ok: matSecs <= 20 },
  activity_summaries: { freelancers: baseActivity.size, seconds: activitySecs, note: 'computed before materialisation and passed in; the daily batch computes it inside materializeScores' },
}, null, 2));
