/**
 * Rolling-origin backtest and the MASE metric (Hyndman & Koehler 2006): errors are scaled
 * by the in-sample MAE of the seasonal-naive one-step forecast, so MASE < 1 means the
 * method beats what "same weekday last week" achieves on the training data. relativeMae
 * compares with the seasonal-naive forecast on the same out-of-sample points instead.
 */
import { fitHoltWinters, forecastHoltWinters, type HwParams, type Interval } from './holt-winters.ts';

export type Transform = 'none' | 'log1p';

/**
 * Fits on the transformed scale and maps the forecast back. Quantiles survive a monotone
 * transform, so the back-transformed mean is the median forecast and the band keeps 80%.
 */
export function forecastWith(train: number[], horizon: number, o: { period?: number; level?: number; transform?: Transform } = {}): Interval & { params: HwParams } {
  const log = o.transform === 'log1p';
  const model = fitHoltWinters(log ? train.map((v) => Math.log1p(v)) : train, { period: o.period ?? 7 });
  const fc = forecastHoltWinters(model, horizon, o.level ?? 0.8);
  if (!log) return { ...fc, params: model.params };
  const back = (xs: number[]) => xs.map((v) => Math.max(0, Math.expm1(v)));
  return { mean: back(fc.mean), lower: back(fc.lower), upper: back(fc.upper), level: fc.level, params: model.params };
}

export interface BacktestOptions {
  period?: number;
  horizon?: number;
  /** Number of forecast origins, the last one `horizon` days before the end. */
  origins?: number;
  /** Days between origins. */
  step?: number;
  /** Smallest training length allowed for an origin. */
  minTrain?: number;
  /** Fit on log(1 + y) and back-transform (multiplicative season for counts). */
  transform?: Transform;
}

export interface BacktestResult {
  /** Mean absolute scaled error of Holt-Winters over all origins and horizons. */
  mase: number;
  /** The same for the seasonal-naive forecast (reference). */
  maseSeasonalNaive: number;
  /** Out-of-sample MAE of Holt-Winters ÷ that of seasonal naive on the same points (< 1: beats it); null when seasonal naive made no error. */
  relativeMae: number | null;
  /** Share of actuals inside the 80% intervals. */
  coverage80: number;
  origins: number;
  horizon: number;
}

/** In-sample MAE of y_t − y_{t−m}. */
export function seasonalNaiveScale(y: number[], m: number): number {
  let s = 0;
  for (let t = m; t < y.length; t++) s += Math.abs(y[t] - y[t - m]);
  return s / Math.max(1, y.length - m);
}

/** Repeats the last observed cycle. */
export function seasonalNaiveForecast(y: number[], m: number, horizon: number): number[] {
  const out: number[] = [];
  for (let h = 1; h <= horizon; h++) out.push(y[y.length - m + ((h - 1) % m)]);
  return out;
}

export function backtest(y: number[], o: BacktestOptions = {}): BacktestResult | null {
  const m = o.period ?? 7;
  const horizon = o.horizon ?? 14;
  const step = o.step ?? 7;
  const minTrain = Math.max(o.minTrain ?? 8 * m, 2 * m + 1);
  let originsWanted = o.origins ?? 8;
  let hwSum = 0;
  let snSum = 0;
  let hwAbs = 0;
  let snAbs = 0;
  let inside = 0;
  let count = 0;
  let used = 0;
  for (let k = 0; k < originsWanted; k++) {
    const end = y.length - horizon - k * step; // training is y[0..end)
    if (end < minTrain) break;
    const train = y.slice(0, end);
    const scale = seasonalNaiveScale(train, m);
    if (!(scale > 0)) {
      originsWanted++; // a flat training window carries no scale; skip it
      if (originsWanted > 100) break;
      continue;
    }
    const fc = forecastWith(train, horizon, { period: m, transform: o.transform });
    const sn = seasonalNaiveForecast(train, m, horizon);
    for (let h = 0; h < horizon; h++) {
      const actual = y[end + h];
      hwAbs += Math.abs(actual - fc.mean[h]);
      snAbs += Math.abs(actual - sn[h]);
      hwSum += Math.abs(actual - fc.mean[h]) / scale;
      snSum += Math.abs(actual - sn[h]) / scale;
      if (actual >= fc.lower[h] && actual <= fc.upper[h]) inside++;
      count++;
    }
    used++;
  }
  if (!count) return null;
  return { mase: hwSum / count, maseSeasonalNaive: snSum / count, relativeMae: snAbs > 0 ? hwAbs / snAbs : null, coverage80: inside / count, origins: used, horizon };
}
