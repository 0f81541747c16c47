/**
 * Unit features for the conversion and uplift models, as of the experiment's start (so
 * nothing the measure caused leaks in): profile columns of the unit's table plus counts of
 * each event type the unit performed in the pre-period. Every unit of the table is
 * returned (the targeting list ranks everyone, not just the experiment's sample), plus
 * assigned units without a profile row, which get zeros and has_profile = 0.
 */
import { EVENT_TYPES } from '../domain/tables.ts';
import type { Dialect } from '../warehouse/dialect.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { windowOf } from './store.ts';
import type { Experiment, UnitType } from './types.ts';

interface ProfileSpec {
  table: string;
  features: { name: string; expr: (d: Dialect) => string }[];
}

const bool = (c: string) => `CASE WHEN p.${c} THEN 1 ELSE 0 END`;

const PROFILES: Record<UnitType, ProfileSpec> = {
  freelancer: {
    table: 'freelancers',
    features: [
      { name: 'years_experience', expr: () => 'p.years_experience' },
      { name: 'hourly_rate_kjpy', expr: () => 'p.hourly_rate_jpy / 1000.0' },
      { name: 'availability_days', expr: () => 'p.availability_days_per_week' },
      { name: 'skill_count', expr: (d) => d.arrayLength('p.skills') },
      { name: 'portfolio_count', expr: (d) => d.arrayLength('p.portfolio_urls') },
      { name: 'self_intro_chars', expr: () => 'LENGTH(p.self_intro)' },
      { name: 'has_photo', expr: () => bool('has_photo') },
      { name: 'remote_ok', expr: () => bool('remote_ok') },
      { name: 'tenure_days', expr: (d) => d.timestampDiffDays(d.timestampParam('start'), 'p.registered_at') },
    ],
  },
  company: {
    table: 'companies',
    features: [
      { name: 'employees', expr: () => 'p.employees' },
      { name: 'tenure_days', expr: (d) => d.timestampDiffDays(d.timestampParam('start'), 'p.registered_at') },
    ],
  },
};

export interface UnitFeatures {
  names: string[];
  ids: string[];
  rows: number[][];
  index: Map<string, number>;
}

export function unitFeatureNames(unitType: UnitType): string[] {
  return ['has_profile', ...PROFILES[unitType].features.map((f) => f.name), ...EVENT_TYPES.map((t) => `pre_${t}`)];
}

export function unitFeaturesSql(d: Dialect, unitType: UnitType): string {
  const spec = PROFILES[unitType];
  const profileCols = spec.features.map((f) => `COALESCE(${d.float(f.expr(d))}, 0) AS ${d.ident(f.name)}`);
  const behaviour = EVENT_TYPES.map((t, i) => `${d.countIf(`b.event_type = @et${i}`)} AS ${d.ident(`pre_${t}`)}`);
  return `WITH u AS (
      SELECT id AS unit_id FROM ${d.table(spec.table)}
      UNION DISTINCT
      SELECT unit_id FROM ${d.table('experiment_assignments')} WHERE experiment_id = @id
    ),
    b AS (
      SELECT actor_id, event_type FROM ${d.table('events')}
      WHERE actor_type = @unit_type AND event_time >= ${d.timestampParam('pre')} AND event_time < ${d.timestampParam('start')}
    ),
    bc AS (SELECT actor_id, ${behaviour.join(', ')} FROM b GROUP BY actor_id)
    SELECT u.unit_id AS unit_id, CASE WHEN p.id IS NULL THEN 0 ELSE 1 END AS has_profile, ${profileCols.join(', ')},
      ${EVENT_TYPES.map((t) => `COALESCE(bc.${d.ident(`pre_${t}`)}, 0) AS ${d.ident(`pre_${t}`)}`).join(', ')}
    FROM u
    LEFT JOIN ${d.table(spec.table)} p ON p.id = u.unit_id
    LEFT JOIN bc ON bc.actor_id = u.unit_id
    ORDER BY u.unit_id`;
}

export async function loadUnitFeatures(w: Warehouse, e: Experiment, now: Date): Promise<UnitFeatures> {
  const win = windowOf(e, now);
  const names = unitFeatureNames(e.unit_type);
  const params: Record<string, string> = { id: e.id, unit_type: e.unit_type, start: win.start, pre: win.pre };
  EVENT_TYPES.forEach((t, i) => (params[`et${i}`] = t));
  const rows = await w.query(unitFeaturesSql(w.dialect, e.unit_type), params, { label: 'experiment-unit-features' });
  const ids = rows.map((r) => String(r.unit_id));
  return {
    names,
    ids,
    rows: rows.map((r) => names.map((n) => Number(r[n] ?? 0))),
    index: new Map(ids.map((id, i) => [id, i])),
  };
}
