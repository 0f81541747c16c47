/**
 * Validation of incoming rows against a table definition plus per-table rules. Used by the
 * importer (line numbers) and by the HTTP API (field names), so both reject the same things.
 */
import type { ColumnDef, Row, TableDef } from './table.ts';
import { isNullable } from './table.ts';

export interface FieldIssue {
  field: string;
  message: string;
}

const ISO_TS = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function checkType(col: ColumnDef, v: unknown): string | null {
  switch (col.type) {
    case 'STRING':
      return typeof v === 'string' ? null : 'must be a string';
    case 'INT64':
      return typeof v === 'number' && Number.isInteger(v) ? null : 'must be an integer';
    case 'FLOAT64':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'must be a finite number';
    case 'BOOL':
      return typeof v === 'boolean' ? null : 'must be true or false';
    case 'TIMESTAMP':
      return typeof v === 'string' && ISO_TS.test(v) && !Number.isNaN(Date.parse(v.includes('T') || v.length === 10 ? v : v.replace(' ', 'T')))
        ? null
        : 'must be an ISO-8601 timestamp';
    case 'DATE':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? null : 'must be a date YYYY-MM-DD';
    case 'JSON':
      return null;
    case 'STRING[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : 'must be an array of strings';
    case 'FLOAT64[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? null : 'must be an array of numbers';
  }
}

export type RowRule = (row: Row) => FieldIssue | null;

const rules: Record<string, RowRule[]> = {
  freelancers: [
    (r) => (typeof r.id === 'string' && r.id.trim() === '' ? { field: 'id', message: 'must not be empty' } : null),
    (r) => (typeof r.occupation === 'string' && r.occupation.trim() === '' ? { field: 'occupation', message: 'must not be empty' } : null),
    (r) => (typeof r.years_experience === 'number' && (r.years_experience < 0 || r.years_experience > 70) ? { field: 'years_experience', message: 'must be between 0 and 70' } : null),
    (r) => (typeof r.hourly_rate_jpy === 'number' && (r.hourly_rate_jpy < 0 || r.hourly_rate_jpy > 1_000_000) ? { field: 'hourly_rate_jpy', message: 'must be between 0 and 1000000' } : null),
    (r) => (typeof r.availability_days_per_week === 'number' && (r.availability_days_per_week < 0 || r.availability_days_per_week > 7) ? { field: 'availability_days_per_week', message: 'must be between 0 and 7' } : null),
    (r) => (typeof r.self_intro === 'string' && r.self_intro.length > 20_000 ? { field: 'self_intro', message: 'must be at most 20000 characters' } : null),
  ],
  annotations: [
    (r) => (typeof r.score === 'number' && (r.score < 1 || r.score > 5) ? { field: 'score', message: 'must be an integer from 1 to 5' } : null),
    (r) => (r.profile_snapshot !== undefined && (typeof r.profile_snapshot !== 'object' || r.profile_snapshot === null || !('profile' in (r.profile_snapshot as object)))
      ? { field: 'profile_snapshot', message: 'must be an object with a profile' }
      : null),
  ],
  events: [
    (r) => (typeof r.event_type === 'string' && !/^[a-z_]{1,40}$/.test(r.event_type) ? { field: 'event_type', message: 'must be a lower_snake_case event name' } : null),
  ],
  jobs: [
    (r) => (typeof r.hourly_rate_min_jpy === 'number' && typeof r.hourly_rate_max_jpy === 'number' && r.hourly_rate_min_jpy > r.hourly_rate_max_jpy
      ? { field: 'hourly_rate_max_jpy', message: 'must not be below hourly_rate_min_jpy' }
      : null),
  ],
};

/** Every problem of one row; empty when the row is valid. Unknown fields are reported too. */
export function validateRow(table: TableDef, row: unknown, options: { allowMissing?: string[] } = {}): FieldIssue[] {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return [{ field: '(row)', message: 'must be an object' }];
  const r = row as Row;
  const issues: FieldIssue[] = [];
  const known = new Set(table.columns.map((c) => c.name));
  for (const key of Object.keys(r)) if (!known.has(key)) issues.push({ field: key, message: `is not a column of ${table.name}` });
  for (const col of table.columns) {
    const v = r[col.name];
    if (v === undefined || v === null) {
      if (!isNullable(table, col) && !options.allowMissing?.includes(col.name)) issues.push({ field: col.name, message: 'is required' });
      continue;
    }
    const problem = checkType(col, v);
    if (problem) issues.push({ field: col.name, message: problem });
  }
  if (!issues.length) for (const rule of rules[table.name] ?? []) {
    const issue = rule(r);
    if (issue) issues.push(issue);
  }
  return issues;
}
