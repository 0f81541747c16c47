/**
 * What differs between the warehouses' SQL. Queries are written once as functions of a
 * Dialect and use `@name` placeholders for every value (adapters bind them; nothing is
 * ever spliced into SQL text). Timestamps travel as ISO strings: write
 * `CAST(@from AS TIMESTAMP)` in queries.
 */
import type { ColumnType, TableDef } from '../domain/table.ts';

export type DateUnit = 'day' | 'week' | 'month';

export interface Dialect {
  readonly name: 'duckdb' | 'bigquery';
  /** Fully qualified, quoted table reference. */
  table(name: string): string;
  ident(name: string): string;
  columnType(type: ColumnType): string;
  createTable(def: TableDef): string;
  /** The calendar date of a timestamp in a time zone (e.g. 'Asia/Tokyo'). */
  localDate(tsExpr: string, timeZone: string): string;
  dateTrunc(dateExpr: string, unit: DateUnit): string;
  dateAddDays(dateExpr: string, daysExpr: string): string;
  dateDiffDays(laterDateExpr: string, earlierDateExpr: string): string;
  timestampAddDays(tsExpr: string, daysExpr: string): string;
  /** Fractional days between two timestamps. */
  timestampDiffDays(laterExpr: string, earlierExpr: string): string;
  /** A date parameter: `CAST(@p AS DATE)`. */
  dateParam(name: string): string;
  timestampParam(name: string): string;
  arrayLength(expr: string): string;
  /** Membership of a scalar in an array column. */
  arrayContains(arrayExpr: string, valueExpr: string): string;
  /** JSON field as text: `properties.$.key`. */
  jsonString(expr: string, key: string): string;
  jsonNumber(expr: string, key: string): string;
  countIf(cond: string): string;
  safeDivide(num: string, den: string): string;
  median(expr: string): string;
  /** Natural log, exp, least/greatest are shared; these differ. */
  float(expr: string): string;
  /** A table of consecutive dates between two date expressions inclusive, column `d`. */
  dateSeries(fromDateExpr: string, toDateExpr: string): string;
  /** Upsert from a staging relation into a table on its primary key. */
  mergeFrom(def: TableDef, sourceRelation: string): string;
}
