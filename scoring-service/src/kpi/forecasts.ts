/** Forecasts (90-day 80% bands, anomaly check, backtest) for every numeric KPI. Pure. */
import { NUMERIC_KPIS, type KpiRow } from './definitions.ts';
import { forecastSeries, type SeriesForecast } from '../forecast/series.ts';

export type KpiForecasts = Record<string, SeriesForecast | null>;

/** Counts and ratios cannot leave [0, max]: bands and means are clipped there. */
function clampToRange(f: SeriesForecast, max: number): SeriesForecast {
  const c = (xs: number[]) => xs.map((v) => Math.min(max, Math.max(0, v)));
  const last = f.last && { ...f.last, mean: Math.min(max, Math.max(0, f.last.mean)), lower: Math.max(0, f.last.lower), upper: Math.min(max, f.last.upper) };
  return { ...f, mean: c(f.mean), lower: c(f.lower), upper: c(f.upper), last };
}

export function kpiForecasts(rows: KpiRow[], o: { horizon?: number; backtest?: boolean } = {}): KpiForecasts {
  const out: KpiForecasts = {};
  for (const k of NUMERIC_KPIS) {
    const points = rows.map((r) => ({ date: r.date, value: typeof r[k.id] === 'number' ? (r[k.id] as number) : null }));
    const f = forecastSeries(points, { horizon: o.horizon ?? 90, backtest: o.backtest });
    out[k.id] = f && clampToRange(f, k.unit === 'ratio' ? 1 : Infinity);
  }
  return out;
}
