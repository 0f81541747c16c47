/** Reads the KPI_daily sheet back into rows and merges fresh rows in by date. Pure. */
import { KPIS, type KpiRow } from '../../../scoring-service/src/kpi/definitions.ts';
import { tokyoDate } from '../../../scoring-service/src/kpi/query.ts';

/** Sheets returns dates as Date objects (spreadsheet zone Asia/Tokyo), strings as they are. */
export function cellDate(v: unknown): string | null {
  if (v instanceof Date) return tokyoDate(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  return null;
}

/** Values of the KPI_daily sheet (header row first) → rows; columns matched by header label. */
export function rowsFromValues(values: unknown[][]): KpiRow[] {
  if (values.length < 2) return [];
  const header = values[0].map((h) => String(h));
  const cols = KPIS.map((k) => ({ k, i: header.indexOf(k.label_ja) })).filter((c) => c.i >= 0);
  const out: KpiRow[] = [];
  for (const r of values.slice(1)) {
    const date = cellDate(r[0]);
    if (!date) continue;
    const row: KpiRow = { date };
    for (const k of KPIS) row[k.id] = null;
    for (const { k, i } of cols) {
      const v = r[i];
      row[k.id] = v === '' || v === null || v === undefined ? null : k.unit === 'version' ? String(v) : typeof v === 'number' ? v : Number(v);
    }
    out.push(row);
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** Fresh rows replace stored rows of the same date (an upsert keyed on date). */
export function mergeRows(stored: KpiRow[], fresh: KpiRow[]): KpiRow[] {
  const byDate = new Map<string, KpiRow>();
  for (const r of stored) byDate.set(r.date, r);
  for (const r of fresh) byDate.set(r.date, r);
  return Array.from(byDate.values()).sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** A BigQuery result row (DATE as 'YYYY-MM-DD', FLOAT64 as number) → KpiRow. */
export function rowFromQuery(r: Record<string, unknown>): KpiRow {
  const row: KpiRow = { date: String(r.date).slice(0, 10) };
  for (const k of KPIS) {
    const v = r[k.id];
    row[k.id] = v === null || v === undefined ? null : k.unit === 'version' ? String(v) : Number(v);
  }
  return row;
}

/** Parses the backfill prompt: "YYYY-MM-DD YYYY-MM-DD" (or separated by ~, –, comma). */
export function parseBackfillInput(text: string): { from: string; to: string } {
  const m = /^\s*(\d{4}-\d{2}-\d{2})\s*(?:[~〜–,\s]|to)\s*(\d{4}-\d{2}-\d{2})\s*$/.exec(text);
  if (!m) throw new RangeError('期間は「2026-01-01 2026-03-31」の形で入力してください (from to)');
  return { from: m[1], to: m[2] };
}
