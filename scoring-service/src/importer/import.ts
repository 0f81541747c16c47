/**
 * Importing validated rows: which tables accept imports, and the write itself. A file with
 * any bad row writes nothing; a good one is written with one `upsert`, which both adapters
 * make all-or-nothing (DuckDB: one statement from a staged file; BigQuery: load jobs into a
 * staging table, then one MERGE). Re-importing the same ids replaces rows, never duplicates.
 */
import type { Row, TableDef } from '../domain/table.ts';
import { annotations, companies, events, freelancers, jobs } from '../domain/tables.ts';
import type { Warehouse } from '../warehouse/port.ts';

/** Body limit of POST /v1/admin/import/:table (the CLI splits larger imports below it). */
export const IMPORT_BODY_LIMIT_BYTES = 200 * 1024 * 1024;

export const IMPORTABLE: Record<string, TableDef> = { freelancers, jobs, events, annotations, companies };

export function importableTable(name: string): TableDef | undefined {
  return Object.hasOwn(IMPORTABLE, name) ? IMPORTABLE[name] : undefined;
}

export async function writeImport(w: Warehouse, table: TableDef, rows: Row[]): Promise<number> {
  if (!rows.length) return 0;
  return w.upsert(table, rows);
}
