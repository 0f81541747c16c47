/**
 * Bulk append through DuckDB's Appender inside one transaction: about three times cheaper
 * than staging NDJSON for generated data, and still all or nothing (ROLLBACK on error).
 */
import {
  DOUBLE,
  LIST,
  VARCHAR,
  dateValue,
  timestampValue,
  type DuckDBConnection,
  type DuckDBAppender,
} from '@duckdb/node-api';
import type { ColumnType, Row, TableDef } from '../domain/table.ts';
import { coerceValue } from './normalize.ts';

const STRING_LIST = LIST(VARCHAR);
const DOUBLE_LIST = LIST(DOUBLE);

type Writer = (a: DuckDBAppender, v: unknown) => void;

function writerFor(type: ColumnType): Writer {
  switch (type) {
    case 'STRING':
      return (a, v) => a.appendVarchar(String(v));
    case 'INT64':
      return (a, v) => a.appendBigInt(BigInt(Math.trunc(Number(v))));
    case 'FLOAT64':
      return (a, v) => a.appendDouble(Number(v));
    case 'BOOL':
      return (a, v) => a.appendBoolean(v === true || v === 'true' || v === 1);
    case 'TIMESTAMP':
      return (a, v) => {
        const ms = v instanceof Date ? v.getTime() : Date.parse(coerceValue('TIMESTAMP', v) as string);
        a.appendTimestamp(timestampValue(BigInt(ms) * 1000n));
      };
    case 'DATE':
      return (a, v) => a.appendDate(dateValue(Math.round(Date.parse(String(coerceValue('DATE', v)) + 'T00:00:00Z') / 86_400_000)));
    case 'JSON':
      return (a, v) => a.appendVarchar(typeof v === 'string' ? v : JSON.stringify(v));
    case 'STRING[]':
      return (a, v) => a.appendList((v as unknown[]).map(String), STRING_LIST);
    case 'FLOAT64[]':
      return (a, v) => a.appendList((v as unknown[]).map(Number), DOUBLE_LIST);
  }
}

/**
 * Runs `fill` on an appender for `tableName` inside one transaction: flushed and committed when
 * it returns, closed and rolled back when it throws (nothing half-appended stays). `before` and
 * `after` are statements run in the same transaction around the append.
 */
export async function inAppenderTransaction(
  conn: DuckDBConnection, tableName: string, fill: (a: DuckDBAppender) => void, around: { before?: string[]; after?: string[] } = {},
): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  let appender: DuckDBAppender | undefined;
  try {
    for (const sql of around.before ?? []) await conn.run(sql);
    appender = await conn.createAppender(tableName);
    fill(appender);
    appender.flushSync();
    appender.closeSync();
    appender = undefined;
    for (const sql of around.after ?? []) await conn.run(sql);
    await conn.run('COMMIT');
  } catch (e) {
    try {
      appender?.closeSync();
    } catch {}
    await conn.run('ROLLBACK').catch(() => {});
    throw e;
  }
}

export async function appendWithAppender(conn: DuckDBConnection, table: TableDef, rows: Row[]): Promise<number> {
  const writers = table.columns.map((c) => ({ name: c.name, list: c.type.endsWith('[]'), write: writerFor(c.type) }));
  await inAppenderTransaction(conn, table.name, (appender) => {
    for (const row of rows) {
      for (const w of writers) {
        const v = row[w.name];
        if (v === null || v === undefined) {
          if (w.list) w.write(appender, []);
          else appender.appendNull();
        } else w.write(appender, v);
      }
      appender.endRow();
    }
  });
  return rows.length;
}
