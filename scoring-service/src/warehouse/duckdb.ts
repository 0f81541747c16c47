/**
 * Embedded DuckDB adapter (the default). DuckDB takes a single-process lock on its file,
 * so one process owns it: the service while it runs, otherwise the CLI (see cli/remote.ts
 * for how the CLI reaches a running service instead). Within a process every caller
 * shares one instance through `DuckDBInstance.fromCache`, because two instances on one
 * file silently diverge.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  DuckDBInstance,
  DuckDBTypeId,
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  LIST,
  TIMESTAMP,
  VARCHAR,
  listValue,
  timestampValue,
  dateValue,
  type DuckDBConnection,
  type DuckDBResult,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Row, TableDef } from '../domain/table.ts';
import { duckdbDialect } from './dialects/duckdb.ts';
import { appendWithAppender } from './duckdb-appender.ts';
import { appendColumnRows, replaceColumnRows, streamColumnChunks } from './duckdb-columns.ts';
import { coerceRow, dedupeByKey, normalizeScalar, toIso } from './normalize.ts';
import type { ColumnBatch, ColumnInput, ColumnKind, ParamTypes, Params, QueryOptions, Warehouse } from './port.ts';

/** `@name` → `$name`, leaving string literals and quoted identifiers alone. */
export function toDuckdbPlaceholders(sql: string): string {
  return sql.replace(/('(?:[^']|'')*')|("(?:[^"]|"")*")|@([A-Za-z_][A-Za-z0-9_]*)/g, (m, s, q, name) => (name ? `$${name}` : m));
}

const PARAM_TYPES: Record<string, DuckDBType> = {
  STRING: VARCHAR,
  INT64: BIGINT,
  FLOAT64: DOUBLE,
  BOOL: BOOLEAN,
  TIMESTAMP: TIMESTAMP,
  DATE: DATE,
  'STRING[]': LIST(VARCHAR),
  'FLOAT64[]': LIST(DOUBLE),
  'INT64[]': LIST(BIGINT),
};

