/** Parses the sample-size calculator's inputs (HTTP query or CLI flags) and plans the duration. */
import { ValidationError } from '../errors.ts';
import { powerAt, sampleSize, type SampleSize } from '../stats/experiments/power.ts';

export interface PowerAnswer extends SampleSize {
  mde_relative: number;
  /** Days to reach the sample when `daily_units` enter the experiment per day. */
  days: number | null;
  power_at_sample: number | null;
}

function n(q: Record<string, unknown>, name: string, def?: number): number {
  const raw = q[name];
  if (raw === undefined || raw === '' || raw === true) {
    if (def === undefined) throw new ValidationError(name, `${name} is required`);
    return def;
  }
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new ValidationError(name, `${name} must be a number`);
  return v;
}

/** Inputs: baseline, mde, mde_type (absolute|relative), alpha, power, ratio, daily_units, sample. */
export function powerFromQuery(q: Record<string, unknown>): PowerAnswer {
  const relativeRaw = q.mde_type ?? 'relative';
  if (relativeRaw !== 'relative' && relativeRaw !== 'absolute') throw new ValidationError('mde_type', 'mde_type must be relative or absolute');
  const input = { baseline: n(q, 'baseline'), mde: n(q, 'mde'), relative: relativeRaw === 'relative', alpha: n(q, 'alpha', 0.05), power: n(q, 'power', 0.8), ratio: n(q, 'ratio', 1) };
  let s: SampleSize;
  try {
    s = sampleSize(input);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ValidationError(msg.split(' ')[0], msg);
  }
  const daily = q.daily_units === undefined ? null : n(q, 'daily_units');
  if (daily !== null && !(daily > 0)) throw new ValidationError('daily_units', 'daily_units must be positive');
  const sample = q.sample === undefined ? null : n(q, 'sample');
  if (sample !== null && !(sample > 0)) throw new ValidationError('sample', 'sample (control units) must be positive');
  return {
    ...s,
    mde_relative: s.absolute_mde / s.baseline,
    days: daily ? Math.ceil(s.total / daily) : null,
    power_at_sample: sample ? powerAt(input, sample) : null,
  };
}
