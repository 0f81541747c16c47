/**
 * Base learners for the conversion and uplift models, behind one small interface so the
 * meta-learners (T, X) do not care which one they get. Both wrap mljs packages:
 * - `logisticLearner`: ml-logistic-regression's gradient-descent classifier, fed
 *   standardised features plus an intercept column and a step size scaled by 1/n (the
 *   package sums the gradient over rows);
 * - `linearLearner`: ml-regression-multivariate-linear (least squares), for the X-learner's
 *   second stage, whose targets are imputed effects rather than 0/1.
 * Fitted models serialise to type-tagged JSON and load back (mljs convention).
 */
import { createRequire } from 'node:module';
import { Matrix } from 'ml-matrix';
import MultivariateLinearRegression from 'ml-regression-multivariate-linear';

export interface FittedModel {
  predict(X: number[][]): number[];
  toJSON(): LearnerJson;
}

export interface Learner {
  readonly name: string;
  fit(X: number[][], y: number[]): FittedModel;
}

export type LearnerJson =
  | { type: 'workship.logistic'; format_version: 1; mean: number[]; sd: number[]; weights: number[] }
  | { type: 'workship.linear'; format_version: 1; mljs: unknown };

interface MlLogistic {
  train(X: Matrix, Y: Matrix): void;
  classifiers: { weights: Matrix }[];
}
const LogisticRegression = createRequire(import.meta.url)('ml-logistic-regression') as new (o: { numSteps: number; learningRate: number }) => MlLogistic;

function standardiser(X: number[][]) {
  const p = X[0]?.length ?? 0;
  const mean = new Array<number>(p).fill(0);
  const sd = new Array<number>(p).fill(0);
  for (const row of X) for (let j = 0; j < p; j++) mean[j] += row[j] / X.length;
  for (const row of X) for (let j = 0; j < p; j++) sd[j] += (row[j] - mean[j]) ** 2 / Math.max(1, X.length - 1);
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  return { mean, sd };
}

const design = (X: number[][], mean: number[], sd: number[]) => X.map((row) => [1, ...row.map((v, j) => (v - mean[j]) / sd[j])]);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function logisticModel(mean: number[], sd: number[], weights: number[]): FittedModel {
  return {
    predict: (X) => design(X, mean, sd).map((r) => sigmoid(r.reduce((a, v, j) => a + v * weights[j], 0))),
    toJSON: () => ({ type: 'workship.logistic', format_version: 1, mean, sd, weights }),
  };
}

export function logisticLearner(o: { steps?: number; stepSize?: number } = {}): Learner {
  const steps = o.steps ?? 60;
  const stepSize = o.stepSize ?? 2;
  return {
    name: 'logistic',
    fit(X, y) {
      if (!X.length || X.length !== y.length) throw new RangeError('fit needs as many labels as rows, and at least one row');
      if (y.some((v) => v !== 0 && v !== 1)) throw new RangeError('logistic labels must be 0 or 1');
      const { mean, sd } = standardiser(X);
      const Z = new Matrix(design(X, mean, sd));
      const positives = y.reduce((a, b) => a + b, 0);
      // A single class: the package would fit one classifier; the answer is the constant rate.
      if (positives === 0 || positives === y.length) {
        const w = new Array(Z.columns).fill(0);
        w[0] = positives === 0 ? -30 : 30;
        return logisticModel(mean, sd, w);
      }
      const lr = new LogisticRegression({ numSteps: steps, learningRate: stepSize / X.length });
      lr.train(Z, Matrix.columnVector(y));
      // One-vs-all: classifier 0 separates "not class 0" (label 1) from class 0, i.e. P(y = 1).
      return logisticModel(mean, sd, lr.classifiers[0].weights.to1DArray());
    },
  };
}

export function linearLearner(): Learner {
  return {
    name: 'linear',
    fit(X, y) {
      if (!X.length || X.length !== y.length) throw new RangeError('fit needs as many targets as rows, and at least one row');
      const m = new MultivariateLinearRegression(X, y.map((v) => [v]), { intercept: true, statistics: false });
      return fromLinear(m);
    },
  };
}

function fromLinear(m: MultivariateLinearRegression): FittedModel {
  return {
    predict: (X) => (m.predict(X) as number[][]).map((r) => r[0]),
    toJSON: () => ({ type: 'workship.linear', format_version: 1, mljs: m.toJSON() }),
  };
}

export function loadLearnerModel(json: unknown): FittedModel {
  const j = json as LearnerJson;
  if (j?.type === 'workship.logistic' && j.format_version === 1 && Array.isArray(j.weights) && j.weights.length === j.mean.length + 1) return logisticModel(j.mean, j.sd, j.weights);
  if (j?.type === 'workship.linear' && j.format_version === 1) return fromLinear(MultivariateLinearRegression.load(j.mljs as MultivariateLinearRegression.MLRModel));
  throw new TypeError(`not a learner model: ${String((j as { type?: unknown })?.type)}`);
}
