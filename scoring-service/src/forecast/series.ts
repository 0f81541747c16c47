/**
 * Forecasts for a daily series with dates: the fitted model's 90-day band, the band the
 * last observed day should have fallen in (for the anomaly flag), and the backtest.
 */
import { backtest, forecastWith, type BacktestResult, type Transform } from './backtest.ts';

export interface DailyPoint {
  date: string;
  value: number | null;
}

export interface SeriesForecast {
  /** Forecast dates, the day after the last observation onwards. */
  dates: string[];
  mean: number[];
  lower: number[];
  upper: number[];
  level: number;
  /** One-step band for the last observed day, from a fit on the days before it. */
  last: { date: string; value: number; mean: number; lower: number; upper: number; anomaly: boolean } | null;
  backtest: BacktestResult | null;
  params: { alpha: number; beta: number; gamma: number; phi: number };
  transform: Transform;
}

/** 'YYYY-MM-DD' plus n days (UTC calendar arithmetic; dates carry no zone). */
export function addDays(date: string, n: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export const MIN_HISTORY = 28;

/**
 * Uses the longest trailing run without gaps (nulls end it). Returns null when fewer than
 * MIN_HISTORY days are available.
 */
export function forecastSeries(points: DailyPoint[], o: { horizon?: number; level?: number; backtest?: boolean; transform?: Transform } = {}): SeriesForecast | null {
  const horizon = o.horizon ?? 90;
  const level = o.level ?? 0.8;
  let start = points.length;
  while (start > 0 && typeof points[start - 1].value === 'number' && Number.isFinite(points[start - 1].value)) start--;
  const run = points.slice(start);
  if (run.length < MIN_HISTORY) return null;
  const y = run.map((p) => p.value as number);
  // log1p needs non-negative data; fall back to the plain scale otherwise.
  const transform: Transform = o.transform === 'log1p' && y.every((v) => v >= 0) ? 'log1p' : 'none';
  const fc = forecastWith(y, horizon, { level, transform });
  const lastDate = run[run.length - 1].date;
  const prior = forecastWith(y.slice(0, -1), 1, { level, transform });
  const lastValue = y[y.length - 1];
  return {
    dates: fc.mean.map((_, i) => addDays(lastDate, i + 1)),
    mean: fc.mean,
    lower: fc.lower,
    upper: fc.upper,
    level,
    last: {
      date: lastDate,
      value: lastValue,
      mean: prior.mean[0],
      lower: prior.lower[0],
      upper: prior.upper[0],
      anomaly: lastValue < prior.lower[0] || lastValue > prior.upper[0],
    },
    backtest: o.backtest === false ? null : backtest(y, { transform }),
    params: fc.params,
    transform,
  };
}
