/**
 * Input rules for experiments, imported assignments and imported outcomes. Shared by the
 * HTTP API and the CLI so both reject the same things with the same field names.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ValidationError, type RowIssue } from '../errors.ts';
import type { Row } from '../domain/table.ts';
import type { LineRecord } from './import-file.ts';
import { STATUSES, UNIT_TYPES, type Arm, type Experiment, type ExperimentStatus, type UnitType } from './types.ts';

const ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const METRIC = /^[a-z_]{1,40}$/;
const ISO_TS = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function toIso(v: unknown): string | null {
  if (typeof v !== 'string' || !ISO_TS.test(v.trim())) return null;
  const s = v.trim();
  const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : /Z|[+-]\d{2}:?\d{2}$/.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function str(body: Record<string, unknown>, field: string, o: { required?: boolean; max?: number } = {}): string | null {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (o.required) throw new ValidationError(field, `${field} is required`);
    return null;
  }
  if (typeof v !== 'string') throw new ValidationError(field, `${field} must be a string`);
  if (v.length > (o.max ?? 2000)) throw new ValidationError(field, `${field} must be at most ${o.max ?? 2000} characters`);
  return v;
}

function ts(body: Record<string, unknown>, field: string): string | null {
  if (body[field] === undefined || body[field] === null) return null;
  const iso = toIso(body[field]);
  if (!iso) throw new ValidationError(field, `${field} must be an ISO-8601 timestamp`);
  return iso;
}

export function parseArms(v: unknown): Arm[] {
  if (v === undefined) return [{ name: 'control', weight: 1 }, { name: 'treatment', weight: 1 }];
  if (!Array.isArray(v) || v.length < 2 || v.length > 10) throw new ValidationError('arms', 'arms must be a list of 2 to 10 {name, weight}; the first is control');
  const seen = new Set<string>();
  return v.map((a, i) => {
    if (typeof a !== 'object' || a === null) throw new ValidationError(`arms[${i}]`, 'each arm must be an object {name, weight}');
    const { name, weight } = a as Record<string, unknown>;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(name)) throw new ValidationError(`arms[${i}].name`, 'arm names are 1–40 letters, digits, _ or -');
    if (seen.has(name)) throw new ValidationError(`arms[${i}].name`, `arm '${name}' appears twice`);
    seen.add(name);
    const w = weight === undefined ? 1 : Number(weight);
    if (!Number.isFinite(w) || w <= 0) throw new ValidationError(`arms[${i}].weight`, 'weight must be a positive number');
    return { name, weight: w };
  });
}

export function parseExperimentInput(raw: unknown, now: Date, createdBy: string): Experiment {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ValidationError('body', 'body must be a JSON object');
  const body = raw as Record<string, unknown>;
  const known = ['id', 'name', 'hypothesis', 'unit_type', 'goal_metric', 'secondary_metrics', 'arms', 'salt', 'start_at', 'end_at', 'status', 'pre_period_days'];
  for (const k of Object.keys(body)) if (!known.includes(k)) throw new ValidationError(k, `${k} is not a field of an experiment (${known.join(', ')})`);
  const name = str(body, 'name', { required: true, max: 200 })!;
  const id = str(body, 'id', { max: 63 }) ?? `exp-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
  if (!ID.test(id)) throw new ValidationError('id', 'id must be lower-case letters, digits, _ or - (max 63), starting with a letter or digit');
  const unitType = (str(body, 'unit_type') ?? 'freelancer') as UnitType;
  if (!UNIT_TYPES.includes(unitType)) throw new ValidationError('unit_type', `unit_type must be one of ${UNIT_TYPES.join(', ')}`);
  const goal = str(body, 'goal_metric', { required: true })!;
  if (!METRIC.test(goal)) throw new ValidationError('goal_metric', 'goal_metric must be an event type such as match or contract');
  const secondary = body.secondary_metrics ?? [];
  if (!Array.isArray(secondary) || secondary.some((m) => typeof m !== 'string' || !METRIC.test(m)) || secondary.length > 10)
    throw new ValidationError('secondary_metrics', 'secondary_metrics must be a list of up to 10 event types');
  const metrics = new Set([goal, ...(secondary as string[])]);
  if (metrics.size !== 1 + secondary.length) throw new ValidationError('secondary_metrics', 'metrics must be distinct and differ from goal_metric');
  const startAt = ts(body, 'start_at') ?? now.toISOString();
  const endAt = ts(body, 'end_at');
  if (endAt && endAt <= startAt) throw new ValidationError('end_at', 'end_at must be after start_at');
  const status = (str(body, 'status') ?? 'running') as ExperimentStatus;
  if (!STATUSES.includes(status)) throw new ValidationError('status', `status must be one of ${STATUSES.join(', ')}`);
  const pre = body.pre_period_days === undefined ? 28 : Number(body.pre_period_days);
  if (!Number.isInteger(pre) || pre < 0 || pre > 365) throw new ValidationError('pre_period_days', 'pre_period_days must be an integer from 0 to 365');
  return {
    id,
    name,
    hypothesis: str(body, 'hypothesis', { max: 4000 }),
    unit_type: unitType,
    goal_metric: goal,
    secondary_metrics: secondary as string[],
    arms: parseArms(body.arms),
    salt: str(body, 'salt', { max: 200 }) ?? randomBytes(8).toString('hex'),
    start_at: startAt,
    end_at: endAt,
    status,
    pre_period_days: pre,
    created_by: createdBy,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
}

/** Changes allowed after creation; arms and salt are fixed because assignments depend on them. */
export function applyPatch(e: Experiment, raw: unknown, now: Date): Experiment {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ValidationError('body', 'body must be a JSON object');
  const body = raw as Record<string, unknown>;
  const allowed = ['name', 'hypothesis', 'status', 'end_at'];
  for (const k of Object.keys(body)) if (!allowed.includes(k)) throw new ValidationError(k, `${k} cannot be changed (changeable: ${allowed.join(', ')})`);
  const next = { ...e, updated_at: now.toISOString() };
  if ('name' in body) next.name = str(body, 'name', { required: true, max: 200 })!;
  if ('hypothesis' in body) next.hypothesis = str(body, 'hypothesis', { max: 4000 });
  if ('status' in body) {
    const s = str(body, 'status', { required: true }) as ExperimentStatus;
    if (!STATUSES.includes(s)) throw new ValidationError('status', `status must be one of ${STATUSES.join(', ')}`);
    next.status = s;
  }
  if ('end_at' in body) {
    next.end_at = ts(body, 'end_at');
    if (next.end_at && next.end_at <= next.start_at) throw new ValidationError('end_at', 'end_at must be after start_at');
  }
  return next;
}

