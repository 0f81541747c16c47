/**
 * The distributions the experiment statistics need, from jStat (a maintained library)
 * rather than hand-written CDFs. jStat ships no types, so the subset used is typed here
 * instead of declaring the module globally (other areas may type it differently).
 */
import { createRequire } from 'node:module';

interface JStat {
  normal: { cdf(x: number, mean: number, sd: number): number; inv(p: number, mean: number, sd: number): number };
  studentt: { cdf(x: number, df: number): number; inv(p: number, df: number): number };
  chisquare: { cdf(x: number, df: number): number };
  beta: { cdf(x: number, a: number, b: number): number; pdf(x: number, a: number, b: number): number; inv(p: number, a: number, b: number): number };
}

const { jStat } = createRequire(import.meta.url)('jstat') as { jStat: JStat };

export const normalCdf = (x: number): number => jStat.normal.cdf(x, 0, 1);
export const normalQuantile = (p: number): number => jStat.normal.inv(p, 0, 1);

/** Two-sided p-value of a t statistic; the normal limit when df is infinite or huge. */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? 1 : 0;
  const a = Math.abs(t);
  const tail = !Number.isFinite(df) || df > 1e7 ? 1 - normalCdf(a) : 1 - jStat.studentt.cdf(a, df);
  return Math.min(1, Math.max(0, 2 * tail));
}

export function tQuantile(p: number, df: number): number {
  return !Number.isFinite(df) || df > 1e7 ? normalQuantile(p) : jStat.studentt.inv(p, df);
}

/** Upper tail of the chi-square distribution. */
export const chiSquareSf = (x: number, df: number): number => (x <= 0 ? 1 : Math.max(0, 1 - jStat.chisquare.cdf(x, df)));

export const betaCdf = (x: number, a: number, b: number): number => jStat.beta.cdf(x, a, b);
export const betaPdf = (x: number, a: number, b: number): number => jStat.beta.pdf(x, a, b);
export const betaQuantile = (p: number, a: number, b: number): number => jStat.beta.inv(p, a, b);
