/**
 * The KPI query: one statement, written once against the Dialect, computing every KPI of
 * kpi/definitions.ts for each day of [from, to] (Asia/Tokyo). Pure (no I/O), so the Apps
 * Script bundle renders the BigQuery text from the same code the service runs on DuckDB.
 *
 * Only events with event_time in [scan_from, scan_to) are read — constant timestamp bounds
 * that BigQuery uses to prune the DATE(event_time) partitions; scan_from reaches back
 * LOOKBACK_DAYS for the 30-day active-user window.
 *
 * Rolling distinct actives without a days × actors range join: each active day of an actor
 * covers [day, day + w). An actor's covered days form runs; a run starts on an active day
 * whose previous active day is ≥ w days earlier (or none) and ends w days after an active
 * day whose next one is ≥ w days later (or none). +1 at each start and −1 at each end,
 * summed over positions ≤ D, is the number of distinct actors active in (D − w, D].
 */
import type { Dialect } from '../warehouse/dialect.ts';
import { ACTIVE_WINDOWS, KPIS, KPI_TIME_ZONE, LOOKBACK_DAYS } from './definitions.ts';
import { addDays } from '../forecast/series.ts';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date 'YYYY-MM-DD'. */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === s;
}

/** The UTC instant at which a calendar day starts in Asia/Tokyo (UTC+9, no DST). */
export function tokyoDayStart(date: string): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) - 9 * 3_600_000;
  return new Date(t).toISOString();
}

