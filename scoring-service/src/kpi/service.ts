/**
 * What the HTTP routes and the CLI share: bring kpi_daily up to date (one refresh at a time
 * per process), read a range, and attach forecasts fitted on the history up to its end.
 * Forecasts are cached per (end date, stored-row fingerprint) because fitting every KPI
 * and backtesting takes about a second.
 */
import type { Warehouse } from '../warehouse/port.ts';
import { KPIS, type KpiRow } from './definitions.ts';
import { kpiForecasts, type KpiForecasts } from './forecasts.ts';
import { lastCompleteDay, lastStoredDate, readKpiRows, refreshKpis, backfillKpis, type RefreshResult } from './refresh.ts';
import { buildKpiLayout } from './layout.ts';
import type { WorkbookLayout } from './layout-types.ts';
import { addDays } from '../forecast/series.ts';

/** History used to fit forecasts. */
export const FIT_DAYS = 730;

let running: Promise<RefreshResult> | null = null;

/** Incremental refresh; concurrent callers share the one in flight. */
export function ensureFresh(w: Warehouse, now: Date): Promise<RefreshResult> {
  if (!running) running = refreshKpis(w, now).finally(() => (running = null));
  return running;
}

/** Backfill waits for any refresh in flight first. */
export async function rebuild(w: Warehouse, from: string, to: string, now: Date): Promise<RefreshResult> {
  if (running) await running.catch(() => undefined);
  const r = backfillKpis(w, from, to, now);
  running = r.finally(() => (running = null));
  return r;
}

const cache = new Map<string, KpiForecasts>();

function fingerprint(rows: KpiRow[]): string {
  let h = 0;
  for (const r of rows) for (const k of KPIS) {
    const s = `${r.date}${r[k.id]}`;
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  }
  return `${rows.length}:${h}`;
}

export interface KpiReport {
  from: string;
  to: string;
  history: KpiRow[];
  rows: KpiRow[];
  forecasts: KpiForecasts;
  refreshed: RefreshResult;
}

export async function kpiReport(w: Warehouse, now: Date, range: { from?: string; to?: string } = {}): Promise<KpiReport> {
  const refreshed = await ensureFresh(w, now);
  // Without a `to`: the last stored day (demo data, or a stalled feed, ends before yesterday).
  const to = range.to ?? (await lastStoredDate(w)) ?? lastCompleteDay(now);
  const from = range.from ?? addDays(to, -89);
  const history = await readKpiRows(w, addDays(to, -(FIT_DAYS - 1)) < from ? addDays(to, -(FIT_DAYS - 1)) : from, to);
  const key = `${to}|${fingerprint(history)}`;
  let forecasts = cache.get(key);
  if (!forecasts) {
    forecasts = kpiForecasts(history);
    if (cache.size > 20) cache.clear();
    cache.set(key, forecasts);
  }
  return { from, to, history, rows: history.filter((r) => r.date >= from), forecasts, refreshed };
}

export async function kpiLayout(w: Warehouse, now: Date): Promise<WorkbookLayout> {
  const report = await kpiReport(w, now);
  return buildKpiLayout({ rows: report.history, forecasts: report.forecasts, generatedAt: now.toISOString() });
}
