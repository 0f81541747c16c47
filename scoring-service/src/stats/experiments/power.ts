/**
 * Sample size and power for comparing two proportions with a two-sided z-test, variance
 * pooled under the null and unpooled under the alternative (Fleiss, Statistical Methods
 * for Rates and Proportions, §4.2 without continuity correction; the same formula as
 * statsmodels' samplesize_proportions_2indep_onetail with alpha split over two tails).
 */
import { normalCdf, normalQuantile } from './dist.ts';

export interface PowerInput {
  /** Control conversion rate, 0 < p < 1. */
  baseline: number;
  /** Minimum detectable effect: absolute difference, or relative to baseline when `relative`. */
  mde: number;
  relative?: boolean;
  alpha?: number;
  power?: number;
  /** Units in treatment per unit in control (allocation), > 0. */
  ratio?: number;
}

export interface SampleSize {
  baseline: number;
  treatment_rate: number;
  absolute_mde: number;
  alpha: number;
  power: number;
  ratio: number;
  control: number;
  treatment: number;
  total: number;
}

function resolve(i: PowerInput) {
  const alpha = i.alpha ?? 0.05;
  const power = i.power ?? 0.8;
  const ratio = i.ratio ?? 1;
  const delta = i.relative ? i.baseline * i.mde : i.mde;
  const p1 = i.baseline + delta;
  if (!(i.baseline > 0 && i.baseline < 1)) throw new RangeError('baseline must be between 0 and 1 (exclusive)');
  if (!(delta !== 0 && p1 > 0 && p1 < 1)) throw new RangeError('mde must be non-zero and keep the treatment rate between 0 and 1');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('alpha must be between 0 and 1');
  if (!(power > 0 && power < 1)) throw new RangeError('power must be between 0 and 1');
  if (!(ratio > 0 && Number.isFinite(ratio))) throw new RangeError('ratio must be a positive number');
  const pBar = (i.baseline + ratio * p1) / (1 + ratio);
  const sdNull = Math.sqrt(pBar * (1 - pBar) * (1 + 1 / ratio));
  const sdAlt = Math.sqrt(i.baseline * (1 - i.baseline) + (p1 * (1 - p1)) / ratio);
  return { alpha, power, ratio, delta, p1, sdNull, sdAlt };
}

/** Units needed per arm (rounded up) to detect `mde` with the given power. */
export function sampleSize(i: PowerInput): SampleSize {
  const r = resolve(i);
  const zA = normalQuantile(1 - r.alpha / 2);
  const zB = normalQuantile(r.power);
  const nControl = ((zA * r.sdNull + zB * r.sdAlt) / r.delta) ** 2;
  const control = Math.ceil(nControl - 1e-9);
  const treatment = Math.ceil(control * r.ratio - 1e-9);
  return { baseline: i.baseline, treatment_rate: r.p1, absolute_mde: r.delta, alpha: r.alpha, power: r.power, ratio: r.ratio, control, treatment, total: control + treatment };
}

/** Power reached with `control` units in control (and control × ratio in treatment). */
export function powerAt(i: PowerInput, control: number): number {
  const r = resolve({ ...i, power: 0.5 });
  const zA = normalQuantile(1 - r.alpha / 2);
  return normalCdf((Math.abs(r.delta) * Math.sqrt(control) - zA * r.sdNull) / r.sdAlt);
}
