/**
 * Reads import files (NDJSON or CSV with the tables' column names) into validated rows.
 * Every bad row is reported as `line N: field: message` with 1-based file lines (the CSV
 * header is line 1); callers write nothing when any issue exists. CSV: arrays are
 * `;`-separated, JSON columns hold JSON text, empty cells are NULL (empty arrays for arrays).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import type { ColumnDef, Row, TableDef } from '../domain/table.ts';
import { isNullable } from '../domain/table.ts';
import { validateRow } from '../domain/validate.ts';
import type { RowIssue } from '../errors.ts';
import { coerceRow } from '../warehouse/normalize.ts';

export type ImportFormat = 'ndjson' | 'csv';

export interface ParsedImport {
  rows: Row[];
  issues: RowIssue[];
  /** Records read (good and bad). */
  records: number;
}

export function formatOf(file: string, explicit?: string): ImportFormat {
  const f = (explicit ?? '').toLowerCase();
  if (f === 'ndjson' || f === 'jsonl' || f === 'json') return 'ndjson';
  if (f === 'csv') return 'csv';
  if (f) throw new Error(`unknown format '${explicit}' (ndjson or csv)`);
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(ndjson|jsonl|json)$/i.test(file)) return 'ndjson';
  throw new Error(`cannot tell the format of '${file}' from its extension: pass --format ndjson|csv`);
}

/** Collects validated rows; coerced to the column types (timestamps as ISO strings). */
class Collector {
  readonly rows: Row[] = [];
  readonly issues: RowIssue[] = [];
  records = 0;
  constructor(private readonly table: TableDef) {}

  add(line: number, record: unknown, preIssues: { field: string; message: string }[] = []): void {
    this.records++;
    const issues = [...preIssues, ...validateRow(this.table, record)];
    if (issues.length) {
      for (const i of issues) this.issues.push({ line, field: i.field, message: i.message });
      return;
    }
    if (!this.issues.length) this.rows.push(coerceRow(this.table, record as Row));
  }

  result(): ParsedImport {
    return { rows: this.issues.length ? [] : this.rows, issues: this.issues, records: this.records };
  }
}

async function readNdjson(input: Readable, c: Collector): Promise<void> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (e) {
      c.records++;
      c.issues.push({ line, field: '(row)', message: `is not valid JSON (${(e as Error).message})` });
      continue;
    }
    c.add(line, record);
  }
}

const TRUE = /^(true|1|yes|t)$/i;
const FALSE = /^(false|0|no|f)$/i;

/** One CSV cell → the column's value; an unconvertible cell stays a string so validation names it. */
function csvCell(table: TableDef, col: ColumnDef, raw: string): { value: unknown; issue?: string } {
  if (raw === '') {
    if (col.type.endsWith('[]')) return { value: [] };
    if (col.type === 'STRING' && !isNullable(table, col)) return { value: '' };
    return { value: null };
  }
  switch (col.type) {
    case 'INT64':
    case 'FLOAT64': {
      const n = Number(raw.trim());
      return { value: raw.trim() !== '' && Number.isFinite(n) ? n : raw };
    }
    case 'BOOL':
      return { value: TRUE.test(raw.trim()) ? true : FALSE.test(raw.trim()) ? false : raw };
    case 'JSON':
      try {
        return { value: JSON.parse(raw) };
      } catch {
        return { value: null, issue: 'is not valid JSON text' };
      }
    case 'STRING[]':
      return { value: raw.split(';').map((s) => s.trim()).filter((s) => s !== '') };
    case 'FLOAT64[]':
      return { value: raw.split(';').map((s) => s.trim()).filter((s) => s !== '').map((s) => (Number.isFinite(Number(s)) ? Number(s) : s)) };
    default:
      return { value: raw };
  }
}

async function readCsv(input: Readable, table: TableDef, c: Collector): Promise<void> {
  const known = new Map(table.columns.map((col) => [col.name, col]));
  let header: string[] | null = null;
  const parser = input.pipe(parseCsv({ bom: true, skip_empty_lines: true, relax_column_count: false, info: true }));
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!header) {
        header = record.map((h) => h.trim());
        for (const h of header) if (!known.has(h)) c.issues.push({ line: info.lines, field: h, message: `is not a column of ${table.name}` });
        continue;
      }
      const row: Row = {};
      const pre: { field: string; message: string }[] = [];
      header.forEach((h, i) => {
        const col = known.get(h);
        if (!col) return;
        const cell = csvCell(table, col, record[i] ?? '');
        row[h] = cell.value;
        if (cell.issue) pre.push({ field: h, message: cell.issue });
      });
      c.add(info.lines, row, pre);
    }
  } catch (e) {
    const err = e as Error & { lines?: number };
    c.issues.push({ line: err.lines ?? 0, field: '(row)', message: `CSV error: ${err.message}` });
  }
  if (!header) c.issues.push({ line: 1, field: '(header)', message: 'the CSV file has no header line' });
}

/** Parses and validates a whole stream; rows are returned only when there is no issue at all. */
export async function parseImport(table: TableDef, input: Readable, format: ImportFormat): Promise<ParsedImport> {
  const c = new Collector(table);
  if (format === 'csv') await readCsv(input, table, c);
  else await readNdjson(input, c);
  return c.result();
}

export function parseImportFile(table: TableDef, file: string, format: ImportFormat): Promise<ParsedImport> {
  return parseImport(table, fs.createReadStream(file), format);
}

/** An HTTP body: NDJSON text (line numbers) or a JSON array (line = 1-based element index). */
export async function parseImportBody(table: TableDef, body: string, kind: 'ndjson' | 'json-array'): Promise<ParsedImport> {
  if (kind === 'ndjson') return parseImport(table, Readable.from([body]), 'ndjson');
  const c = new Collector(table);
  let items: unknown;
  try {
    items = JSON.parse(body);
  } catch (e) {
    return { rows: [], issues: [{ line: 1, field: 'body', message: `is not valid JSON (${(e as Error).message})` }], records: 0 };
  }
  if (!Array.isArray(items)) return { rows: [], issues: [{ line: 1, field: 'body', message: 'must be a JSON array of rows or NDJSON' }], records: 0 };
  items.forEach((item, i) => c.add(i + 1, item));
  return c.result();
}

export function formatIssue(i: RowIssue): string {
  return `line ${i.line}: ${i.field}: ${i.message}`;
}
