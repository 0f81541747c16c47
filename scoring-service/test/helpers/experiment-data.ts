/**
 * Generated experiment data with a known effect, for the experiments tests: units with a
 * pre-period login count (0–5), hash-assigned to control/treatment, converting with
 * P = 0.08 + 0.02·logins, plus 0.25 when treated and logins ≥ 4 (the persuadables), and
 * an earlier match in the pre-period with P = 0.1·logins.
 */
import { seededRandom } from '../../src/stats/rng.ts';
import { assignArm } from '../../src/experiments/assign.ts';
import type { Arm } from '../../src/experiments/types.ts';

export const START = '2026-10-01T00:00:00.000Z';
export const END = '2026-10-31T00:00:00.000Z';
export const NOW = new Date('2026-11-05T00:00:00.000Z');

export interface Generated {
  units: string[];
  arm: Map<string, string>;
  loginEvents: Record<string, unknown>[];
  outcomes: { unit_id: string; occurred_at: string }[];
  converted: Map<string, number>;
}

export function generate(n: number, arms: Arm[], salt: string, seed = 5): Generated {
  const rng = seededRandom(seed);
  const units = Array.from({ length: n }, (_, i) => `fl-${String(i).padStart(5, '0')}`);
  const arm = new Map<string, string>();
  const loginEvents: Record<string, unknown>[] = [];
  const outcomes: { unit_id: string; occurred_at: string }[] = [];
  const converted = new Map<string, number>();
  for (const u of units) {
    const a = assignArm(arms, salt, u).arm;
    arm.set(u, a);
    const logins = Math.floor(rng() * 6);
    for (let k = 0; k < logins; k++)
      loginEvents.push({ event_id: `pre-${u}-${k}`, event_time: new Date(Date.parse(START) - (1 + k) * 86_400_000).toISOString(), event_type: 'login', actor_type: 'freelancer', actor_id: u, target_type: null, target_id: null, properties: null });
    // An earlier match, likelier for active units: the pre-period covariate CUPED uses.
    if (rng() < 0.1 * logins)
      loginEvents.push({ event_id: `pre-${u}-match`, event_time: new Date(Date.parse(START) - 3 * 86_400_000).toISOString(), event_type: 'match', actor_type: 'freelancer', actor_id: u, target_type: null, target_id: null, properties: null });
    const p = 0.08 + 0.02 * logins + (a !== arms[0].name && logins >= 4 ? 0.25 : 0);
    const c = rng() < p ? 1 : 0;
    converted.set(u, c);
    if (c) outcomes.push({ unit_id: u, occurred_at: new Date(Date.parse(START) + (2 + Math.floor(rng() * 20)) * 86_400_000).toISOString() });
  }
  return { units, arm, loginEvents, outcomes, converted };
}
