/**
 * Columnar reads and writes for the DuckDB adapter (Warehouse.streamColumns / appendColumns
 * in port.ts). Reads take whole data chunks: a million stored vectors arrive as flat double
 * arrays, no object per row. Writes go through the row appender with one typed call per
 * value and no row objects: measured against filling data chunks, it is as fast for
 * numbers and faster for text (a VARCHAR vector's flush makes the same native call per value).
 */
import {
  DuckDBListVector,
  dateValue,
  timestampValue,
  type DuckDBConnection,
  type DuckDBAppender,
  type DuckDBDataChunk,
  type DuckDBResult,
  type DuckDBValue,
  type DuckDBVector,
} from '@duckdb/node-api';
import type { ColumnType, TableDef } from '../domain/table.ts';
import { toDateString, toIso } from './normalize.ts';
import type { ColumnBatch, ColumnInput, ColumnKind, FlatLists } from './port.ts';
import { inAppenderTransaction } from './duckdb-appender.ts';

function readStrings(v: DuckDBVector, n: number): (string | null)[] {
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const x = v.getItem(i);
    out[i] = x == null ? null : String(x);
  }
  return out;
}

function readNumbers(v: DuckDBVector, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v.getItem(i);
    out[i] = x == null ? NaN : Number(x);
  }
  return out;
}

/** The list vector's validity mask; getItemVector would tell too, but copies the row's values to do it. */
function listValid(v: DuckDBListVector): (i: number) => boolean {
  const validity = (v as unknown as { validity?: { itemValid?: (i: number) => boolean } }).validity;
  return typeof validity?.itemValid === 'function' ? (i) => validity.itemValid!(i) : (i) => v.getItemVector(i) !== null;
}

function readLists(v: DuckDBVector, n: number): FlatLists {
  if (!(v instanceof DuckDBListVector)) throw new TypeError(`column is ${v.type.toString()}, not a list`);
  const valid = listValid(v);
  const offsets = new Uint32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = total;
    if (valid(i)) total += v.getEntryLength(i);
  }
  offsets[n] = total;
  const values = new Float64Array(total);
  const child = v.childVector;
  // A DOUBLE child without NULLs is read straight from its typed array (a view of DuckDB's
  // vector); anything else value by value.
  const raw = child as unknown as { items?: unknown; validity?: { data?: unknown } };
  if (raw.items instanceof Float64Array && raw.validity?.data === null) {
    const items = raw.items;
    // Rows' entries usually lie back to back in the child vector: then one copy for the chunk.
    let i = 0;
    const base = n ? v.getEntryOffset(0) : 0;
    while (i < n && (offsets[i + 1] === offsets[i] || v.getEntryOffset(i) === base + offsets[i])) i++;
    if (i === n) {
      values.set(items.subarray(base, base + total));
      return { offsets, values };
    }
    for (i = 0; i < n; i++) {
      const len = offsets[i + 1] - offsets[i];
      if (len) values.set(items.subarray(v.getEntryOffset(i), v.getEntryOffset(i) + len), offsets[i]);
    }
    return { offsets, values };
  }
  for (let i = 0; i < n; i++) {
    const len = offsets[i + 1] - offsets[i];
    if (!len) continue;
    const from = v.getEntryOffset(i);
    const at = offsets[i];
    for (let k = 0; k < len; k++) values[at + k] = Number(child.getItem(from + k));
  }
  return { offsets, values };
}

export async function* streamColumnChunks<C extends Record<string, ColumnKind>>(result: DuckDBResult, columns: C): AsyncIterable<ColumnBatch<C>> {
  const names = result.deduplicatedColumnNames();
  const wanted = Object.entries(columns).map(([name, kind]) => {
    const index = names.indexOf(name);
    if (index < 0) throw new Error(`streamColumns: the query selects no column ${name}`);
    return { name, kind, index };
  });
  // DuckDB makes the next chunk (on its own thread) while this one is converted and consumed.
  let next: Promise<DuckDBDataChunk | null> = result.fetchChunk();
  next.catch(() => {});
  try {
    for (;;) {
      const chunk = await next;
      if (!chunk || chunk.rowCount === 0) return;
      next = result.fetchChunk();
      next.catch(() => {}); // awaited below; no unhandled rejection while the consumer works
      const n = chunk.rowCount;
      const out: Record<string, unknown> = {};
      for (const c of wanted) {
        const v = chunk.getColumnVector(c.index);
        out[c.name] = c.kind === 'STRING' ? readStrings(v, n) : c.kind === 'FLOAT64' ? readNumbers(v, n) : readLists(v, n);
      }
      yield { rows: n, columns: out as ColumnBatch<C>['columns'] };
    }
  } finally {
    // A fetch still running when the consumer stops early must end before the connection closes.
    await next.catch(() => null);
  }
}

type Convert = (v: unknown) => DuckDBValue;

