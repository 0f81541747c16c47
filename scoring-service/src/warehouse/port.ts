/**
 * The Warehouse port. Adapters: duckdb.ts (embedded, the default) and bigquery.ts.
 * Both must pass the shared contract suite in test/warehouse-contract.ts.
 */
import type { WarehouseKind } from '../config.ts';
import type { Row, TableDef } from '../domain/table.ts';
import type { Dialect } from './dialect.ts';

/** Named parameters for `@name` placeholders. Arrays bind as arrays; null binds as NULL. */
export type Params = Record<string, string | number | boolean | null | string[] | number[]>;

/** Declared parameter types, needed where a value alone does not say it (null, empty array). */
export type ParamTypes = Record<string, 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'TIMESTAMP' | 'DATE' | 'STRING[]' | 'FLOAT64[]' | 'INT64[]'>;

export interface QueryOptions {
  types?: ParamTypes;
  /** A label for logs and job ids. */
  label?: string;
}

/** Column shapes of a columnar read (streamColumns). */
export type ColumnKind = 'STRING' | 'FLOAT64' | 'FLOAT64[]';

/** A FLOAT64[] column of a batch: row i's list is values[offsets[i] .. offsets[i + 1]). NULL reads as []. */
export interface FlatLists {
  offsets: Uint32Array;
  values: Float64Array;
}

/** STRING → strings (null for NULL), FLOAT64 → Float64Array (NaN for NULL), FLOAT64[] → FlatLists. */
export type ColumnData<K extends ColumnKind> = K extends 'STRING' ? (string | null)[] : K extends 'FLOAT64' ? Float64Array : FlatLists;

export interface ColumnBatch<C extends Record<string, ColumnKind>> {
  rows: number;
  columns: { [name in keyof C]: ColumnData<C[name]> };
}

/**
 * One column of a columnar append: a value per row, or one value for every row.
 * STRING/JSON (JSON as text)/TIMESTAMP (ISO) columns take strings; FLOAT64/INT64 columns
 * take a Float64Array; null entries or a null constant write NULL. `value(row)` makes each
 * value only when it is written (long per-row text such as JSON, so a million of them
 * never live at once).
 */
export type ColumnInput =
  | readonly (string | null)[]
  | Float64Array
  | { readonly constant: string | number | boolean | null }
  | { readonly value: (row: number) => string | null };

export interface Warehouse {
  readonly kind: WarehouseKind;
  readonly dialect: Dialect;
  /** Creates every missing table (idempotent). */
  migrate(tables: TableDef[]): Promise<void>;
  /** Runs a read query; rows come back normalised (see domain/table.ts for value shapes). */
  query<T = Row>(sql: string, params?: Params, options?: QueryOptions): Promise<T[]>;
  /** Runs a statement that returns no rows (DML). */
  execute(sql: string, params?: Params, options?: QueryOptions): Promise<void>;
  /**
   * Writes rows in bulk, replacing rows whose primary key exists. Rows with the same key
   * in one call: the last wins. All or nothing.
   */
  upsert(table: TableDef, rows: Row[]): Promise<number>;
  /** Appends rows in bulk without a key check (fast path for generated or streamed data). */
  append(table: TableDef, rows: Row[]): Promise<number>;
  /** Deletes rows whose key column is in `keys`. */
  deleteWhereIn(table: TableDef, column: string, keys: string[]): Promise<void>;
  /** Reads a query in batches without holding all rows at once. */
  stream<T = Row>(sql: string, params?: Params, batchSize?: number, options?: QueryOptions): AsyncIterable<T[]>;
  /**
   * Reads a query in column batches (no object per row): the fast path for reading
   * millions of rows, e.g. stored feature vectors. `columns` names the selected columns
   * wanted and their kind; other selected columns are ignored.
   */
  streamColumns<C extends Record<string, ColumnKind>>(sql: string, params: Params, columns: C, options?: QueryOptions): AsyncIterable<ColumnBatch<C>>;
  /** `append` from columns (every table column present): the fast path for writing millions of rows. */
  appendColumns(table: TableDef, rows: number, columns: Record<string, ColumnInput>): Promise<number>;
  /**
   * Optional: replaces every row of the table with these columns (appendColumns' input) at
   * once: readers see the old rows or the new ones, never a mix. Adapters without it: the
   * caller deletes and appends.
   */
  replaceColumns?(table: TableDef, rows: number, columns: Record<string, ColumnInput>): Promise<number>;
  close(): Promise<void>;
}
