/**
 * Trains the conversion model (the talk's preparation step) and the T- and X-learner
 * uplift models on an experiment's control and one treatment arm, evaluates them on a
 * held-out 30 % (split by a hash of the unit, so reruns agree), keeps the better one by
 * Qini coefficient, and writes the ranked targeting list of every unit to the warehouse.
 */
import { randomBytes } from 'node:crypto';
import { PreconditionError, ValidationError } from '../errors.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { logisticLearner } from '../uplift/learner.ts';
import { fitTLearner, fitXLearner, type UpliftModel } from '../uplift/meta.ts';
import { auc, evaluateUplift, type UpliftEvaluation } from '../uplift/evaluate.ts';
import { rankTargets, type Segment, type TargetRow } from '../uplift/targeting.ts';
import { bucketOf } from './assign.ts';
import { unitOutcomes } from './store.ts';
import { loadUnitFeatures } from './unit-features.ts';
import { upliftRuns, upliftTargeting } from './tables.ts';
import type { Experiment } from './types.ts';

export const HOLDOUT_SHARE = 0.3;
export const MIN_TRAIN_UNITS_PER_ARM = 50;
/**
 * The mljs logistic learner is plain gradient descent over ml-matrix (tens of ms per step
 * at 20k rows), so larger experiments train on a hash-drawn sample of this many units;
 * evaluation and scoring still use every unit.
 */
export const MAX_TRAIN_UNITS = 20_000;

export interface UpliftRunSummary {
  run_id: string;
  experiment_id: string;
  created_at: string;
  treatment_arm: string;
  metric: string;
  chosen: 't-learner' | 'x-learner';
  features: string[];
  train_units: number;
  holdout_units: number;
  evaluation: { 't-learner': UpliftEvaluation; 'x-learner': UpliftEvaluation };
  conversion_model: { holdout_auc: number | null; base_rate: number };
  targets: number;
  segments: Record<Segment, number>;
}

export function isHoldout(e: Experiment, unit: string): boolean {
  return bucketOf(`holdout:${e.salt}`, unit) < HOLDOUT_SHARE;
}