function converterFor(type: ColumnType, table: string, name: string): Convert {
  switch (type) {
    case 'STRING':
    case 'JSON':
      return (v) => (typeof v === 'string' ? v : type === 'JSON' ? JSON.stringify(v) : String(v));
    case 'FLOAT64':
      return (v) => Number(v);
    case 'INT64':
      return (v) => BigInt(Math.trunc(Number(v)));
    case 'BOOL':
      return (v) => v === true || v === 'true' || v === 1;
    case 'TIMESTAMP':
      return (v) => timestampValue(BigInt(Date.parse(toIso(v)!)) * 1000n);
    case 'DATE':
      return (v) => dateValue(Math.round(Date.parse(toDateString(v) + 'T00:00:00Z') / 86_400_000));
    default:
      return () => {
        throw new TypeError(`appendColumns: ${table}.${name} is ${type}; array columns are not supported`);
      };
  }
}

type RowWriter = (a: DuckDBAppender, row: number) => void;

/** Appends a DuckDB value of the column's type (already converted by converterFor). */
function appendTyped(type: ColumnType): (a: DuckDBAppender, v: DuckDBValue) => void {
  switch (type) {
    case 'STRING':
    case 'JSON':
      return (a, v) => a.appendVarchar(v as string);
    case 'FLOAT64':
      return (a, v) => a.appendDouble(v as number);
    case 'INT64':
      return (a, v) => a.appendBigInt(v as bigint);
    case 'BOOL':
      return (a, v) => a.appendBoolean(v as boolean);
    case 'TIMESTAMP':
      return (a, v) => a.appendTimestamp(v as ReturnType<typeof timestampValue>);
    case 'DATE':
      return (a, v) => a.appendDate(v as ReturnType<typeof dateValue>);
    default:
      return () => {
        throw new TypeError(`appendColumns: ${type} columns are not supported`);
      };
  }
}

function rowWriters(table: TableDef, rows: number, columns: Record<string, ColumnInput>): RowWriter[] {
  return table.columns.map((c) => {
    const input = columns[c.name];
    if (input === undefined) throw new Error(`appendColumns: no data for ${table.name}.${c.name}`);
    if (!('constant' in input) && !('value' in input) && input.length !== rows) throw new Error(`appendColumns: ${table.name}.${c.name} has ${input.length} values for ${rows} rows`);
    const convert = converterFor(c.type, table.name, c.name);
    const put = appendTyped(c.type);
    if ('constant' in input) {
      if (input.constant === null) return (a) => a.appendNull();
      const v = convert(input.constant);
      return (a) => put(a, v);
    }
    if (input instanceof Float64Array) {
      if (c.type === 'FLOAT64') return (a, r) => a.appendDouble(input[r]);
      return (a, r) => put(a, convert(input[r]));
    }
    const at: (r: number) => string | null = 'value' in input ? input.value : (r) => input[r];
    const plain = c.type === 'STRING' || c.type === 'JSON';
    return (a, r) => {
      const v = at(r);
      if (v === null || v === undefined) a.appendNull();
      else if (plain) a.appendVarchar(v);
      else put(a, convert(v));
    };
  });
}

function fillRows(table: TableDef, rows: number, writers: RowWriter[]): (appender: DuckDBAppender) => void {
  return (appender) => {
    if (appender.columnCount !== writers.length) throw new Error(`appendColumns: ${table.name} has ${appender.columnCount} columns, the table definition ${writers.length}`);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < writers.length; k++) writers[k](appender, r);
      appender.endRow();
    }
  };
}

/** Appends columns in one transaction (all or nothing). */
export async function appendColumnRows(conn: DuckDBConnection, table: TableDef, rows: number, columns: Record<string, ColumnInput>): Promise<number> {
  const writers = rowWriters(table, rows, columns);
  if (!rows) return 0;
  await inAppenderTransaction(conn, table.name, fillRows(table, rows, writers));
  return rows;
}

/**
 * Replaces every row of `table` with these columns in one transaction: the rows go into a
 * fresh table without the key's index, which then takes the table's place and gets its
 * primary key built in one pass over all keys. Against DELETE + append this skips deleting
 * the old rows one by one and inserting a million keys into a live index (measured: about
 * half the time when the table was full). The key is still enforced: duplicate or NULL keys
 * fail ADD PRIMARY KEY and the whole replacement rolls back, leaving the old rows.
 */
export async function replaceColumnRows(
  conn: DuckDBConnection, table: TableDef, createTable: (def: TableDef) => string, quote: (name: string) => string,
  rows: number, columns: Record<string, ColumnInput>,
): Promise<number> {
  const writers = rowWriters(table, rows, columns);
  const fresh: TableDef = {
    ...table,
    name: `${table.name}__replacing`,
    primaryKey: [],
    columns: table.columns.map((c) => (table.primaryKey.includes(c.name) ? { ...c, nullable: false } : c)),
  };
  const after = [`DROP TABLE IF EXISTS ${quote(table.name)}`, `ALTER TABLE ${quote(fresh.name)} RENAME TO ${quote(table.name)}`];
  if (table.primaryKey.length) after.push(`ALTER TABLE ${quote(table.name)} ADD PRIMARY KEY (${table.primaryKey.map(quote).join(', ')})`);
  await inAppenderTransaction(conn, fresh.name, fillRows(table, rows, writers), { before: [`DROP TABLE IF EXISTS ${quote(fresh.name)}`, createTable(fresh)], after });
  return rows;
}
