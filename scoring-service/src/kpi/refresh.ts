/**
 * The service's KPI refresh on any Warehouse: the incremental daily refresh reads only the
 * days after the last stored one, a backfill recomputes a range; both upsert one row per
 * date into kpi_daily, so repeating either changes nothing.
 */
import type { Warehouse } from '../warehouse/port.ts';
import { KPIS, type KpiRow } from './definitions.ts';
import { kpiParams, kpiQuery, tokyoDate, tokyoDayStart } from './query.ts';
import { kpiDaily } from './tables.ts';
import { addDays } from '../forecast/series.ts';

export type { KpiRow };

export interface RefreshResult {
  /** Range recomputed, or null when nothing was new. */
  from: string | null;
  to: string | null;
  days: number;
}

/** How far back a first refresh reaches when kpi_daily is empty. */
export const INITIAL_DAYS = 730;

/** Computes KPI rows for [from, to] without storing them. */
export async function computeKpis(w: Warehouse, from: string, to: string): Promise<KpiRow[]> {
  const rows = await w.query<Record<string, unknown>>(kpiQuery(w.dialect), kpiParams(from, to), { label: 'kpi-daily' });
  return rows.map((r) => {
    const out: KpiRow = { date: String(r.date).slice(0, 10) };
    for (const k of KPIS) {
      const v = r[k.id];
      out[k.id] = v === null || v === undefined ? null : k.unit === 'version' ? String(v) : Number(v);
    }
    return out;
  });
}

async function store(w: Warehouse, rows: KpiRow[], now: Date): Promise<void> {
  const computedAt = now.toISOString();
  await w.upsert(kpiDaily, rows.map((r) => ({ ...r, computed_at: computedAt })));
}

/** Recomputes [from, to] and upserts it: rebuilding history is idempotent. */
export async function backfillKpis(w: Warehouse, from: string, to: string, now: Date): Promise<RefreshResult> {
  const rows = await computeKpis(w, from, to);
  await store(w, rows, now);
  return { from, to, days: rows.length };
}

/** The last complete day: yesterday in Asia/Tokyo. */
export function lastCompleteDay(now: Date): string {
  return addDays(tokyoDate(now), -1);
}

/**
 * Reads only the days after the last stored date, up to yesterday (Asia/Tokyo) or the last
 * day with events, whichever is earlier (so a stopped event feed, or demo data that ends,
 * does not fill the table with zeros). A first run starts at the first event's day (at
 * most INITIAL_DAYS back). Both look-ups filter event_time from a constant, so BigQuery
 * reads only the new partitions.
 */
export async function refreshKpis(w: Warehouse, now: Date): Promise<RefreshResult> {
  const d = w.dialect;
  const yesterday = lastCompleteDay(now);
  const [{ last }] = await w.query<{ last: string | null }>(`SELECT MAX(date) AS last FROM ${d.table('kpi_daily')}`);
  const since = last ? addDays(String(last).slice(0, 10), 1) : addDays(yesterday, -(INITIAL_DAYS - 1));
  if (since > yesterday) return { from: null, to: null, days: 0 };
  const [span] = await w.query<{ first: string | null; latest: string | null }>(
    `SELECT MIN(event_time) AS first, MAX(event_time) AS latest FROM ${d.table('events')} WHERE event_time >= ${d.timestampParam('since')}`,
    { since: tokyoDayStart(since) },
  );
  if (!span.first || !span.latest) return { from: null, to: null, days: 0 };
  const from = last ? since : tokyoDate(new Date(span.first));
  const latestDay = tokyoDate(new Date(span.latest));
  const to = latestDay < yesterday ? latestDay : yesterday;
  if (from > to) return { from: null, to: null, days: 0 };
  return backfillKpis(w, from, to, now);
}

/** The last stored date, or null on an empty table. */
export async function lastStoredDate(w: Warehouse): Promise<string | null> {
  const [{ last }] = await w.query<{ last: string | null }>(`SELECT MAX(date) AS last FROM ${w.dialect.table('kpi_daily')}`);
  return last ? String(last).slice(0, 10) : null;
}

/** Stored rows of [from, to], by date. */
export async function readKpiRows(w: Warehouse, from: string, to: string): Promise<KpiRow[]> {
  const cols = ['date', ...KPIS.map((k) => k.id)].map((c) => w.dialect.ident(c)).join(', ');
  const rows = await w.query<Record<string, unknown>>(
    `SELECT ${cols} FROM ${w.dialect.table('kpi_daily')} WHERE date >= ${w.dialect.dateParam('from')} AND date <= ${w.dialect.dateParam('to')} ORDER BY date`,
    { from, to },
  );
  return rows.map((r) => {
    const out: KpiRow = { date: String(r.date).slice(0, 10) };
    for (const k of KPIS) out[k.id] = (r[k.id] as number | string | null) ?? null;
    return out;
  });
}