/** The calendar date in Asia/Tokyo of an instant. */
export function tokyoDate(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

export function kpiParams(from: string, to: string): { from: string; to: string; scan_from: string; scan_to: string } {
  if (!isIsoDate(from)) throw new RangeError(`from must be a date YYYY-MM-DD, got '${from}'`);
  if (!isIsoDate(to)) throw new RangeError(`to must be a date YYYY-MM-DD, got '${to}'`);
  if (from > to) throw new RangeError(`from (${from}) is after to (${to})`);
  return { from, to, scan_from: tokyoDayStart(addDays(from, -LOOKBACK_DAYS)), scan_to: tokyoDayStart(addDays(to, 1)) };
}

const SIDES = ['freelancer', 'company'] as const;

export function kpiQuery(d: Dialect): string {
  const tz = KPI_TIME_ZONE;
  const from = d.dateParam('from');
  const to = d.dateParam('to');
  const inScan = (col: string) => `${col} >= ${d.timestampParam('scan_from')} AND ${col} < ${d.timestampParam('scan_to')}`;
  const counted = KPIS.filter((k) => k.daily).map((k) => ({ id: k.id, agg: k.daily!(d) }));
  counted.push({ id: 'interests', agg: d.countIf("event_type = 'interest'") });
  const windows = [ACTIVE_WINDOWS.wau, ACTIVE_WINDOWS.mau];
  const dauCols = SIDES.map((side) => `SUM(CASE WHEN actor_type = '${side}' THEN n ELSE 0 END) AS ${side}_1`);
  const rollingCols = SIDES.flatMap((side) => windows.map((w) => `SUM(CASE WHEN deltas.actor_type = '${side}' AND deltas.w = ${w} THEN deltas.delta ELSE 0 END) AS ${side}_${w}`));
  const activeCols = SIDES.flatMap((side) => [`dau.${side}_1`, ...windows.map((w) => `rolling.${side}_${w}`)]);
  const complete = `has_photo AND ${d.arrayLength('skills')} > 0 AND ${d.arrayLength('portfolio_urls')} > 0 AND LENGTH(self_intro) >= 100`;
  const select = KPIS.map((k) => `${k.unit === 'version' ? k.expr(d) : d.float(k.expr(d))} AS ${k.id}`);
  const newRun = (w: number) => d.countIf(`gap_before IS NULL OR gap_before >= ${w}`);
  const endRun = (w: number) => d.countIf(`gap_after IS NULL OR gap_after >= ${w}`);
  return `WITH days AS (SELECT d FROM ${d.dateSeries(from, to)}),
-- Two plain scans of events rather than one shared CTE: DuckDB materialises a CTE read
-- twice, which cost ~25% at 2M events (A/B in the same process); each scan streams.
daily AS (
  SELECT ${d.localDate('event_time', tz)} AS day, ${counted.map((c) => `${c.agg} AS ${c.id}`).join(',\n    ')}
  FROM ${d.table('events')}
  WHERE ${inScan('event_time')} AND ${d.localDate('event_time', tz)} >= ${from}
  GROUP BY 1
),
actor_days AS (
  SELECT DISTINCT ${d.localDate('event_time', tz)} AS day, actor_type, actor_id
  FROM ${d.table('events')}
  WHERE ${inScan('event_time')}
),
spans AS (
  SELECT actor_type, day,
    ${d.dateDiffDays('day', `LAG(day) OVER (PARTITION BY actor_type, actor_id ORDER BY day)`)} AS gap_before,
    ${d.dateDiffDays(`LEAD(day) OVER (PARTITION BY actor_type, actor_id ORDER BY day)`, 'day')} AS gap_after
  FROM actor_days
),
runs AS (
  SELECT actor_type, day, COUNT(*) AS n,
    ${windows.map((w) => `${newRun(w)} AS s${w}, ${endRun(w)} AS e${w}`).join(',\n    ')}
  FROM spans GROUP BY actor_type, day
),
deltas AS (
  ${windows.map((w) => `SELECT actor_type, day AS pos, ${w} AS w, s${w} AS delta FROM runs\n  UNION ALL\n  SELECT actor_type, ${d.dateAddDays('day', String(w))} AS pos, ${w} AS w, -e${w} AS delta FROM runs`).join('\n  UNION ALL\n  ')}
),
dau AS (SELECT day, ${dauCols.join(', ')} FROM runs GROUP BY day),
rolling AS (
  SELECT days.d AS day, ${rollingCols.join(',\n    ')}
  FROM days CROSS JOIN deltas WHERE deltas.pos <= days.d GROUP BY days.d
),
active AS (
  SELECT days.d AS day, ${activeCols.join(', ')}
  FROM days LEFT JOIN dau ON dau.day = days.d LEFT JOIN rolling ON rolling.day = days.d
),
reg AS (
  SELECT ${d.localDate('registered_at', tz)} AS day, COUNT(*) AS registered, ${d.countIf(complete)} AS complete
  FROM ${d.table('freelancers')} GROUP BY 1
),
profiles AS (
  SELECT days.d AS day, SUM(reg.registered) AS registered, SUM(reg.complete) AS complete
  FROM days CROSS JOIN reg WHERE reg.day <= days.d GROUP BY days.d
),
ann AS (
  SELECT ${d.localDate('created_at', tz)} AS day, COUNT(*) AS n
  FROM ${d.table('annotations')} WHERE ${inScan('created_at')} GROUP BY 1
),
mv AS (
  SELECT version, activated_at, ${d.localDate('activated_at', tz)} AS act_day
  FROM ${d.table('model_versions')} WHERE activated_at IS NOT NULL
),
live_pick AS (
  SELECT days.d AS day, mv.version, ROW_NUMBER() OVER (PARTITION BY days.d ORDER BY mv.activated_at DESC, mv.version DESC) AS rn
  FROM days CROSS JOIN mv WHERE mv.act_day <= days.d
),
sc AS (
  SELECT model_version, ${d.median('score')} AS med, MIN(${d.localDate('scored_at', tz)}) AS first_day
  FROM ${d.table('freelancer_scores')} GROUP BY model_version
),
live AS (
  SELECT live_pick.day, live_pick.version, CASE WHEN sc.first_day <= live_pick.day THEN sc.med END AS median_score
  FROM live_pick LEFT JOIN sc ON sc.model_version = live_pick.version WHERE live_pick.rn = 1
)
SELECT days.d AS date,
  ${select.join(',\n  ')}
FROM days
LEFT JOIN daily ON daily.day = days.d
LEFT JOIN active ON active.day = days.d
LEFT JOIN profiles ON profiles.day = days.d
LEFT JOIN ann ON ann.day = days.d
LEFT JOIN live ON live.day = days.d
ORDER BY date`;
}
