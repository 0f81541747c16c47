/**
 * Row ↔ column conversions behind Warehouse.streamColumns / appendColumns for adapters
 * without a native columnar path (BigQuery: its REST API speaks rows anyway).
 */
import type { Row, TableDef } from '../domain/table.ts';
import type { ColumnBatch, ColumnInput, ColumnKind, FlatLists } from './port.ts';

export function rowsToColumns<C extends Record<string, ColumnKind>>(rows: Row[], columns: C): ColumnBatch<C> {
  const n = rows.length;
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(columns)) {
    if (n && !(name in rows[0])) throw new Error(`streamColumns: the query selects no column ${name}`);
    if (kind === 'STRING') out[name] = rows.map((r) => (r[name] == null ? null : String(r[name])));
    else if (kind === 'FLOAT64') out[name] = Float64Array.from(rows, (r) => (r[name] == null ? NaN : Number(r[name])));
    else {
      const offsets = new Uint32Array(n + 1);
      const lists = rows.map((r) => (Array.isArray(r[name]) ? (r[name] as unknown[]) : []));
      lists.forEach((l, i) => (offsets[i + 1] = offsets[i] + l.length));
      const values = new Float64Array(offsets[n]);
      lists.forEach((l, i) => l.forEach((v, k) => (values[offsets[i] + k] = Number(v))));
      out[name] = { offsets, values } satisfies FlatLists;
    }
  }
  return { rows: n, columns: out as ColumnBatch<C>['columns'] };
}

export function columnsToRows(table: TableDef, rows: number, columns: Record<string, ColumnInput>): Row[] {
  const cols = table.columns.map((c) => {
    const input = columns[c.name];
    if (input === undefined) throw new Error(`appendColumns: no data for ${table.name}.${c.name}`);
    if (!('constant' in input) && !('value' in input) && input.length !== rows) throw new Error(`appendColumns: ${table.name}.${c.name} has ${input.length} values for ${rows} rows`);
    return { name: c.name, input };
  });
  const out: Row[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const r: Row = {};
    for (const c of cols) r[c.name] = 'constant' in c.input ? c.input.constant : 'value' in c.input ? c.input.value(i) : c.input[i];
    out[i] = r;
  }
  return out;
}
