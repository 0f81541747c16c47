/** `ddl [--dialect bigquery|duckdb]`: the CREATE TABLE statements of every table (README's BigQuery set-up). */
import { CliUsageError, parseArgs, type CliCommand } from '../command.ts';
import { allTables } from '../../domain/all-tables.ts';
import { bigqueryDialect } from '../../warehouse/dialects/bigquery.ts';
import { duckdbDialect } from '../../warehouse/dialects/duckdb.ts';

export const ddlCommand: CliCommand = {
  name: 'ddl',
  summary: '全テーブルの DDL を表示 (print every table\'s DDL)',
  usage: `usage: ddl [--dialect bigquery|duckdb]
  全テーブルの CREATE TABLE 文を表示します (BigQuery は BQ_PROJECT / BQ_DATASET で修飾)。
  Prints CREATE TABLE for every table; BigQuery names are qualified with BQ_PROJECT and BQ_DATASET.`,
  async run(args, config, io) {
    const { flags } = parseArgs(args);
    const which = flags.dialect === undefined ? config.warehouse : flags.dialect;
    if (which !== 'bigquery' && which !== 'duckdb') throw new CliUsageError('--dialect must be bigquery or duckdb');
    const dialect = which === 'bigquery' ? bigqueryDialect(config.bigquery.projectId || 'YOUR_PROJECT', config.bigquery.dataset) : duckdbDialect;
    for (const t of allTables) io.out(`${dialect.createTable(t)};\n`);
    return 0;
  },
};
