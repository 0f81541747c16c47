/**
 * Challenger vs live on the same held-out folds, and the promotion / rollback gate.
 */
import { mae, rmse, rmseByGroup, spearman } from '../stats/metrics.ts';
import { pairedBootstrapRmseDiff, type PairedDiff } from '../stats/bootstrap.ts';

export interface ModelMetrics {
  rmse: number;
  mae: number;
  spearman: number;
  n: number;
  byOccupation: { group: string; n: number; rmse: number; meanResidual: number }[];
}

export function metricsOf(y: number[], p: number[], occupations: string[]): ModelMetrics {
  return { rmse: rmse(y, p), mae: mae(y, p), spearman: spearman(y, p), n: y.length, byOccupation: rmseByGroup(y, p, occupations) };
}

export interface Comparison {
  challenger: ModelMetrics;
  live: ModelMetrics | null;
  /** RMSE(challenger) − RMSE(live) with its paired bootstrap interval; null without a live model. */
  diff: PairedDiff | null;
  /** The constant predictor (each fold's training mean): a model must beat it to have learned anything. */
  baseline: ModelMetrics;
  /** RMSE(challenger) − RMSE(baseline) with its paired bootstrap interval. */
  baselineDiff: PairedDiff;
}

export function compare(y: number[], challenger: number[], live: number[] | null, baseline: number[], occupations: string[], seed: number): Comparison {
  return {
    challenger: metricsOf(y, challenger, occupations),
    live: live ? metricsOf(y, live, occupations) : null,
    diff: live ? pairedBootstrapRmseDiff(y, live, challenger, { resamples: 1000, seed }) : null,
    baseline: metricsOf(y, baseline, occupations),
    baselineDiff: pairedBootstrapRmseDiff(y, baseline, challenger, { resamples: 1000, seed: seed ^ 0xba5e }),
  };
}

export interface GateDecision {
  promote: boolean;
  reason_ja: string;
  reason_en: string;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * Promote when there is no live model, or when the relative RMSE improvement is at least
 * `minImprovement` AND the 95% interval of the difference lies entirely below zero.
 * A challenger replacing a live model must also beat the constant predictor by the same
 * rule: on corrupted labels (e.g. scores shuffled against profiles) every model looks no
 * better than the mean, and a mean-like challenger can then "beat" a live model that still
 * predicts real quality — that must not promote.
 */
export function gate(c: Comparison, minImprovement: number): GateDecision {
  if (!c.live || !c.diff) return { promote: true, reason_ja: 'ライブモデルがないため、最初のモデルとして採用', reason_en: 'no model is live: promoted as the first model' };
  const b = c.baselineDiff;
  if (b.relImprovement < minImprovement || b.hi >= 0) {
    const iv = `[${b.lo.toFixed(4)}, ${b.hi.toFixed(4)}]`;
    return {
      promote: false,
      reason_ja: `候補モデルが定数予測（平均）に対して有意に改善しない（改善 ${pct(b.relImprovement)}、95%区間 ${iv}）ため、学習データの劣化を疑いライブモデルを維持`,
      reason_en: `challenger does not beat the constant (mean) predictor (improvement ${pct(b.relImprovement)}, 95% interval ${iv}): training data looks degraded, live model kept`,
    };
  }
  const d = c.diff;
  const interval = `[${d.lo.toFixed(4)}, ${d.hi.toFixed(4)}]`;
  if (d.relImprovement < minImprovement) {
    return {
      promote: false,
      reason_ja: `RMSE改善 ${pct(d.relImprovement)} が最小改善幅 ${pct(minImprovement)} に届かないため、ライブモデルを維持`,
      reason_en: `RMSE improvement ${pct(d.relImprovement)} is below the minimum ${pct(minImprovement)}: live model kept`,
    };
  }
  if (d.hi >= 0) {
    return {
      promote: false,
      reason_ja: `RMSE差の95%区間 ${interval} が0を含むため、改善が確かでなくライブモデルを維持`,
      reason_en: `95% interval of the RMSE difference ${interval} includes zero: live model kept`,
    };
  }
  return {
    promote: true,
    reason_ja: `RMSEが ${pct(d.relImprovement)} 改善し（最小 ${pct(minImprovement)}）、差の95%区間 ${interval} が0を含まないため採用`,
    reason_en: `RMSE improved by ${pct(d.relImprovement)} (minimum ${pct(minImprovement)}) and the 95% interval ${interval} excludes zero: promoted`,
  };
}

export const clip15 = (x: number) => Math.min(5, Math.max(1, x));