function unknownFields(r: LineRecord, allowed: string[], issues: RowIssue[]) {
  for (const k of Object.keys(r.values)) if (!allowed.includes(k)) issues.push({ line: r.line, field: k, message: `is not a column (${allowed.join(', ')})` });
}

/** Assignment rows: unit_id, arm, optional assigned_at (defaults to the experiment start). */
export function assignmentRows(e: Experiment, records: LineRecord[], issues: RowIssue[] = []): { rows: Row[]; issues: RowIssue[] } {
  const rows: Row[] = [];
  const arms = new Set(e.arms.map((a) => a.name));
  const seen = new Map<string, number>();
  for (const r of records) {
    const before = issues.length;
    unknownFields(r, ['unit_id', 'arm', 'assigned_at'], issues);
    const unit = r.values.unit_id;
    if (typeof unit !== 'string' || !unit.trim() || unit.length > 200) issues.push({ line: r.line, field: 'unit_id', message: 'is required (a non-empty string up to 200 characters)' });
    else if (seen.has(unit)) issues.push({ line: r.line, field: 'unit_id', message: `duplicates line ${seen.get(unit)}` });
    else seen.set(unit, r.line);
    const arm = r.values.arm;
    if (typeof arm !== 'string' || !arms.has(arm)) issues.push({ line: r.line, field: 'arm', message: `must be one of ${[...arms].join(', ')}` });
    const at = r.values.assigned_at === undefined ? e.start_at : toIso(r.values.assigned_at);
    if (!at) issues.push({ line: r.line, field: 'assigned_at', message: 'must be an ISO-8601 timestamp' });
    if (issues.length === before) rows.push({ experiment_id: e.id, unit_id: unit, arm, assigned_at: at, source: 'import' });
  }
  return { rows, issues };
}

/**
 * Outcome rows become events (conversions come from the events table): unit_id,
 * occurred_at, optional metric (default: the goal metric) and event_id. Without an
 * event_id one is derived from the row, so importing the same file twice adds nothing.
 */
export function outcomeEvents(e: Experiment, records: LineRecord[], issues: RowIssue[] = []): { rows: Row[]; issues: RowIssue[] } {
  const rows: Row[] = [];
  for (const r of records) {
    const before = issues.length;
    unknownFields(r, ['unit_id', 'metric', 'occurred_at', 'event_id'], issues);
    const unit = r.values.unit_id;
    if (typeof unit !== 'string' || !unit.trim()) issues.push({ line: r.line, field: 'unit_id', message: 'is required' });
    const metric = r.values.metric ?? e.goal_metric;
    if (typeof metric !== 'string' || !METRIC.test(metric)) issues.push({ line: r.line, field: 'metric', message: 'must be an event type such as match' });
    const at = toIso(r.values.occurred_at);
    if (!at) issues.push({ line: r.line, field: 'occurred_at', message: 'is required (an ISO-8601 timestamp)' });
    const given = r.values.event_id;
    if (given !== undefined && (typeof given !== 'string' || !given.trim())) issues.push({ line: r.line, field: 'event_id', message: 'must be a non-empty string' });
    if (issues.length !== before) continue;
    const eventId = (given as string | undefined) ?? `x-${createHash('sha256').update(`${e.id}|${unit}|${metric}|${at}`).digest('hex').slice(0, 32)}`;
    rows.push({
      event_id: eventId,
      event_time: at,
      event_type: metric,
      actor_type: e.unit_type,
      actor_id: unit,
      target_type: null,
      target_id: null,
      properties: { experiment_id: e.id, source: 'experiment-outcome-import' },
    });
  }
  return { rows, issues };
}