export async function runUplift(w: Warehouse, e: Experiment, o: { now: Date; by: string; treatmentArm?: string }): Promise<UpliftRunSummary> {
  const treatmentArm = o.treatmentArm ?? e.arms[1].name;
  const control = e.arms[0].name;
  if (!e.arms.some((a) => a.name === treatmentArm) || treatmentArm === control) throw new ValidationError('arm', `arm must be one of the variants: ${e.arms.slice(1).map((a) => a.name).join(', ')}`);
  const [outcomes, features] = await Promise.all([unitOutcomes(w, e, o.now), loadUnitFeatures(w, e, o.now)]);
  const units = outcomes.filter((u) => u.arm === control || u.arm === treatmentArm);
  const allTrain = units.filter((u) => !isHoldout(e, u.unit_id));
  const keepShare = Math.min(1, MAX_TRAIN_UNITS / Math.max(1, allTrain.length));
  const train = keepShare < 1 ? allTrain.filter((u) => bucketOf(`train:${e.salt}`, u.unit_id) < keepShare) : allTrain;
  const hold = units.filter((u) => isHoldout(e, u.unit_id));
  for (const arm of [control, treatmentArm]) {
    const n = train.filter((u) => u.arm === arm).length;
    if (n < MIN_TRAIN_UNITS_PER_ARM) throw new PreconditionError(`uplift models need at least ${MIN_TRAIN_UNITS_PER_ARM} training units in arm '${arm}', found ${n}`, { arm, units: n });
  }
  const rowOf = (id: string) => features.rows[features.index.get(id)!];
  // Constant columns carry no information and make the least-squares stage singular.
  const keep = features.names.map((_, j) => j).filter((j) => {
    const first = rowOf(train[0].unit_id)[j];
    return train.some((u) => rowOf(u.unit_id)[j] !== first);
  });
  const pick = (r: number[]) => keep.map((j) => r[j]);
  const names = keep.map((j) => features.names[j]);
  const data = (list: typeof units) => ({ X: list.map((u) => pick(rowOf(u.unit_id))), treated: list.map((u) => (u.arm === treatmentArm ? 1 : 0)), y: list.map((u) => u.y[0]) });
  const tr = data(train);
  const ho = data(hold);
  const models: Record<'t-learner' | 'x-learner', UpliftModel> = { 't-learner': fitTLearner(tr, names), 'x-learner': fitXLearner(tr, names) };
  const evaluation = {
    't-learner': evaluateUplift(models['t-learner'].predict(ho.X).uplift, ho.treated, ho.y),
    'x-learner': evaluateUplift(models['x-learner'].predict(ho.X).uplift, ho.treated, ho.y),
  };
  const chosen = evaluation['x-learner'].qini_coefficient > evaluation['t-learner'].qini_coefficient ? 'x-learner' : 't-learner';

  const ctrlTrain = tr.X.filter((_, i) => tr.treated[i] === 0);
  const conversion = logisticLearner().fit(ctrlTrain, tr.y.filter((_, i) => tr.treated[i] === 0));
  const hoCtrl = ho.X.map((_, i) => i).filter((i) => ho.treated[i] === 0);
  const holdoutAuc = hoCtrl.length ? auc(conversion.predict(hoCtrl.map((i) => ho.X[i])), hoCtrl.map((i) => ho.y[i])) : null;

  const allX = features.rows.map(pick);
  const pred = models[chosen].predict(allX);
  const targets = rankTargets(features.ids, { ...pred, pConvert: conversion.predict(allX) });
  const runId = `uplift-${o.now.toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  const createdAt = o.now.toISOString();
  await w.upsert(upliftRuns, [
    {
      run_id: runId,
      experiment_id: e.id,
      created_at: createdAt,
      created_by: o.by,
      treatment_arm: treatmentArm,
      models: { chosen, conversion: conversion.toJSON(), 't-learner': models['t-learner'].toJSON(), 'x-learner': models['x-learner'].toJSON() },
      evaluation: { evaluation, conversion_model: { holdout_auc: holdoutAuc }, features: names, train_units: train.length, holdout_units: hold.length, metric: e.goal_metric },
    },
  ]);
  await w.deleteWhereIn(upliftTargeting, 'experiment_id', [e.id]);
  await w.append(upliftTargeting, targets.map((t) => ({ ...t, experiment_id: e.id, run_id: runId, created_at: createdAt })));
  const segments: Record<Segment, number> = { persuadable: 0, sure_thing: 0, lost_cause: 0, sleeping_dog: 0 };
  for (const t of targets) segments[t.segment]++;
  return {
    run_id: runId,
    experiment_id: e.id,
    created_at: createdAt,
    treatment_arm: treatmentArm,
    metric: e.goal_metric,
    chosen,
    features: names,
    train_units: train.length,
    holdout_units: hold.length,
    evaluation,
    conversion_model: { holdout_auc: holdoutAuc, base_rate: tr.y.filter((_, i) => tr.treated[i] === 0).reduce((a, b) => a + b, 0) / Math.max(1, ctrlTrain.length) },
    targets: targets.length,
    segments,
  };
}

export async function latestUpliftRun(w: Warehouse, experimentId: string): Promise<{ run_id: string; created_at: string; treatment_arm: string; evaluation: any; chosen: string } | null> {
  const rows = await w.query(
    `SELECT run_id, created_at, treatment_arm, evaluation, models FROM ${w.dialect.table('uplift_runs')} WHERE experiment_id = @e ORDER BY created_at DESC, run_id DESC LIMIT 1`,
    { e: experimentId },
  );
  if (!rows.length) return null;
  const r = rows[0] as any;
  return { run_id: r.run_id, created_at: new Date(r.created_at).toISOString(), treatment_arm: r.treatment_arm, evaluation: r.evaluation, chosen: r.models?.chosen };
}

/** `sort: 'p_convert'` orders by the conversion model instead: the likeliest converters, for picking the next small test's sample. */
export async function readTargets(w: Warehouse, experimentId: string, o: { limit?: number; segment?: Segment; sort?: 'uplift' | 'p_convert' } = {}): Promise<TargetRow[]> {
  const params: Record<string, string | number> = { e: experimentId, lim: o.limit ?? 1_000_000 };
  if (o.segment) params.seg = o.segment;
  const rows = await w.query(
    `SELECT unit_id, ${w.dialect.ident('rank')} AS rnk, uplift, p_treatment, p_control, p_convert, segment FROM ${w.dialect.table('uplift_targeting')}
     WHERE experiment_id = @e ${o.segment ? 'AND segment = @seg' : ''} ORDER BY ${o.sort === 'p_convert' ? 'p_convert DESC, ' : ''}${w.dialect.ident('rank')} LIMIT @lim`,
    params,
  );
  return rows.map((r: any) => ({ unit_id: r.unit_id, rank: Number(r.rnk), uplift: r.uplift, p_treatment: r.p_treatment, p_control: r.p_control, p_convert: r.p_convert, segment: r.segment }));
}
