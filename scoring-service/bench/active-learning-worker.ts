/**
 * One repetition of the active-learning benchmark (run in a worker thread by
 * active-learning.ts; the runner skips `-worker` files). A repetition draws its own
 * evaluation/pool split and its own annotator noise, then records the learning curve of
 * random order and of each acquisition strategy on the same labels.
 *
 * The active order is the product's code path, not a copy: the ensemble is fitEnsemble()
 * with the production ModelKit (annotation/deps.ts), the pool view is poolView() over
 * standardize()/density() as in queue.ts, and each batch is acquire() — the function
 * ActiveQueue.rank() calls for GET /v1/annotation/next — with the service's defaults
 * (strategy "service") or with named overrides for comparison.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ProfileSnapshot } from '../src/domain/types.ts';
import { hashSeed } from '../src/demo/rng.ts';
import { clipScore } from '../src/model/scoring-model.ts';
import { acquire, DEFAULTS, density, poolView, standardize, type AcquisitionOptions, type PoolCandidate } from '../src/annotation/acquisition.ts';
import { ensemblePredictions, fitUncertainty, type KitModel, type ModelKit } from '../src/annotation/ensemble.ts';
import { productionDeps } from '../src/annotation/deps.ts';
import { repetition } from './active-learning-lib.ts';

export interface WorkerInput {
  snapshots: ProfileSnapshot[];
  /** Features, row-major (rows × p), shared between the threads. */
  X: Float64Array;
  p: number;
  seed: number;
  evalSize: number;
  batch: number;
  budget: number;
  firstCheckpoint: number;
  ensembleSize: number;
  /** The seed the service's queue fits its ensemble with (queue.ts). */
  ensembleSeed: number;
  /** Independent random orders per repetition; random order's curve is their mean. */
  randomOrders: number;
  strategies: { name: string; options: AcquisitionOptions; ensembleSize: number }[];
}

export interface Curve {
  n: number[];
  rmse: number[];
}

export interface RepResult {
  rep: number;
  /** The mean of the repetition's random orders. */
  random: Curve;
  /** Each random order's RMSE per checkpoint. */
  randomByOrder: number[][];
  active: Record<string, Curve>;
  why: Record<string, Record<string, number>>;
  /** Milliseconds spent per activity (profiling). */
  ms: Record<string, number>;
}

const input = workerData as WorkerInput;
const rows = input.snapshots.length;
const X = Array.from({ length: rows }, (_, i) => input.X.subarray(i * input.p, (i + 1) * input.p));
const productionKit = await productionDeps().modelKit();

