/**
 * Behaviour summary per freelancer as of a moment (domain/types.ts ActivitySummary),
 * computed in the warehouse by one dialect-built query. Windows are half-open and end
 * at as_of: (as_of − N days, as_of]. Events after as_of never count, so a summary
 * taken for an annotation stays what the annotator saw.
 *
 * Definitions (event conventions in demo/events.ts):
 *  - days_since_login: since the freelancer's last login event at or before as_of (365-day
 *    look-back), else since freelancers.last_login_at when that is not after as_of; null if neither.
 *  - interests_received: company → freelancer interest; interests_sent: freelancer → job/company interest.
 *  - matches_90d: match events with the freelancer as target; match_rate_90d = matches / interests received (null when none received).
 *  - messages_received / sent: message events to / from the freelancer.
 *  - response_rate_90d: of the threads (properties.thread_id) in which the freelancer received a
 *    message in the 90 days, the share in which they also sent one; null when no thread.
 *  - contracts_365d: contract events with the freelancer as target; profile_views_30d likewise.
 */
import type { ActivitySummary } from '../domain/types.ts';

/**
 * The parts of warehouse/dialect.ts `Dialect` and warehouse/port.ts `Warehouse` this module
 * uses, declared structurally because features/ may not import the warehouse (lint rule);
 * every Dialect and Warehouse satisfies them (test/activity.test.ts runs the query on DuckDB and renders it for BigQuery).
 */
export interface ActivityDialect {
  table(name: string): string;
  timestampParam(name: string): string;
  timestampAddDays(tsExpr: string, daysExpr: string): string;
  timestampDiffDays(laterExpr: string, earlierExpr: string): string;
  arrayContains(arrayExpr: string, valueExpr: string): string;
  jsonString(expr: string, key: string): string;
  countIf(cond: string): string;
  safeDivide(num: string, den: string): string;
}

export interface ActivityWarehouse {
  readonly dialect: ActivityDialect;
  query<T>(sql: string, params: { as_of: string; ids: string[]; all_ids: boolean }, options: { types: Record<string, 'TIMESTAMP' | 'STRING[]' | 'BOOL'>; label: string }): Promise<T[]>;
}

