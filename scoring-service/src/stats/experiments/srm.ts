/**
 * Sample-ratio mismatch: Pearson's chi-square goodness of fit of the observed units per arm
 * against the configured weights (matches scipy.stats.chisquare(observed, expected)).
 * The alarm threshold p < 0.001 follows common practice (e.g. GrowthBook's default) so
 * that an alarm almost always means a broken assignment, not chance.
 */
import { chiSquareSf } from './dist.ts';

export const SRM_ALPHA = 0.001;

export interface SrmResult {
  observed: number[];
  expected: number[];
  chi_square: number;
  df: number;
  p_value: number;
  alarm: boolean;
}

export function srmCheck(observed: number[], weights: number[], alpha = SRM_ALPHA): SrmResult {
  if (observed.length !== weights.length || observed.length < 2) throw new RangeError('srmCheck needs one weight per arm and at least two arms');
  const total = observed.reduce((a, b) => a + b, 0);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const expected = weights.map((w) => (total * w) / wsum);
  let chi = 0;
  for (let i = 0; i < observed.length; i++) if (expected[i] > 0) chi += (observed[i] - expected[i]) ** 2 / expected[i];
  const df = observed.length - 1;
  const p = total > 0 ? chiSquareSf(chi, df) : 1;
  return { observed, expected, chi_square: chi, df, p_value: p, alarm: p < alpha };
}
