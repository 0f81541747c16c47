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
  close(): Promise<void>;
}