function runRep(rep: number): RepResult {
  const ms: Record<string, number> = { evaluation_fits: 0, ensemble_fits: 0, ensemble_predictions: 0, posterior: 0, pool_view: 0, acquisition: 0 };
  const timed = <T>(key: string, f: () => T): T => {
    const t = performance.now();
    const r = f();
    ms[key] += performance.now() - t;
    return r;
  };
  const { evalIdx, pool, truth, label, orders } = repetition(input.snapshots, { seed: input.seed, rep, evalSize: input.evalSize, budget: input.budget, randomOrders: input.randomOrders });
  // The served model (fitScoringModel, penalties as training sets them) through the
  // production kit, the call the queue makes for its own cross-validated fit.
  let lastFit: { X: Float64Array[]; y: number[]; model: KitModel } | null = null;
  const evaluate = (labelled: number[]): { rmse: number; Xl: Float64Array[]; yl: number[] } => {
    const Xl = labelled.map((i) => X[i]);
    const yl = labelled.map(label);
    const model = timed('evaluation_fits', () => productionKit.fit(Xl, yl, { seed: input.ensembleSeed }));
    lastFit = { X: Xl, y: yl, model };
    let s = 0;
    evalIdx.forEach((i, k) => (s += (clipScore(model.predict(X[i])) - truth[k]) ** 2));
    return { rmse: Math.sqrt(s / evalIdx.length), Xl, yl };
  };
  // The ensemble's own cross-validated fit on the same rows with the same seed is exactly
  // the evaluation fit just made: reuse it instead of computing it twice.
  const kit: ModelKit = {
    fit(Xf, yf, o) {
      if (o.alpha === undefined && lastFit && lastFit.X === Xf && lastFit.y === yf && o.seed === input.ensembleSeed) return lastFit.model;
      return productionKit.fit(Xf, yf, o);
    },
  };

  // Random order's curve: the mean over `randomOrders` independent orders, so the reference the
  // queue is judged against is not one lucky or unlucky draw (one order's RMSE at 500 varies by ~0.02).
  const random: Curve = { n: [], rmse: [] };
  const randomByOrder: number[][] = orders.map(() => []);
  for (let n = input.firstCheckpoint; n <= input.budget; n += input.batch) {
    random.n.push(n);
    orders.forEach((order, o) => randomByOrder[o].push(evaluate(order.slice(0, n)).rmse));
    random.rmse.push(randomByOrder.reduce((a, c) => a + c.at(-1)!, 0) / orders.length);
  }

  // The pool view as the service builds it (queue.ts rebuild): standardise, density.
  const poolX = pool.map((i) => X[i]);
  const poolPos = new Map(pool.map((i, k) => [i, k]));
  const Z = timed('pool_view', () => standardize(poolX));
  const dens = timed('pool_view', () => density(Z));
  const occ = (i: number) => input.snapshots[i].profile.occupation;
  const active: Record<string, Curve> = {};
  const why: Record<string, Record<string, number>> = {};
  for (const { name, options, ensembleSize } of input.strategies) {
    const curve: Curve = { n: [], rmse: [] };
    const whys: Record<string, number> = {};
    const labelled: number[] = [];
    const taken = new Set<number>();
    lastFit = null;
    for (let round = 0; ; round++) {
      let Xl = labelled.map((i) => X[i]);
      let yl = labelled.map(label);
      if (labelled.length >= input.firstCheckpoint) {
        const ev = evaluate(labelled);
        curve.n.push(labelled.length);
        curve.rmse.push(ev.rmse);
        ({ Xl, yl } = ev);
      }
      if (labelled.length >= input.budget) break;
      // What the queue's rebuild computes (queue.ts ensemblePredictions → fitUncertainty): the
      // ridge posterior and/or the bootstrap ensemble, as the strategy needs.
      const u = timed('ensemble_fits', () => fitUncertainty(Xl, yl, kit, { strategy: options.strategy ?? DEFAULTS.strategy, size: ensembleSize, seed: input.ensembleSeed }));
      const factor = u.posterior ? timed('posterior', () => u.posterior!.factor(poolX)) : null;
      const P = u.ensemble ? timed('ensemble_predictions', () => ensemblePredictions(u.ensemble!, poolX)) : null;
      const view = timed('pool_view', () => poolView(Z, dens, P, u.noiseVar, factor, options.ensembleShare));
      const counts = new Map<string, number>();
      for (const i of labelled) counts.set(occ(i), (counts.get(occ(i)) ?? 0) + 1);
      const cands: PoolCandidate[] = [];
      pool.forEach((i, k) => taken.has(i) || cands.push({ id: String(i), occupation: occ(i), changed: false, pool: k }));
      // As the service passes them: the annotated profiles' pool positions (for the output balance).
      const annotated = labelled.map((i) => poolPos.get(i)!);
      const { batch } = timed('acquisition', () => acquire(view, cands, counts, input.batch, { ...options, seed: hashSeed(rep, round), annotated }));
      for (const s of batch) {
        const i = pool[cands[s.index].pool];
        taken.add(i);
        labelled.push(i);
        whys[s.why] = (whys[s.why] ?? 0) + 1;
      }
    }
    active[name] = curve;
    why[name] = whys;
  }
  return { rep, random, randomByOrder, active, why, ms };
}

parentPort!.on('message', (rep: number | null) => {
  if (rep === null) process.exit(0);
  parentPort!.postMessage(runRep(rep));
});
parentPort!.postMessage('ready');
