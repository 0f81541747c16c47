/**
 * Evidence penalties (evidence.ts) on the scoring model's fold statistics (ridge-cv.ts): the
 * whole set's block priors in the form fitScoringModel's CV and final solve take, and their
 * honest out-of-fold predictions for the choice against the grid on small sets.
 */
import { standardProblem, type FoldStats } from './ridge-cv.ts';
import { fitEvidence, penaltyBlocks, type EvidenceFit } from './evidence.ts';

/** Σ w (y − ȳ)² over every fold but `exclude`. */
function centredSquares(s: FoldStats, sw: number, exclude = -1): number {
  let sy = 0;
  let syy = 0;
  for (let f = 0; f < s.k; f++) {
    if (f === exclude) continue;
    sy += s.sy[f];
    syy += s.syy[f];
  }
  return Math.max(syy - (sy * sy) / sw, 0);
}

/**
 * Block priors for the whole set, as a reference α (the geometric mean of the column
 * penalties) and per-column scales s_j = √(α / penalty_j) in standardProblem's convention.
 */
export function evidencePenalties(stats: FoldStats, features: readonly { name: string; group: string }[]) {
  const st = standardProblem(stats, null);
  const { blockOf, names } = penaltyBlocks(features);
  const fit = fitEvidence(st, centredSquares(stats, st.sw), st.sw, { blockOf });
  let logSum = 0;
  for (const v of fit.penalty) logSum += Math.log(v);
  const alpha = Math.exp(logSum / fit.penalty.length);
  const blockPenalties = Object.fromEntries(names.map((name, b) => [name, fit.lambda[b] / fit.tau]));
  return { fit, alphas: [alpha], columnScales: [Float64Array.from(fit.penalty, (v) => Math.sqrt(alpha / v))], blockPenalties };
}

/**
 * Raw out-of-fold predictions with the block priors refit on each training fold (started from
 * the whole set's precisions, which saves iterations), so the evidence can be judged as
 * honestly as the grid's CV judges its α.
 */
export function evidenceOutOfFold(X: ArrayLike<number>[], stats: FoldStats, features: readonly { name: string; group: string }[], whole: EvidenceFit): Float64Array {
  const { blockOf } = penaltyBlocks(features);
  const oof = new Float64Array(stats.n);
  for (let f = 0; f < stats.k; f++) {
    const test: number[] = [];
    for (let i = 0; i < stats.n; i++) if (stats.fold[i] === f) test.push(i);
    if (!test.length || test.length === stats.n) continue;
    const sp = standardProblem(stats, f);
    const fit = fitEvidence(sp, centredSquares(stats, sp.sw, f), sp.sw, { blockOf, tol: 1e-3, init: { lambda: whole.lambda, tau: whole.tau } });
    for (const i of test) {
      const r = X[i];
      let yhat = sp.yMean;
      for (let j = 0; j < sp.p; j++) yhat += (fit.coef[j] * (r[j] - sp.mean[j])) / sp.scale[j];
      oof[i] = yhat;
    }
  }
  return oof;
}