export function activitySql(d: ActivityDialect): string {
  const asOf = d.timestampParam('as_of');
  const since = (days: number) => d.timestampAddDays(asOf, String(-days));
  const inIds = (col: string) => `(@all_ids OR ${d.arrayContains('@ids', col)})`;
  const win = (days: number) => `event_time > ${since(days)}`;
  const fromF = (type: string, days: number) => d.countIf(`role = 'actor' AND event_type = '${type}' AND ${win(days)}`);
  const toF = (type: string, days: number) => d.countIf(`role = 'target' AND event_type = '${type}' AND ${win(days)}`);
  return `
WITH fl AS (
  SELECT id, last_login_at FROM ${d.table('freelancers')} WHERE ${inIds('id')}
),
ev AS (
  SELECT event_type, actor_type, actor_id, target_type, target_id, event_time, properties
  FROM ${d.table('events')}
  WHERE event_time <= ${asOf} AND event_time > ${since(365)}
    AND ((actor_type = 'freelancer' AND ${inIds('actor_id')}) OR (target_type = 'freelancer' AND ${inIds('target_id')}))
),
per AS (
  SELECT actor_id AS fid, 'actor' AS role, event_type, event_time, properties FROM ev WHERE actor_type = 'freelancer'
  UNION ALL
  SELECT target_id AS fid, 'target' AS role, event_type, event_time, properties FROM ev
  WHERE target_type = 'freelancer' AND NOT (actor_type = 'freelancer' AND actor_id = target_id)
),
agg AS (
  SELECT fid,
    MAX(CASE WHEN role = 'actor' AND event_type = 'login' THEN event_time END) AS last_login,
    ${fromF('login', 30)} AS logins_30d,
    ${toF('interest', 30)} AS interests_received_30d,
    ${toF('interest', 90)} AS interests_received_90d,
    ${fromF('interest', 30)} AS interests_sent_30d,
    ${fromF('interest', 90)} AS interests_sent_90d,
    ${toF('match', 90)} AS matches_90d,
    ${toF('message', 90)} AS messages_received_90d,
    ${fromF('message', 90)} AS messages_sent_90d,
    ${toF('contract', 365)} AS contracts_365d,
    ${toF('profile_view', 30)} AS profile_views_30d
  FROM per GROUP BY fid
),
threads AS (
  SELECT fid, ${d.jsonString('properties', 'thread_id')} AS thread_id,
    MAX(CASE WHEN role = 'target' THEN 1 ELSE 0 END) AS got,
    MAX(CASE WHEN role = 'actor' THEN 1 ELSE 0 END) AS sent
  FROM per WHERE event_type = 'message' AND ${win(90)}
  GROUP BY fid, ${d.jsonString('properties', 'thread_id')}
),
resp AS (
  SELECT fid, SUM(got) AS threads_received, SUM(CASE WHEN got = 1 AND sent = 1 THEN 1 ELSE 0 END) AS threads_answered
  FROM threads WHERE thread_id IS NOT NULL GROUP BY fid
)
SELECT fl.id AS freelancer_id,
  ${d.timestampDiffDays(asOf, `COALESCE(agg.last_login, CASE WHEN fl.last_login_at <= ${asOf} THEN fl.last_login_at END)`)} AS days_since_login,
  COALESCE(agg.logins_30d, 0) AS logins_30d,
  COALESCE(agg.interests_received_30d, 0) AS interests_received_30d,
  COALESCE(agg.interests_received_90d, 0) AS interests_received_90d,
  COALESCE(agg.interests_sent_30d, 0) AS interests_sent_30d,
  COALESCE(agg.interests_sent_90d, 0) AS interests_sent_90d,
  COALESCE(agg.matches_90d, 0) AS matches_90d,
  ${d.safeDivide('agg.matches_90d', 'agg.interests_received_90d')} AS match_rate_90d,
  COALESCE(agg.messages_received_90d, 0) AS messages_received_90d,
  COALESCE(agg.messages_sent_90d, 0) AS messages_sent_90d,
  ${d.safeDivide('resp.threads_answered', 'resp.threads_received')} AS response_rate_90d,
  COALESCE(agg.contracts_365d, 0) AS contracts_365d,
  COALESCE(agg.profile_views_30d, 0) AS profile_views_30d
FROM fl
LEFT JOIN agg ON agg.fid = fl.id
LEFT JOIN resp ON resp.fid = fl.id
ORDER BY fl.id`;
}

interface ActivityRow extends Omit<ActivitySummary, 'as_of'> {
  freelancer_id: string;
}

/** Summaries keyed by freelancer id; ids unknown to the freelancers table are absent. */
export async function activitySummaries(w: ActivityWarehouse, ids: string[] | 'all', asOf: Date): Promise<Map<string, ActivitySummary>> {
  const out = new Map<string, ActivitySummary>();
  if (ids !== 'all' && !ids.length) return out;
  const iso = asOf.toISOString();
  const rows = await w.query<ActivityRow>(
    activitySql(w.dialect),
    { as_of: iso, ids: ids === 'all' ? [] : ids, all_ids: ids === 'all' },
    { types: { as_of: 'TIMESTAMP', ids: 'STRING[]', all_ids: 'BOOL' }, label: 'activity-summaries' },
  );
  for (const r of rows) {
    const num = (v: unknown) => Number(v ?? 0);
    const opt = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    out.set(r.freelancer_id, {
      as_of: iso,
      days_since_login: opt(r.days_since_login),
      logins_30d: num(r.logins_30d),
      interests_received_30d: num(r.interests_received_30d),
      interests_received_90d: num(r.interests_received_90d),
      interests_sent_30d: num(r.interests_sent_30d),
      interests_sent_90d: num(r.interests_sent_90d),
      matches_90d: num(r.matches_90d),
      match_rate_90d: opt(r.match_rate_90d),
      messages_received_90d: num(r.messages_received_90d),
      messages_sent_90d: num(r.messages_sent_90d),
      response_rate_90d: opt(r.response_rate_90d),
      contracts_365d: num(r.contracts_365d),
      profile_views_30d: num(r.profile_views_30d),
    });
  }
  return out;
}
