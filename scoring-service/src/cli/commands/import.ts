/**
 * `import <table> <file>`: NDJSON or CSV into a core table. Validates the whole file first
 * (every bad row reported with its line and field; any bad row → nothing written, exit 1),
 * then writes through the running service when one holds the DuckDB file, else directly.
 */
import { CliUsageError, parseArgs, type CliCommand } from '../command.ts';
import { callService, findRunningService } from '../service-link.ts';
import { openWarehouse } from '../../warehouse/index.ts';
import { allTables } from '../../domain/all-tables.ts';
import { IMPORTABLE, IMPORT_BODY_LIMIT_BYTES, importableTable, writeImport } from '../../importer/import.ts';
import { formatIssue, formatOf, parseImportFile } from '../../importer/parse.ts';
import type { Row } from '../../domain/table.ts';

const USAGE = `usage: import <${Object.keys(IMPORTABLE).join('|')}> <file> [--format ndjson|csv]
  ファイル (NDJSON または CSV、列名はテーブルと同じ) を取り込みます。CSV の配列は ';' 区切り、JSON 列は JSON テキスト。
  Imports NDJSON or CSV (columns named as in the table; arrays ';'-separated in CSV, JSON columns as JSON text).
  不正な行が 1 行でもあれば何も取り込みません / Any bad row → nothing is imported (exit 1).`;

/** Below the endpoint's 200 MB body limit, leaving room for the framing. */
const PART_BYTES = IMPORT_BODY_LIMIT_BYTES - 8 * 1024 * 1024;

/** NDJSON bodies of at most `maxBytes` each (a single row larger than that still goes alone). */
export function ndjsonParts(rows: Row[], maxBytes: number): string[] {
  const parts: string[] = [];
  let cur: string[] = [];
  let bytes = 0;
  for (const r of rows) {
    const line = JSON.stringify(r) + '\n';
    const n = Buffer.byteLength(line);
    if (cur.length && bytes + n > maxBytes) {
      parts.push(cur.join(''));
      cur = [];
      bytes = 0;
    }
    cur.push(line);
    bytes += n;
  }
  if (cur.length) parts.push(cur.join(''));
  return parts;
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'NDJSON/CSV を取り込む (import NDJSON or CSV into a table)',
  usage: USAGE,
  async run(args, config, io) {
    const { flags, positional } = parseArgs(args);
    const [tableName, file] = positional;
    if (!tableName || !file) throw new CliUsageError('a table and a file are required');
    const table = importableTable(tableName);
    if (!table) throw new CliUsageError(`unknown table '${tableName}'`);
    let format;
    try {
      format = formatOf(file, typeof flags.format === 'string' ? flags.format : undefined);
    } catch (e) {
      throw new CliUsageError((e as Error).message);
    }
    const parsed = await parseImportFile(table, file, format);
    if (parsed.issues.length) {
      for (const i of parsed.issues) io.err(formatIssue(i));
      const bad = new Set(parsed.issues.map((i) => i.line)).size;
      io.err(`${bad} 行に問題があるため、何も取り込んでいません (${bad} bad row(s) of ${parsed.records}; nothing was imported)`);
      return 1;
    }
    const link = await findRunningService(config);
    let imported: number;
    if (link) {
      const parts = ndjsonParts(parsed.rows, PART_BYTES);
      if (parts.length > 1) {
        io.err(`${parts.length} 回に分けて送信します。各回は全部か無しかですが、全体としては途中で止まり得ます ` +
          `(the rows exceed one request: sent in ${parts.length} parts, each all-or-nothing; re-run the import if one fails — it is idempotent)`);
      }
      imported = 0;
      for (const body of parts) {
        imported += (await callService<{ imported: number }>(link, 'POST', `/v1/admin/import/${table.name}`, body, 'application/x-ndjson')).imported;
      }
      io.out(`実行中のサービス経由で取り込みました (imported through the running service at ${link.baseUrl})`);
    } else {
      const w = await openWarehouse(config);
      try {
        await w.migrate(allTables);
        imported = await writeImport(w, table, parsed.rows);
      } finally {
        await w.close();
      }
    }
    io.out(`${table.name}: ${imported} 行を取り込みました (${imported} row(s) imported from ${parsed.records} record(s))`);
    return 0;
  },
};
