/** Warehouse reads and writes of experiments, assignments and outcomes (SQL written once per dialect). */
import { NotFoundError } from '../errors.ts';
import type { Row } from '../domain/table.ts';
import { events as eventsTable } from '../domain/tables.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { toIso } from '../warehouse/normalize.ts';
import { experimentAssignments, experiments as experimentsTable } from './tables.ts';
import type { Arm, Assignment, Experiment } from './types.ts';

function fromRow(r: Row): Experiment {
  return {
    id: String(r.id),
    name: String(r.name),
    hypothesis: (r.hypothesis as string | null) ?? null,
    unit_type: r.unit_type as Experiment['unit_type'],
    goal_metric: String(r.goal_metric),
    secondary_metrics: (r.secondary_metrics as string[] | null) ?? [],
    arms: (typeof r.arms === 'string' ? JSON.parse(r.arms) : r.arms) as Arm[],
    salt: String(r.salt),
    start_at: toIso(r.start_at)!,
    end_at: toIso(r.end_at),
    status: r.status as Experiment['status'],
    pre_period_days: Number(r.pre_period_days),
    created_by: String(r.created_by),
    created_at: toIso(r.created_at)!,
    updated_at: toIso(r.updated_at)!,
  };
}

export async function saveExperiment(w: Warehouse, e: Experiment): Promise<void> {
  await w.upsert(experimentsTable, [{ ...e }]);
}

export async function findExperiment(w: Warehouse, id: string): Promise<Experiment | null> {
  const rows = await w.query(`SELECT * FROM ${w.dialect.table('experiments')} WHERE id = @id`, { id });
  return rows.length ? fromRow(rows[0]) : null;
}

export async function getExperiment(w: Warehouse, id: string): Promise<Experiment> {
  const e = await findExperiment(w, id);
  if (!e) throw new NotFoundError('experiment', id);
  return e;
}

export async function listExperiments(w: Warehouse): Promise<(Experiment & { units: number })[]> {
  const d = w.dialect;
  const rows = await w.query(
    `SELECT x.*, COALESCE(c.units, 0) AS units FROM ${d.table('experiments')} x
     LEFT JOIN (SELECT experiment_id, COUNT(*) AS units FROM ${d.table('experiment_assignments')} GROUP BY experiment_id) c ON c.experiment_id = x.id
     ORDER BY x.created_at DESC, x.id`,
  );
  return rows.map((r) => ({ ...fromRow(r), units: Number(r.units) }));
}

export async function findAssignment(w: Warehouse, experimentId: string, unit: string): Promise<Assignment | null> {
  const rows = await w.query(`SELECT * FROM ${w.dialect.table('experiment_assignments')} WHERE experiment_id = @e AND unit_id = @u`, { e: experimentId, u: unit });
  if (!rows.length) return null;
  const r = rows[0];
  return { experiment_id: experimentId, unit_id: unit, arm: String(r.arm), assigned_at: toIso(r.assigned_at)!, source: r.source as Assignment['source'] };
}

export async function writeAssignments(w: Warehouse, rows: Row[]): Promise<number> {
  return w.upsert(experimentAssignments, rows);
}

export async function writeOutcomeEvents(w: Warehouse, rows: Row[]): Promise<number> {
  return w.upsert(eventsTable, rows);
}

export async function assignmentsOf(w: Warehouse, experimentId: string): Promise<Assignment[]> {
  const rows = await w.query(`SELECT * FROM ${w.dialect.table('experiment_assignments')} WHERE experiment_id = @e ORDER BY unit_id`, { e: experimentId });
  return rows.map((r) => ({ experiment_id: experimentId, unit_id: String(r.unit_id), arm: String(r.arm), assigned_at: toIso(r.assigned_at)!, source: r.source as Assignment['source'] }));
}

export interface UnitOutcome {
  unit_id: string;
  arm: string;
  /** Converted (0/1) per metric, goal first. */
  y: number[];
  /** Pre-period event count per metric (the CUPED covariate). */
  x: number[];
}

export function metricsOf(e: Experiment): string[] {
  return [e.goal_metric, ...e.secondary_metrics];
}

/** The analysis window: from start_at (each unit from its assignment) until end_at or now. */
export function windowOf(e: Experiment, now: Date): { start: string; end: string; pre: string } {
  const end = e.end_at && e.end_at < now.toISOString() ? e.end_at : now.toISOString();
  const pre = new Date(Date.parse(e.start_at) - e.pre_period_days * 86_400_000).toISOString();
  return { start: e.start_at, end, pre };
}

/** One row per assigned unit: conversion per metric after assignment and pre-period counts. */
export async function unitOutcomes(w: Warehouse, e: Experiment, now: Date): Promise<UnitOutcome[]> {
  const d = w.dialect;
  const metrics = metricsOf(e);
  const win = windowOf(e, now);
  const params: Record<string, string | string[]> = { id: e.id, unit_type: e.unit_type, metrics, start: win.start, end: win.end, pre: win.pre };
  const cols = metrics.flatMap((m, i) => {
    params[`m${i}`] = m;
    return [
      `SUM(CASE WHEN ev.event_type = @m${i} AND ev.event_time >= a.assigned_at AND ev.event_time < ${d.timestampParam('end')} THEN 1 ELSE 0 END) AS y${i}`,
      `SUM(CASE WHEN ev.event_type = @m${i} AND ev.event_time < ${d.timestampParam('start')} THEN 1 ELSE 0 END) AS x${i}`,
    ];
  });
  const sql = `SELECT a.unit_id AS unit_id, a.arm AS arm, ${cols.join(', ')}
    FROM ${d.table('experiment_assignments')} a
    LEFT JOIN (
      SELECT actor_id, event_type, event_time FROM ${d.table('events')}
      WHERE actor_type = @unit_type AND event_time >= ${d.timestampParam('pre')} AND event_time < ${d.timestampParam('end')}
        AND ${d.arrayContains('@metrics', 'event_type')}
    ) ev ON ev.actor_id = a.unit_id
    WHERE a.experiment_id = @id
    GROUP BY a.unit_id, a.arm
    ORDER BY a.unit_id`;
  const rows = await w.query(sql, params, { types: { metrics: 'STRING[]' }, label: 'experiment-outcomes' });
  return rows.map((r) => ({
    unit_id: String(r.unit_id),
    arm: String(r.arm),
    y: metrics.map((_, i) => (Number(r[`y${i}`]) > 0 ? 1 : 0)),
    x: metrics.map((_, i) => Number(r[`x${i}`] ?? 0)),
  }));
}
