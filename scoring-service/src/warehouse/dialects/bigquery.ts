import type { ColumnType, TableDef } from '../../domain/table.ts';
import { isNullable } from '../../domain/table.ts';
import type { DateUnit, Dialect } from '../dialect.ts';

const TYPES: Record<ColumnType, string> = {
  STRING: 'STRING',
  INT64: 'INT64',
  FLOAT64: 'FLOAT64',
  BOOL: 'BOOL',
  TIMESTAMP: 'TIMESTAMP',
  DATE: 'DATE',
  JSON: 'JSON',
  'STRING[]': 'ARRAY<STRING>',
  'FLOAT64[]': 'ARRAY<FLOAT64>',
};

const quote = (name: string) => `\`${name.replace(/`/g, '')}\``;

/** BigQuery standard SQL; `project` and `dataset` qualify every table reference. */
export function bigqueryDialect(projectId: string, dataset: string): Dialect {
  const qualified = (name: string) => `\`${projectId}.${dataset}.${name}\``.replace(/``/g, '`');
  return {
    name: 'bigquery',
    table: qualified,
    ident: quote,
    columnType: (t) => TYPES[t],
    createTable(def: TableDef) {
      // ARRAY columns cannot be NOT NULL in BigQuery: an empty array is their null.
      const cols = def.columns.map(
        (c) => `  ${quote(c.name)} ${TYPES[c.type]}${isNullable(def, c) || c.type.endsWith('[]') ? '' : ' NOT NULL'}`,
      );
      let ddl = `CREATE TABLE IF NOT EXISTS ${qualified(def.name)} (\n${cols.join(',\n')}\n)`;
      if (def.partitionBy) ddl += `\nPARTITION BY DATE(${quote(def.partitionBy)})`;
      if (def.clusterBy?.length) ddl += `\nCLUSTER BY ${def.clusterBy.map(quote).join(', ')}`;
      return ddl;
    },
    localDate: (ts, tz) => `DATE(${ts}, '${tz.replace(/'/g, '')}')`,
    dateTrunc: (d, unit: DateUnit) => `DATE_TRUNC(${d}, ${unit === 'week' ? 'ISOWEEK' : unit.toUpperCase()})`,
    dateAddDays: (d, n) => `DATE_ADD(${d}, INTERVAL ${n} DAY)`,
    dateDiffDays: (a, b) => `DATE_DIFF(${a}, ${b}, DAY)`,
    timestampAddDays: (ts, n) => `TIMESTAMP_ADD(${ts}, INTERVAL ${n} DAY)`,
    timestampDiffDays: (a, b) => `(TIMESTAMP_DIFF(${a}, ${b}, SECOND) / 86400.0)`,
    dateParam: (n) => `CAST(@${n} AS DATE)`,
    timestampParam: (n) => `CAST(@${n} AS TIMESTAMP)`,
    arrayLength: (e) => `ARRAY_LENGTH(${e})`,
    arrayContains: (a, v) => `(${v} IN UNNEST(${a}))`,
    jsonString: (e, k) => `JSON_VALUE(${e}, '$.${k.replace(/[^A-Za-z0-9_]/g, '')}')`,
    jsonNumber: (e, k) => `SAFE_CAST(JSON_VALUE(${e}, '$.${k.replace(/[^A-Za-z0-9_]/g, '')}') AS FLOAT64)`,
    countIf: (c) => `COUNTIF(${c})`,
    safeDivide: (n, d) => `SAFE_DIVIDE(${n}, ${d})`,
    median: (e) => `APPROX_QUANTILES(${e}, 2)[OFFSET(1)]`,
    float: (e) => `CAST(${e} AS FLOAT64)`,
    dateSeries: (from, to) => `UNNEST(GENERATE_DATE_ARRAY(CAST(${from} AS DATE), CAST(${to} AS DATE))) AS d`,
    mergeFrom(def, source) {
      const cols = def.columns.map((c) => quote(c.name));
      const on = def.primaryKey.map((k) => `T.${quote(k)} = S.${quote(k)}`).join(' AND ');
      const set = cols.filter((c) => !def.primaryKey.map(quote).includes(c)).map((c) => `${c} = S.${c}`).join(', ');
      // A table of key columns only has nothing to update: `UPDATE SET` with no columns is a syntax error.
      return `MERGE ${qualified(def.name)} T USING ${source} S ON ${on}\n` +
        (set ? `WHEN MATCHED THEN UPDATE SET ${set}\n` : '') +
        `WHEN NOT MATCHED THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `S.${c}`).join(', ')})`;
    },
  };
}
