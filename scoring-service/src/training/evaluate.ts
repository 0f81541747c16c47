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
}

export function compare(y: number[], challenger: number[], live: number[] | null, occupations: string[], seed: number): Comparison {
  return {
    challenger: metricsOf(y, challenger, occupations),
    live: live ? metricsOf(y, live, occupations) : null,
    diff: live ? pairedBootstrapRmseDiff(y, live, challenger, { resamples: 1000, seed }) : null,
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
 */
export function gate(c: Comparison, minImprovement: number): GateDecision {
  if (!c.live || !c.diff) return { promote: true, reason_ja: 'ライブモデルがないため、最初のモデルとして採用', reason_en: 'no model is live: promoted as the first model' };
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
