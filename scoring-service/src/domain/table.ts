/**
 * Logical table definitions: one schema, rendered to DDL by each dialect
 * (warehouse/dialects/*.ts). Row values are plain JSON-able data:
 * TIMESTAMP → ISO-8601 string in UTC, DATE → 'YYYY-MM-DD', JSON → parsed value,
 * INT64/FLOAT64 → number, arrays → arrays.
 */
export type ColumnType = 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'TIMESTAMP' | 'DATE' | 'JSON' | 'STRING[]' | 'FLOAT64[]';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  /** Defaults to false for key columns and true otherwise. */
  nullable?: boolean;
  description?: string;
}

export interface TableDef {
  name: string;
  columns: ColumnDef[];
  /** Key used by upserts; empty for append-only tables. */
  primaryKey: string[];
  /** BigQuery: `PARTITION BY DATE(column)`. */
  partitionBy?: string;
  /** BigQuery: `CLUSTER BY ...`. */
  clusterBy?: string[];
  description?: string;
}

export type Scalar = string | number | boolean | null;
export type Value = Scalar | Scalar[] | Record<string, unknown> | unknown[];
export type Row = Record<string, unknown>;

export function column(table: TableDef, name: string): ColumnDef {
  const c = table.columns.find((col) => col.name === name);
  if (!c) throw new Error(`table ${table.name} has no column ${name}`);
  return c;
}

export function isNullable(table: TableDef, col: ColumnDef): boolean {
  if (table.primaryKey.includes(col.name)) return false;
  return col.nullable ?? true;
}
