/**
 * When things happen: weekly seasonality (weekdays busier than weekends, companies
 * almost idle at weekends), hours of the day in Japan time, and growth over the year.
 */
import type { Rng } from './rng.ts';

export const DAY = 86_400_000;
export const YEAR = 365 * DAY;
const JST = 9 * 3_600_000;

export interface Rhythm {
  /** Sunday..Saturday, Japan time. */
  week: number[];
  /** 0..23 h, Japan time. */
  hour: number[];
}

export const FREELANCER_RHYTHM: Rhythm = {
  week: [0.6, 1.1, 1.1, 1.1, 1.05, 1.0, 0.65],
  hour: [0.3, 0.2, 0.1, 0.05, 0.05, 0.1, 0.3, 0.6, 0.8, 1, 1, 1, 0.9, 1, 1, 0.9, 0.9, 0.9, 0.9, 1, 1.1, 1.1, 0.9, 0.6],
};

export const COMPANY_RHYTHM: Rhythm = {
  week: [0.12, 1.1, 1.1, 1.1, 1.1, 1.0, 0.18],
  hour: [0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.6, 1, 1, 1, 0.7, 1, 1, 1, 1, 0.9, 0.7, 0.4, 0.2, 0.1, 0.05, 0.03],
};

export function dayOfWeekJst(t: number): number {
  // 1970-01-01 was a Thursday (4).
  return (Math.floor((t + JST) / DAY) + 4) % 7;
}

export function hourJst(t: number): number {
  return Math.floor(((t + JST) % DAY) / 3_600_000);
}

/** The start (UTC ms) of the Japan-time calendar day containing t. */
export function jstDayStart(t: number): number {
  return Math.floor((t + JST) / DAY) * DAY - JST;
}

/**
 * Samples event times in [from, to) whose density follows the rhythm and grows
 * linearly over the demo year by `growth` (1.5 = 50% busier at the end than the start).
 */
export class TimeSampler {
  private readonly max: number;
  constructor(
    private readonly rhythm: Rhythm,
    private readonly windowStart: number,
    private readonly growth: number,
  ) {
    this.max = Math.max(...rhythm.week) * Math.max(...rhythm.hour) * Math.max(1, growth);
  }

  weight(t: number): number {
    const g = 1 + (this.growth - 1) * Math.min(1, Math.max(0, (t - this.windowStart) / YEAR));
    return this.rhythm.week[dayOfWeekJst(t)] * this.rhythm.hour[hourJst(t)] * g;
  }

  sample(rng: Rng, from: number, to: number): number {
    for (let tries = 0; tries < 200; tries++) {
      const t = from + rng() * (to - from);
      if (rng() * this.max < this.weight(t)) return Math.floor(t);
    }
    return Math.floor(from + rng() * (to - from));
  }

  /** Growth factor averaged over [from, to): turns a yearly rate into an expected count. */
  meanGrowth(from: number, to: number): number {
    const mid = ((from + to) / 2 - this.windowStart) / YEAR;
    return 1 + (this.growth - 1) * Math.min(1, Math.max(0, mid));
  }
}

/** Registration time with density growing exponentially (×`growth` over the year) inside the window. */
export function growingTime(u: number, windowStart: number, growth: number): number {
  const g = Math.log(growth);
  return windowStart + (YEAR * Math.log(1 + u * (Math.exp(g) - 1))) / g;
}
