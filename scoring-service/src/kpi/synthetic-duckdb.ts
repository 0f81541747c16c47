/**
 * Synthetic events generated inside DuckDB with SQL (generate_series/range, no JS rows):
 * daily volume with a linear trend, a weekly cycle and day-level noise, in sessions of 1–5
 * events by one actor, with event types and actors drawn by hashing. For the KPI benchmark (10 million events) and for the
 * forecast backtest test. Deterministic for a given seed. DuckDB SQL only, by design.
 */
import type { Warehouse } from '../warehouse/port.ts';
import { tokyoDayStart } from './query.ts';

export interface SyntheticOptions {
  /** First Asia/Tokyo day. */
  start: string;
  days: number;
  /** Total events over all days (approximately). */
  events: number;
  freelancers: number;
  companies: number;
  seed: number;
  /** Relative growth over the whole period (0.5 = +50% from first to last day). */
  growth?: number;
}

/** Events per session (1–5, uniform). */
const SESSION_EVENTS = 3;

/** Mon..Sun multipliers (ISO dow 1..7): weekdays busy, weekends quiet. */
const WEEK = [1.15, 1.1, 1.05, 1.05, 1.0, 0.6, 0.55];

export async function generateSyntheticEvents(w: Warehouse, o: SyntheticOptions): Promise<void> {
  if (w.kind !== 'duckdb') throw new Error('synthetic events are generated with DuckDB SQL');
  const growth = o.growth ?? 0.5;
  const weekMean = WEEK.reduce((a, b) => a + b, 0) / 7;
  const perDay = o.events / o.days / (1 + growth / 2) / weekMean;
  const seed = Math.trunc(o.seed);
  const weekCase = `CASE isodow(day_ts) ${WEEK.map((m, i) => `WHEN ${i + 1} THEN ${m}`).join(' ')} END`;
  // u(x) ∈ [0, 1): a hash of (seed, x) scaled; each use passes a distinct salt.
  const u = (expr: string, salt: number) => `((hash(${seed}, ${salt}, ${expr}) % 1000003) / 1000003.0)`;
  await w.execute(`
INSERT INTO events
WITH days AS (
  SELECT i AS day_index, CAST(@start AS TIMESTAMP) + to_days(CAST(i AS INTEGER)) AS day_ts
  FROM range(${Math.trunc(o.days)}) t(i)
),
counts AS (
  SELECT day_index, day_ts,
    CAST(round(${perDay / SESSION_EVENTS} * (1 + ${growth} * day_index / ${Math.max(1, o.days - 1)}) * (${weekCase}) * (0.92 + 0.16 * ${u('day_index', 1)})) AS BIGINT) AS n
  FROM days
),
sessions AS (SELECT day_index, day_ts, unnest(range(n)) AS s FROM counts),
hashed AS (SELECT day_index, day_ts, s, hash(${seed}, 2, day_index, s) AS h FROM sessions),
-- a session is one actor's visit: 1–5 events (3 on average) a minute apart
ev AS (SELECT day_index, day_ts, s, h, unnest(range(1 + CAST(h % 5 AS BIGINT))) AS k FROM hashed),
typed AS (
  -- 20-bit uniforms from the session's hash (actor, side, start) and the event's (type, target)
  SELECT day_index, day_ts, s, k, ((h >> 3) & 1048575) / 1048576.0 AS r_actor, ((h >> 23) & 1048575) / 1048576.0 AS r_side,
    ((h >> 43) & 1048575) / 1048576.0 AS r_start, hash(${seed}, 3, day_index, s, k) AS h2
  FROM ev
),
rolled AS (
  SELECT *, (h2 & 1048575) / 1048576.0 AS r_type, (h2 >> 20) % 5000 AS target_n FROM typed
)
SELECT
  'syn-' || day_index || '-' || s || '-' || k AS event_id,
  day_ts + to_microseconds(CAST(least(r_start * 86100000000 + k * 60000000, 86399999999) AS BIGINT)) AS event_time,
  CASE WHEN r_type < 0.45 THEN 'login' WHEN r_type < 0.70 THEN 'profile_view' WHEN r_type < 0.82 THEN 'interest'
       WHEN r_type < 0.92 THEN 'message' WHEN r_type < 0.95 THEN 'match' WHEN r_type < 0.96 THEN 'contract'
       WHEN r_type < 0.99 THEN 'profile_update' ELSE 'signup' END AS event_type,
  CASE WHEN r_side < 0.75 THEN 'freelancer' ELSE 'company' END AS actor_type,
  CASE WHEN r_side < 0.75 THEN 'f' || CAST(floor(r_actor * ${o.freelancers}) AS BIGINT) ELSE 'c' || CAST(floor(r_actor * ${o.companies}) AS BIGINT) END AS actor_id,
  CASE WHEN r_type >= 0.70 AND r_type < 0.82 THEN (CASE WHEN r_side < 0.75 THEN 'job' ELSE 'freelancer' END)
       WHEN r_type >= 0.82 AND r_type < 0.96 THEN (CASE WHEN r_side < 0.75 THEN 'company' ELSE 'freelancer' END) END AS target_type,
  CASE WHEN r_type >= 0.70 AND r_type < 0.96 THEN 't' || target_n END AS target_id,
  NULL AS properties
FROM rolled`, { start: tokyoDayStart(o.start) });
}
