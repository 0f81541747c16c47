/** Forecasts (90-day 80% bands, anomaly check, backtest) for every numeric KPI. Pure. */
import { NUMERIC_KPIS, type KpiRow } from './definitions.ts';
import { forecastSeries, type SeriesForecast } from '../forecast/series.ts';

export type KpiForecasts = Record<string, SeriesForecast | null>;

export function kpiForecasts(rows: KpiRow[], o: { horizon?: number; backtest?: boolean } = {}): KpiForecasts {
  const out: KpiForecasts = {};
  for (const k of NUMERIC_KPIS) {
    const points = rows.map((r) => ({ date: r.date, value: typeof r[k.id] === 'number' ? (r[k.id] as number) : null }));
    out[k.id] = forecastSeries(points, { horizon: o.horizon ?? 90, backtest: o.backtest });
  }
  return out;
}
