/**
 * Reads an uploaded file of records, NDJSON or CSV (header row; RFC 4180 quoting), into
 * objects tagged with the 1-based line where each record starts, so every problem can
 * be reported as "line N, field F". Empty lines are skipped.
 */
import type { RowIssue } from '../errors.ts';

export interface LineRecord {
  line: number;
  values: Record<string, unknown>;
}

export type FileFormat = 'ndjson' | 'csv';

export function detectFormat(text: string): FileFormat {
  return text.trimStart().startsWith('{') ? 'ndjson' : 'csv';
}

export function parseRecords(text: string, format: FileFormat = detectFormat(text)): { records: LineRecord[]; issues: RowIssue[] } {
  return format === 'ndjson' ? parseNdjson(text) : parseCsv(text);
}

function parseNdjson(text: string) {
  const records: LineRecord[] = [];
  const issues: RowIssue[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    try {
      const v = JSON.parse(raw);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) issues.push({ line: i + 1, field: '(row)', message: 'must be a JSON object' });
      else records.push({ line: i + 1, values: v });
    } catch {
      issues.push({ line: i + 1, field: '(row)', message: 'is not valid JSON' });
    }
  });
  return { records, issues };
}

/** Splits CSV text into rows of fields, each with the line it starts on. */
function csvRows(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      any = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (any || field) rows.push({ line: start, fields: [...fields, field] });
      fields = [];
      field = '';
      any = false;
      line++;
      start = line;
    } else {
      field += ch;
      any = true;
    }
  }
  if (any || field) rows.push({ line: start, fields: [...fields, field] });
  return rows;
}

function parseCsv(text: string) {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  const records: LineRecord[] = [];
  const issues: RowIssue[] = [];
  if (!rows.length) return { records, issues };
  const header = rows[0].fields.map((h) => h.trim());
  for (const r of rows.slice(1)) {
    if (r.fields.length !== header.length) {
      issues.push({ line: r.line, field: '(row)', message: `has ${r.fields.length} fields, the header has ${header.length}` });
      continue;
    }
    const values: Record<string, unknown> = {};
    header.forEach((h, i) => {
      if (r.fields[i] !== '') values[h] = r.fields[i];
    });
    records.push({ line: r.line, values });
  }
  return { records, issues };
}
