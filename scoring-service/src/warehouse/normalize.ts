/** Normalisation of values coming out of either warehouse into the shapes of domain/table.ts. */
import type { ColumnType, Row, TableDef } from '../domain/table.ts';

export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const s = String(value);
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : s.replace(' ', 'T') + 'Z');
  if (Number.isNaN(d.getTime())) throw new TypeError(`not a timestamp: ${s}`);
  return d.toISOString();
}

export function toDateString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

export function normalizeScalar(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalizeScalar);
  return value;
}

/** Coerces one row to the table's column types (for writes and typed reads). */
export function coerceRow(table: TableDef, row: Row): Row {
  const out: Row = {};
  for (const c of table.columns) out[c.name] = coerceValue(c.type, row[c.name]);
  return out;
}

export function coerceValue(type: ColumnType, v: unknown): unknown {
  if (v === undefined || v === null) return type.endsWith('[]') ? [] : null;
  switch (type) {
    case 'TIMESTAMP':
      return toIso(v);
    case 'DATE':
      return toDateString(v);
    case 'INT64':
      return typeof v === 'bigint' ? Number(v) : Math.trunc(Number(v));
    case 'FLOAT64':
      return Number(v);
    case 'BOOL':
      return v === true || v === 'true' || v === 1;
    case 'JSON':
      return typeof v === 'string' ? safeParse(v) : v;
    case 'STRING[]':
      return (v as unknown[]).map(String);
    case 'FLOAT64[]':
      return (v as unknown[]).map(Number);
    default:
      return String(v);
  }
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** Keeps the last row for each primary key (upsert semantics within one batch). */
export function dedupeByKey(table: TableDef, rows: Row[]): Row[] {
  if (!table.primaryKey.length) return rows;
  const byKey = new Map<string, Row>();
  for (const r of rows) byKey.set(table.primaryKey.map((k) => String(r[k])).join('\u0000'), r);
  return [...byKey.values()];
}
