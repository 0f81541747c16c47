/**
 * Demo files for trying the experiment workflow on a fresh clone: assignments by the
 * experiment's own hash and outcomes with a known, heterogeneous effect. Each unit gets
 * 0–5 pre-period logins; it converts (the goal metric) with P = 0.04 + 0.04·logins, plus
 * `effect` when treated and logins ≥ 4 (the persuadables), minus effect/5 when treated and
 * logins = 0 (sleeping dogs). Each secondary metric converts with P = 0.2 + 0.01·logins
 * and no effect at all (what Benjamini–Hochberg should keep quiet). Pre-period logins are
 * written as outcome rows of metric 'login' dated before the start, so one import brings
 * the covariates in too; so is an earlier goal conversion (P = 0.05·logins), the
 * pre-period covariate CUPED uses.
 */
import { seededRandom } from '../stats/rng.ts';
import { assignArm } from './assign.ts';
import type { Experiment } from './types.ts';

export interface SimulatedFiles {
  assignmentsCsv: string;
  outcomesCsv: string;
  trueAverageEffect: number;
}

export function simulateExperimentFiles(e: Experiment, o: { units: number; seed: number; effect?: number }): SimulatedFiles {
  const effect = o.effect ?? 0.2;
  const rng = seededRandom(o.seed);
  const start = Date.parse(e.start_at);
  const end = e.end_at ? Date.parse(e.end_at) : start + 28 * 86_400_000;
  const a = ['unit_id,arm'];
  const out = ['unit_id,metric,occurred_at'];
  let effectSum = 0;
  for (let i = 0; i < o.units; i++) {
    const unit = `demo-${e.id}-${String(i).padStart(6, '0')}`;
    const arm = assignArm(e.arms, e.salt, unit).arm;
    a.push(`${unit},${arm}`);
    const logins = Math.floor(rng() * 6);
    for (let k = 0; k < logins; k++) out.push(`${unit},login,${new Date(start - (1 + k) * 86_400_000 - Math.floor(rng() * 3_600_000)).toISOString()}`);
    if (rng() < 0.05 * logins) out.push(`${unit},${e.goal_metric},${new Date(start - 10 * 86_400_000 - Math.floor(rng() * 86_400_000)).toISOString()}`);
    const tau = logins >= 4 ? effect : logins === 0 ? -effect / 5 : 0;
    effectSum += tau;
    const treated = arm !== e.arms[0].name;
    const at = () => new Date(start + rng() * (end - start) * 0.9).toISOString();
    if (rng() < 0.04 + 0.04 * logins + (treated ? tau : 0)) out.push(`${unit},${e.goal_metric},${at()}`);
    for (const m of e.secondary_metrics) if (rng() < 0.2 + 0.01 * logins) out.push(`${unit},${m},${at()}`);
  }
  return { assignmentsCsv: a.join('\n') + '\n', outcomesCsv: out.join('\n') + '\n', trueAverageEffect: effectSum / Math.max(1, o.units) };
}
