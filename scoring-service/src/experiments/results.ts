/** Experiment results: per-unit outcomes → per-arm sufficient statistics → the statistics core. */
import { analyzeExperiment, type ExperimentStats } from '../stats/experiments/analyze.ts';
import type { CovariateMoments } from '../stats/experiments/cuped.ts';
import type { UnitOutcome } from './store.ts';
import { metricsOf, windowOf } from './store.ts';
import type { Experiment } from './types.ts';

export interface ExperimentResults {
  experiment: Experiment;
  window: { start: string; end: string; pre: string };
  cuped: boolean;
  generated_at: string;
  stats: ExperimentStats;
  /** Assignments whose arm is no longer configured (ignored in the statistics). */
  unknown_arm_units: number;
}

export function computeResults(e: Experiment, outcomes: UnitOutcome[], o: { now: Date; cuped?: boolean; level?: number }): ExperimentResults {
  const metrics = metricsOf(e);
  const armIndex = new Map(e.arms.map((a, i) => [a.name, i]));
  const blank = (): CovariateMoments => ({ n: 0, sumY: 0, sumYY: 0, sumX: 0, sumXX: 0, sumXY: 0 });
  const moments = metrics.map(() => e.arms.map(blank));
  let unknown = 0;
  for (const u of outcomes) {
    const a = armIndex.get(u.arm);
    if (a === undefined) {
      unknown++;
      continue;
    }
    metrics.forEach((_, m) => {
      const s = moments[m][a];
      const y = u.y[m];
      const x = u.x[m];
      s.n++;
      s.sumY += y;
      s.sumYY += y * y;
      s.sumX += x;
      s.sumXX += x * x;
      s.sumXY += x * y;
    });
  }
  const arms = e.arms.map((a, i) => ({ name: a.name, weight: a.weight, units: moments[0][i].n }));
  const stats = analyzeExperiment(arms, metrics.map((name, m) => ({ name, arms: moments[m] })), { cuped: o.cuped, level: o.level });
  if (unknown)
    stats.warnings.push({ code: 'unknown_arm', message_ja: `設定にないアームの割付が ${unknown} 件あり、集計から除外しました。`, message_en: `${unknown} assignments name an arm that is not configured and were left out.` });
  return { experiment: e, window: windowOf(e, o.now), cuped: !!o.cuped, generated_at: o.now.toISOString(), stats, unknown_arm_units: unknown };
}
