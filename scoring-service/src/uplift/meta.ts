/**
 * Uplift meta-learners over any base learner (Künzel et al. 2019, "Metalearners for
 * estimating heterogeneous treatment effects"):
 * - T-learner: one outcome model per arm, τ(x) = μ₁(x) − μ₀(x);
 * - X-learner: imputed effects D₁ = Y₁ − μ₀(X₁) and D₀ = μ₁(X₀) − Y₀ regressed on X,
 *   combined as τ(x) = g·τ₀(x) + (1 − g)·τ₁(x) with g the treatment propensity, which a
 *   randomised experiment knows (the treatment arm's share of the two arms).
 */
import { linearLearner, loadLearnerModel, logisticLearner, type FittedModel, type Learner, type LearnerJson } from './learner.ts';

export interface UpliftData {
  X: number[][];
  /** 1 = treated, 0 = control. */
  treated: number[];
  y: number[];
}

export interface UpliftPrediction {
  uplift: number[];
  pTreatment: number[];
  pControl: number[];
}

export interface UpliftModel {
  kind: 't-learner' | 'x-learner';
  predict(X: number[][]): UpliftPrediction;
  toJSON(): UpliftModelJson;
}

export interface UpliftModelJson {
  type: 'workship.uplift';
  format_version: 1;
  kind: 't-learner' | 'x-learner';
  feature_names: string[];
  propensity: number;
  mu0: LearnerJson;
  mu1: LearnerJson;
  tau0?: LearnerJson;
  tau1?: LearnerJson;
}

function split(d: UpliftData) {
  const X0: number[][] = [];
  const y0: number[] = [];
  const X1: number[][] = [];
  const y1: number[] = [];
  d.X.forEach((x, i) => {
    if (d.treated[i] === 1) {
      X1.push(x);
      y1.push(d.y[i]);
    } else {
      X0.push(x);
      y0.push(d.y[i]);
    }
  });
  if (X0.length < 2 || X1.length < 2) throw new RangeError('uplift models need at least two units in each of control and treatment');
  return { X0, y0, X1, y1 };
}

const clip = (v: number) => Math.min(1, Math.max(0, v));

function build(kind: UpliftModel['kind'], names: string[], g: number, mu0: FittedModel, mu1: FittedModel, tau0?: FittedModel, tau1?: FittedModel): UpliftModel {
  return {
    kind,
    predict(X) {
      const pControl = mu0.predict(X).map(clip);
      const pTreatment = mu1.predict(X).map(clip);
      let uplift = pTreatment.map((p, i) => p - pControl[i]);
      if (tau0 && tau1) {
        const t0 = tau0.predict(X);
        const t1 = tau1.predict(X);
        uplift = t0.map((v, i) => g * v + (1 - g) * t1[i]);
      }
      return { uplift, pTreatment, pControl };
    },
    toJSON: () => ({ type: 'workship.uplift', format_version: 1, kind, feature_names: names, propensity: g, mu0: mu0.toJSON(), mu1: mu1.toJSON(), ...(tau0 && tau1 ? { tau0: tau0.toJSON(), tau1: tau1.toJSON() } : {}) }),
  };
}

export function fitTLearner(d: UpliftData, featureNames: string[], base: Learner = logisticLearner()): UpliftModel {
  const s = split(d);
  const g = s.X1.length / (s.X0.length + s.X1.length);
  return build('t-learner', featureNames, g, base.fit(s.X0, s.y0), base.fit(s.X1, s.y1));
}

export function fitXLearner(d: UpliftData, featureNames: string[], base: Learner = logisticLearner(), effect: Learner = linearLearner(), propensity?: number): UpliftModel {
  const s = split(d);
  const g = propensity ?? s.X1.length / (s.X0.length + s.X1.length);
  const mu0 = base.fit(s.X0, s.y0);
  const mu1 = base.fit(s.X1, s.y1);
  const m0on1 = mu0.predict(s.X1);
  const m1on0 = mu1.predict(s.X0);
  const tau1 = effect.fit(s.X1, s.y1.map((y, i) => y - m0on1[i]));
  const tau0 = effect.fit(s.X0, s.y0.map((y, i) => m1on0[i] - y));
  return build('x-learner', featureNames, g, mu0, mu1, tau0, tau1);
}

export function loadUpliftModel(json: unknown): UpliftModel {
  const j = json as UpliftModelJson;
  if (j?.type !== 'workship.uplift' || j.format_version !== 1) throw new TypeError(`not an uplift model: ${String((j as { type?: unknown })?.type)}`);
  const tau = j.tau0 && j.tau1 ? [loadLearnerModel(j.tau0), loadLearnerModel(j.tau1)] : [];
  return build(j.kind, j.feature_names, j.propensity, loadLearnerModel(j.mu0), loadLearnerModel(j.mu1), tau[0], tau[1]);
}