function bindParams(sql: string, params: Params, types?: ParamTypes): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType | undefined> } {
  const used = new Set([...sql.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
  const values: Record<string, DuckDBValue> = {};
  const out: Record<string, DuckDBType | undefined> = {};
  for (const [k, v] of Object.entries(params)) {
    if (!used.has(k)) continue;
    const declared = types?.[k];
    if (Array.isArray(v)) {
      values[k] = listValue(v as DuckDBValue[]);
      out[k] = declared ? PARAM_TYPES[declared] : v.every((x) => typeof x === 'number') && v.length ? LIST(DOUBLE) : LIST(VARCHAR);
    } else {
      values[k] = v as DuckDBValue;
      // Declared timestamps and dates travel as ISO strings (see port.ts); DuckDB binds them as typed values.
      if (typeof v === 'string' && declared === 'TIMESTAMP') values[k] = timestampValue(BigInt(Date.parse(toIso(v)!)) * 1000n);
      if (typeof v === 'string' && declared === 'DATE') values[k] = dateValue(Math.round(Date.parse(v.slice(0, 10) + 'T00:00:00Z') / 86_400_000));
      if (declared) out[k] = PARAM_TYPES[declared];
      else if (typeof v === 'number') out[k] = Number.isInteger(v) ? BIGINT : DOUBLE;
      else if (v === null) out[k] = VARCHAR;
    }
  }
  return { values, types: out };
}

function rowConverter(result: Pick<DuckDBResult, 'deduplicatedColumnNames' | 'columnTypes'>): (row: Record<string, unknown>) => Row {
  const names = result.deduplicatedColumnNames();
  const kinds = result.columnTypes().map((t) => {
    if (t.alias === 'JSON') return 'json';
    if (t.typeId === DuckDBTypeId.DATE) return 'date';
    return 'plain';
  });
  return (row) => {
    const out: Row = {};
    names.forEach((n, i) => {
      const v = row[n];
      if (v === null || v === undefined) out[n] = null;
      else if (kinds[i] === 'json') out[n] = typeof v === 'string' ? JSON.parse(v) : v;
      else if (kinds[i] === 'date') out[n] = v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
      else out[n] = normalizeScalar(v);
    });
    return out;
  };
}

export interface DuckdbOptions {
  /** A file path, or ':memory:' for a private in-memory database (tests). */
  file: string;
}

export class DuckdbWarehouse implements Warehouse {
  readonly kind = 'duckdb' as const;
  readonly dialect = duckdbDialect;
  private instance?: DuckDBInstance;
  private closed = false;
  private readonly tmpDir: string;

  constructor(private readonly options: DuckdbOptions) {
    this.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'workship-duckdb-'));
  }

  private async db(): Promise<DuckDBInstance> {
    if (this.closed) throw new Error('warehouse is closed');
    if (!this.instance) {
      if (this.options.file === ':memory:') {
        this.instance = await DuckDBInstance.create(':memory:');
      } else {
        fs.mkdirSync(path.dirname(this.options.file), { recursive: true });
        this.instance = await DuckDBInstance.fromCache(this.options.file);
      }
    }
    return this.instance;
  }

  private async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await (await this.db()).connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  }

  async migrate(tables: TableDef[]): Promise<void> {
    await this.withConnection(async (c) => {
      for (const t of tables) await c.run(this.dialect.createTable(t));
    });
  }

  async query<T = Row>(sql: string, params: Params = {}, options: QueryOptions = {}): Promise<T[]> {
    const text = toDuckdbPlaceholders(sql);
    const bound = bindParams(text, params, options.types);
    return this.withConnection(async (c) => {
      const reader = await c.runAndReadAll(text, bound.values, bound.types);
      const convert = rowConverter(reader);
      return (await reader.getRowObjectsJS()).map((r) => convert(r) as T);
    });
  }

  async execute(sql: string, params: Params = {}, options: QueryOptions = {}): Promise<void> {
    const text = toDuckdbPlaceholders(sql);
    const bound = bindParams(text, params, options.types);
    await this.withConnection((c) => c.run(text, bound.values, bound.types).then(() => undefined));
  }

  async *stream<T = Row>(sql: string, params: Params = {}, batchSize = 10_000, options: QueryOptions = {}): AsyncIterable<T[]> {
    const text = toDuckdbPlaceholders(sql);
    const bound = bindParams(text, params, options.types);
    const conn = await (await this.db()).connect();
    try {
      const result = await conn.stream(text, bound.values, bound.types);
      const convert = rowConverter(result);
      let batch: T[] = [];
      for await (const rows of result.yieldRowObjectJs()) {
        for (const r of rows) {
          batch.push(convert(r) as T);
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length) yield batch;
    } finally {
      conn.closeSync();
    }
  }

  async *streamColumns<C extends Record<string, ColumnKind>>(sql: string, params: Params, columns: C, options: QueryOptions = {}): AsyncIterable<ColumnBatch<C>> {
    const text = toDuckdbPlaceholders(sql);
    const bound = bindParams(text, params, options.types);
    const conn = await (await this.db()).connect();
    try {
      yield* streamColumnChunks(await conn.stream(text, bound.values, bound.types), columns);
    } finally {
      conn.closeSync();
    }
  }

  async appendColumns(table: TableDef, rows: number, columns: Record<string, ColumnInput>): Promise<number> {
    return this.withConnection((c) => appendColumnRows(c, table, rows, columns));
  }

  async replaceColumns(table: TableDef, rows: number, columns: Record<string, ColumnInput>): Promise<number> {
    return this.withConnection((c) => replaceColumnRows(c, table, (t) => this.dialect.createTable(t), (n) => this.dialect.ident(n), rows, columns));
  }

  /** Stages rows as NDJSON and loads them with one statement: atomic and fast. */
  private async load(table: TableDef, rows: Row[], mode: 'upsert' | 'append'): Promise<number> {
    if (!rows.length) return 0;
    const list = mode === 'upsert' ? dedupeByKey(table, rows) : rows;
    const file = path.join(this.tmpDir, `${table.name}-${randomUUID()}.ndjson`);
    const fd = fs.openSync(file, 'w');
    try {
      let buf: string[] = [];
      for (const r of list) {
        buf.push(JSON.stringify(coerceRow(table, r)));
        if (buf.length >= 5000) {
          fs.writeSync(fd, buf.join('\n') + '\n');
          buf = [];
        }
      }
      if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
    } finally {
      fs.closeSync(fd);
    }
    const cols = table.columns.map((c) => `${JSON.stringify(c.name)}: '${this.dialect.columnType(c.type)}'`).join(', ');
    // The staging path is generated here, never user input; read_json needs a constant.
    const source = `read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = {${cols}})`;
    const names = table.columns.map((c) => this.dialect.ident(c.name)).join(', ');
    const sql = mode === 'upsert' && table.primaryKey.length
      ? this.dialect.mergeFrom(table, source)
      : `INSERT INTO ${this.dialect.table(table.name)} (${names}) SELECT ${names} FROM ${source}`;
    try {
      await this.withConnection((c) => c.run(sql).then(() => undefined));
    } finally {
      fs.rmSync(file, { force: true });
    }
    return list.length;
  }

  upsert(table: TableDef, rows: Row[]): Promise<number> {
    return this.load(table, rows, 'upsert');
  }

  async append(table: TableDef, rows: Row[]): Promise<number> {
    if (!rows.length) return 0;
    return this.withConnection((c) => appendWithAppender(c, table, rows));
  }

  async deleteWhereIn(table: TableDef, column: string, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await this.execute(
      `DELETE FROM ${this.dialect.table(table.name)} WHERE list_contains(@keys, ${this.dialect.ident(column)})`,
      { keys },
      { types: { keys: 'STRING[]' } },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.instance) {
      if (this.options.file !== ':memory:') await this.withCheckpoint(this.instance);
      this.instance.closeSync();
    }
    fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }

  private async withCheckpoint(instance: DuckDBInstance): Promise<void> {
    const c = await instance.connect();
    try {
      await c.run('CHECKPOINT');
    } catch {
      // a checkpoint is an optimisation; the WAL replays on next open
    } finally {
      c.closeSync();
    }
  }
}
