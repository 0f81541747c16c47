/**
 * Values crossing the BigQuery client: query parameters out (every parameter gets an
 * explicit type, so null, empty arrays and timestamps are never guessed by the client),
 * rows in (the client's wrapper classes turned into the plain shapes of domain/table.ts,
 * exactly as the DuckDB adapter returns them).
 */
import { BigQueryDate, BigQueryDatetime, BigQueryInt, BigQueryTime, BigQueryTimestamp } from '@google-cloud/bigquery';
import type { ColumnType, Row, TableDef } from '../domain/table.ts';
import { isNullable } from '../domain/table.ts';
import { toIso } from './normalize.ts';
import type { ParamTypes, Params } from './port.ts';

/** `@name` placeholders used by a statement, ignoring string literals, quoted names and `@@system` variables. */
export function usedParams(sql: string): string[] {
  const names = new Set<string>();
  const re = /('(?:[^'\\]|\\.|'')*')|("(?:[^"\\]|\\.)*")|(`[^`]*`)|(--[^\n]*)|@@[A-Za-z_][A-Za-z0-9_]*|@([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const m of sql.matchAll(re)) if (m[5]) names.add(m[5]);
  return [...names];
}

export type BigQueryParamType = string | string[];

const DECLARED: Record<ParamTypes[string], BigQueryParamType> = {
  STRING: 'STRING',
  INT64: 'INT64',
  FLOAT64: 'FLOAT64',
  BOOL: 'BOOL',
  TIMESTAMP: 'TIMESTAMP',
  DATE: 'DATE',
  'STRING[]': ['STRING'],
  'FLOAT64[]': ['FLOAT64'],
  'INT64[]': ['INT64'],
};

/**
 * The BigQuery type of one parameter: the declared type, else what the value says.
 * Numbers in arrays are FLOAT64 (as DuckDB binds them), scalars INT64 when integral.
 */
export function paramType(value: Params[string], declared?: ParamTypes[string]): BigQueryParamType {
  if (declared) return DECLARED[declared];
  if (value === null) return 'STRING';
  if (Array.isArray(value)) {
    if (value.length && value.every((x) => typeof x === 'number')) return ['FLOAT64'];
    return ['STRING'];
  }
  if (typeof value === 'boolean') return 'BOOL';
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  return 'STRING';
}

/** Parameters and types for the statement, only those it uses; a missing one is an error here, not in BigQuery. */
export function bindParams(sql: string, params: Params, types: ParamTypes = {}): { params: Record<string, unknown>; types: Record<string, BigQueryParamType> } | null {
  const used = usedParams(sql);
  if (!used.length) return null;
  const out: Record<string, unknown> = {};
  const outTypes: Record<string, BigQueryParamType> = {};
  for (const name of used) {
    if (!(name in params)) throw new Error(`query parameter @${name} has no value`);
    const v = params[name] === undefined ? null : params[name];
    outTypes[name] = paramType(v, types[name]);
    // The client reads DATE/TIMESTAMP values from its wrapper classes only (a bare string would be sent empty).
    if (typeof v === 'string' && outTypes[name] === 'TIMESTAMP') out[name] = new BigQueryTimestamp(toIso(v)!);
    else if (typeof v === 'string' && outTypes[name] === 'DATE') out[name] = new BigQueryDate(v.slice(0, 10));
    else out[name] = v;
  }
  return { params: out, types: outTypes };
}

/** One value from the client (after its own schema conversion) in the plain shape. */
export function normalizeBigQueryValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof BigQueryTimestamp) return toIso(v.value);
  if (v instanceof BigQueryDate) return String(v.value).slice(0, 10);
  if (v instanceof BigQueryDatetime || v instanceof BigQueryTime) return String(v.value);
  if (v instanceof BigQueryInt) return Number(v.value);
  if (typeof v === 'bigint') return Number(v);
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(normalizeBigQueryValue);
  if (typeof v === 'object') {
    // NUMERIC/BIGNUMERIC arrive as big.js values.
    if (v.constructor?.name === 'Big') return Number(String(v));
    const out: Row = {};
    for (const [k, x] of Object.entries(v as Row)) out[k] = normalizeBigQueryValue(x);
    return out;
  }
  return v;
}

export function normalizeBigQueryRow(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = normalizeBigQueryValue(v);
  return out;
}

const FIELD_TYPES: Record<ColumnType, { type: string; mode?: 'REPEATED' }> = {
  STRING: { type: 'STRING' },
  INT64: { type: 'INTEGER' },
  FLOAT64: { type: 'FLOAT' },
  BOOL: { type: 'BOOLEAN' },
  TIMESTAMP: { type: 'TIMESTAMP' },
  DATE: { type: 'DATE' },
  JSON: { type: 'JSON' },
  'STRING[]': { type: 'STRING', mode: 'REPEATED' },
  'FLOAT64[]': { type: 'FLOAT', mode: 'REPEATED' },
};

export interface SchemaField {
  name: string;
  type: string;
  mode: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
}

/** The REST schema of a table (used for staging tables of upserts). */
export function tableSchema(def: TableDef): { fields: SchemaField[] } {
  return {
    fields: def.columns.map((c) => {
      const f = FIELD_TYPES[c.type];
      return { name: c.name, type: f.type, mode: f.mode ?? (isNullable(def, c) ? 'NULLABLE' : 'REQUIRED') };
    }),
  };
}
