/**
 * The experiments use cases, shared by the HTTP routes and the CLI (which calls them
 * directly when no service holds the DuckDB file).
 */
import { ConflictError, ImportValidationError, ValidationError } from '../errors.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { assignArm } from './assign.ts';
import { parseRecords, type FileFormat } from './import-file.ts';
import { computeResults, type ExperimentResults } from './results.ts';
import { findAssignment, findExperiment, getExperiment, saveExperiment, unitOutcomes, writeAssignments, writeOutcomeEvents } from './store.ts';
import type { Assignment, Experiment } from './types.ts';
import { applyPatch, assignmentRows, outcomeEvents, parseExperimentInput } from './validate.ts';

export async function createExperiment(w: Warehouse, body: unknown, now: Date, by: string): Promise<Experiment> {
  const e = parseExperimentInput(body, now, by);
  if (await findExperiment(w, e.id)) throw new ConflictError(`experiment '${e.id}' already exists`, { field: 'id' });
  await saveExperiment(w, e);
  return e;
}

export async function patchExperiment(w: Warehouse, id: string, body: unknown, now: Date): Promise<Experiment> {
  const next = applyPatch(await getExperiment(w, id), body, now);
  await saveExperiment(w, next);
  return next;
}

export interface AssignmentAnswer extends Assignment {
  bucket: number;
  recorded: boolean;
}

/**
 * The arm for a unit: an existing assignment wins (imports may override the hash);
 * otherwise the hash decides and, while the experiment runs, the assignment is recorded
 * with its first-exposure time.
 */
export async function assignUnit(w: Warehouse, id: string, unit: unknown, now: Date): Promise<AssignmentAnswer> {
  if (typeof unit !== 'string' || !unit.trim() || unit.length > 200) throw new ValidationError('unit', 'unit is required (a unit id up to 200 characters)');
  const e = await getExperiment(w, id);
  const { arm, bucket } = assignArm(e.arms, e.salt, unit);
  const existing = await findAssignment(w, e.id, unit);
  if (existing) return { ...existing, bucket, recorded: true };
  const nowIso = now.toISOString();
  const live = e.status === 'running' && nowIso >= e.start_at && (!e.end_at || nowIso < e.end_at);
  const a: Assignment = { experiment_id: e.id, unit_id: unit, arm, assigned_at: nowIso, source: 'api' };
  if (live) await writeAssignments(w, [{ ...a }]);
  return { ...a, bucket, recorded: live };
}

export interface ImportInput {
  text?: string;
  format?: FileFormat;
  rows?: unknown[];
}

function recordsOf(input: ImportInput) {
  if (input.rows !== undefined) {
    if (!Array.isArray(input.rows)) throw new ValidationError('rows', 'rows must be a list of objects');
    const issues: { line: number; field: string; message: string }[] = [];
    const records = input.rows.flatMap((v, i) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        issues.push({ line: i + 1, field: '(row)', message: 'must be an object' });
        return [];
      }
      return [{ line: i + 1, values: v as Record<string, unknown> }];
    });
    return { records, issues };
  }
  if (typeof input.text !== 'string') throw new ValidationError('text', 'send rows (a list) or text (NDJSON or CSV)');
  if (input.format !== undefined && input.format !== 'ndjson' && input.format !== 'csv') throw new ValidationError('format', 'format must be ndjson or csv');
  return parseRecords(input.text, input.format);
}

/** All or nothing: any bad row rejects the whole file with line-numbered issues. */
export async function importAssignments(w: Warehouse, id: string, input: ImportInput): Promise<{ imported: number }> {
  const e = await getExperiment(w, id);
  const parsed = recordsOf(input);
  const { rows, issues } = assignmentRows(e, parsed.records, parsed.issues);
  if (issues.length) throw new ImportValidationError(issues.sort((a, b) => a.line - b.line));
  if (!rows.length) throw new ValidationError('rows', 'the file has no rows');
  return { imported: await writeAssignments(w, rows) };
}

export async function importOutcomes(w: Warehouse, id: string, input: ImportInput): Promise<{ imported: number }> {
  const e = await getExperiment(w, id);
  const parsed = recordsOf(input);
  const { rows, issues } = outcomeEvents(e, parsed.records, parsed.issues);
  if (issues.length) throw new ImportValidationError(issues.sort((a, b) => a.line - b.line));
  if (!rows.length) throw new ValidationError('rows', 'the file has no rows');
  return { imported: await writeOutcomeEvents(w, rows) };
}

export async function experimentResults(w: Warehouse, id: string, o: { now: Date; cuped?: boolean }): Promise<ExperimentResults> {
  const e = await getExperiment(w, id);
  return computeResults(e, await unitOutcomes(w, e, o.now), o);
}
