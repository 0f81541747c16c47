/**
 * What the active-learning benchmarks share (active-learning.ts with its worker, and
 * active-learning-oracle.ts): the featurized demo pool, and each repetition's draw — the
 * evaluation/pool split, the simulated annotator's labels and the random orders — so every
 * benchmark judges against the same reference.
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
import { fillDemand, loadSkillDemand } from '../src/features/skill-demand.ts';

export interface DemoPool {
  snapshots: ProfileSnapshot[];
  X: Float64Array[];
  spec: string;
  p: number;
}

/** The demo data (seedDemo) featurized as training does it, demand features included; `cacheFile` is for development. */
export async function loadDemoPool(n: number, seed: number, cacheFile?: string): Promise<DemoPool> {
  const featurizer = await loadFeaturizer();
  const spec = featurizer.spec.version;
  const p = featurizer.spec.features.length;
  if (cacheFile && fs.existsSync(cacheFile)) {
    const c = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    if (c.n === n && c.seed === seed && c.spec === spec && c.demand === true) return { snapshots: c.snapshots, X: c.X.map((x: number[]) => Float64Array.from(x)), spec, p };
  }
  const w = new DuckdbWarehouse({ file: ':memory:' });
  await w.migrate(allTables);
  const summary = await seedDemo(w, { freelancers: n, annotations: 0, seed });
  const rows = await w.query<Freelancer>(`SELECT * FROM ${w.dialect.table('freelancers')} ORDER BY id`);
  const activity = await activitySummaries(w, 'all', new Date(summary.now));
  // The demand features come from the demo's job postings, as training computes them.
  const demand = await loadSkillDemand(w);
  await w.close();
  const snapshots = rows.map((r) => ({ profile: r, activity: activity.get(r.id) ?? null }));
  const X = snapshots.map((s) => fillDemand(featurizer.featurize(s), featurizer.demandIndex, demand, s.profile));
  if (cacheFile) fs.writeFileSync(cacheFile, JSON.stringify({ n, seed, spec, demand: true, snapshots, X: X.map((x) => Array.from(x)) }));
  return { snapshots, X, spec, p };
}

export interface Repetition {
  evalIdx: number[];
  pool: number[];
  /** trueQuality of the evaluation profiles (noise-free). */
  truth: Float64Array;
  /** The simulated label of a profile: one per profile and repetition, shared by every order. */
  label(i: number): number;
  /** Random orders of the pool (budget profiles each); random order's curve is their mean. */
  orders: number[][];
}

/** Repetition `rep`'s draw: its own split, its own annotator noise, its own random orders. */
export function repetition(snapshots: readonly ProfileSnapshot[], o: { seed: number; rep: number; evalSize: number; budget: number; randomOrders: number }): Repetition {
  const rng = mulberry32(hashSeed(o.seed, 9001, o.rep));
  const all = Array.from({ length: snapshots.length }, (_, i) => i);
  const evalIdx = sample(rng, all, o.evalSize);
  const inEval = new Set(evalIdx);
  const pool = all.filter((i) => !inEval.has(i));
  const truth = Float64Array.from(evalIdx, (i) => trueQuality(snapshots[i]));
  const shares = ANNOTATORS.map((a) => a.share);
  const labels = new Map<number, number>();
  const label = (i: number) => {
    if (!labels.has(i)) {
      const r = mulberry32(hashSeed(o.seed, 9002, o.rep, i));
      labels.set(i, simulateScore(snapshots[i], ANNOTATORS[weightedIndex(r, shares)].id, r));
    }
    return labels.get(i)!;
  };
  // The first order from the repetition's stream, the others from their own.
  const orders = [sample(rng, pool, o.budget)];
  for (let k = 1; k < o.randomOrders; k++) orders.push(sample(mulberry32(hashSeed(o.seed, 9003, o.rep, k)), pool, o.budget));
  return { evalIdx, pool, truth, label, orders };
}
