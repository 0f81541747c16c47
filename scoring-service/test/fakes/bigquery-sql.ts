/**
 * Translates the BigQuery standard SQL our dialect emits (dialects/bigquery.ts) into
 * DuckDB SQL, so the fake BigQuery server returns real results. A tokenizer plus a
 * rewrite of function calls with their parsed arguments; it covers what the dialect and
 * the adapter produce, not all of BigQuery. Parameters become `CAST($name AS type)` and
 * are bound, never inlined, so the fake also proves nothing relies on splicing.
 */

type Tok = { t: 'str' | 'bq' | 'dq' | 'word' | 'param' | 'sys' | 'ws' | 'op' | '(' | ')' | ',' | '[' | ']' | ';'; v: string };
type Node = Tok | { t: 'group'; items: Node[] };

export function tokenize(sql: string): Tok[] {
  const re = /('(?:[^'\\]|\\.|'')*')|("(?:[^"\\]|\\.)*")|(`[^`]*`)|(--[^\n]*)|(\s+)|(@@[A-Za-z_]\w*)|@([A-Za-z_]\w*)|([A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([(),[\];])|(<=|>=|<>|!=|\|\||::|.)/gs;
  const out: Tok[] = [];
  for (const m of sql.matchAll(re)) {
    if (m[1]) out.push({ t: 'str', v: m[1] });
    else if (m[2]) out.push({ t: 'str', v: `'${m[2].slice(1, -1).replace(/'/g, "''")}'` });
    else if (m[3]) out.push({ t: 'bq', v: m[3].slice(1, -1) });
    else if (m[4]) out.push({ t: 'ws', v: ' ' });
    else if (m[5]) out.push({ t: 'ws', v: m[5] });
    else if (m[6]) out.push({ t: 'sys', v: m[6] });
    else if (m[7]) out.push({ t: 'param', v: m[7] });
    else if (m[8]) out.push({ t: 'word', v: m[8] });
    else if (m[9]) out.push({ t: m[9] as '(' | ')' | ',' | '[' | ']' | ';', v: m[9] });
    else out.push({ t: 'op', v: m[10] });
  }
  return out;
}

function tree(toks: Tok[]): Node[] {
  const stack: Node[][] = [[]];
  for (const k of toks) {
    if (k.t === '(') stack.push([]);
    else if (k.t === ')') {
      const items = stack.pop()!;
      if (!stack.length) throw new Error('unbalanced parentheses');
      stack[stack.length - 1].push({ t: 'group', items });
    } else stack[stack.length - 1].push(k);
  }
  if (stack.length !== 1) throw new Error('unbalanced parentheses');
  return stack[0];
}

const TYPE_WORDS: Record<string, string> = { FLOAT64: 'DOUBLE', INT64: 'BIGINT', STRING: 'VARCHAR', BOOL: 'BOOLEAN', BYTES: 'BLOB', NUMERIC: 'DECIMAL(38,9)' };
const UNIT_FN: Record<string, string> = { DAY: 'to_days', HOUR: 'to_hours', MINUTE: 'to_minutes', SECOND: 'to_seconds' };

export interface ParamDecl {
  /** DuckDB type of the parameter, used in `CAST($name AS type)`. */
  duckType: string;
}

export interface Translation {
  sql: string;
  /** `PARTITION BY` / `CLUSTER BY` clauses removed from CREATE TABLE (recorded by the fake). */
  partitionBy?: string;
  clusterBy?: string;
}

const isWord = (n: Node | undefined, w?: string): n is Tok => !!n && n.t === 'word' && (w === undefined || n.v.toUpperCase() === w);
const nextIdx = (items: Node[], i: number) => {
  let j = i;
  while (j < items.length && items[j].t === 'ws') j++;
  return j;
};

function splitArgs(items: Node[]): Node[][] {
  const args: Node[][] = [[]];
  for (const n of items) {
    if (n.t === ',') args.push([]);
    else args[args.length - 1].push(n);
  }
  return args;
}

class Translator {
  constructor(private readonly params: Record<string, ParamDecl>) {}

  ident(name: string): string {
    const parts = name.split('.');
    // `project.dataset.table` → "dataset"."table" (one DuckDB schema per dataset).
    const keep = parts.length === 3 ? parts.slice(1) : parts;
    return keep.map((p) => `"${p.replace(/"/g, '""')}"`).join('.');
  }

  /** `INTERVAL <expr> <UNIT>` → [expr, unit]. */
  interval(arg: Node[]): [string, string] {
    const items = arg.filter((n) => n.t !== 'ws');
    if (!isWord(items[0], 'INTERVAL')) throw new Error('expected INTERVAL');
    const unit = items[items.length - 1] as Tok;
    return [this.emit(items.slice(1, -1)), unit.v.toUpperCase()];
  }

  call(name: string, args: Node[][]): string | null {
    const a = () => args.map((x) => this.emit(x).trim());
    switch (name) {
      case 'DATE': {
        const [x, tz] = a();
        return tz ? `CAST(timezone(${tz}, CAST(${x} AS TIMESTAMPTZ)) AS DATE)` : `CAST(${x} AS DATE)`;
      }
      case 'DATE_TRUNC': {
        const d = this.emit(args[0]);
        const unit = this.emit(args[1]).trim().toUpperCase();
        const u = unit === 'ISOWEEK' ? 'week' : unit.toLowerCase();
        if (unit === 'WEEK') return `CAST((CAST(${d} AS DATE) - CAST(dayofweek(CAST(${d} AS DATE)) AS INTEGER)) AS DATE)`;
        return `CAST(date_trunc('${u}', ${d}) AS DATE)`;
      }
      case 'DATE_ADD':
      case 'DATE_SUB': {
        const [n, unit] = this.interval(args[1]);
        if (unit !== 'DAY') throw new Error(`fake supports DATE_ADD by DAY only, got ${unit}`);
        return `CAST(${this.emit(args[0])} ${name === 'DATE_ADD' ? '+' : '-'} CAST(${n} AS INTEGER) AS DATE)`;
      }
      case 'DATE_DIFF': {
        const [x, y, unit] = a();
        return `date_diff('${unit.toLowerCase()}', ${y}, ${x})`;
      }
      case 'TIMESTAMP_ADD':
      case 'TIMESTAMP_SUB': {
        const [n, unit] = this.interval(args[1]);
        return `(${this.emit(args[0])} ${name === 'TIMESTAMP_ADD' ? '+' : '-'} ${UNIT_FN[unit]}(CAST(${n} AS INTEGER)))`;
      }
      case 'TIMESTAMP_DIFF': {
        const [x, y, unit] = a();
        return `date_diff('${unit.toLowerCase()}', ${y}, ${x})`;
      }
      case 'ARRAY_LENGTH':
        return `len(${a()[0]})`;
      case 'GENERATE_DATE_ARRAY': {
        const [x, y] = a();
        return `CAST(generate_series(CAST(${x} AS DATE), CAST(${y} AS DATE), INTERVAL 1 DAY) AS DATE[])`;
      }
      case 'JSON_VALUE':
        return `json_extract_string(${a().join(', ')})`;
      case 'COUNTIF':
        return `count_if(${a()[0]})`;
      case 'SAFE_DIVIDE': {
        const [x, y] = a();
        return `(CAST(${x} AS DOUBLE) / NULLIF(${y}, 0))`;
      }
      case 'SAFE_CAST':
        return `TRY_CAST(${a()[0]})`;
      case 'TO_JSON_STRING':
        return `CAST(to_json(${a()[0]}) AS VARCHAR)`;
      default:
        return null;
    }
  }

  emit(items: Node[]): string {
    let out = '';
    for (let i = 0; i < items.length; i++) {
      const n = items[i];
      if (n.t === 'group') {
        out += `(${this.emit(n.items)})`;
        continue;
      }
      if (n.t === 'bq') {
        out += this.ident(n.v);
        continue;
      }
      if (n.t === 'param') {
        const p = this.params[n.v];
        if (!p) throw new Error(`Query parameter '${n.v}' not found`);
        out += `CAST($${n.v} AS ${p.duckType})`;
        continue;
      }
      if (n.t === 'word') {
        const up = n.v.toUpperCase();
        const j = nextIdx(items, i + 1);
        const after = items[j];
        if (up === 'MERGE' && !isWord(after, 'INTO')) {
          out += 'MERGE INTO';
          continue;
        }
        if (up === 'ARRAY' && after?.t === 'op' && after.v === '<') {
          // ARRAY<T> → T[]
          const k = nextIdx(items, j + 1);
          const close = nextIdx(items, k + 1);
          out += `${TYPE_WORDS[(items[k] as Tok).v.toUpperCase()] ?? (items[k] as Tok).v}[]`;
          i = close;
          continue;
        }
        if (after?.t === 'group') {
          if (up === 'APPROX_QUANTILES') {
            // APPROX_QUANTILES(e, n)[OFFSET(k)] → quantile k/n (median for 1/2, like the DuckDB dialect)
            const [e, buckets] = splitArgs(after.items);
            const b1 = nextIdx(items, j + 1);
            const off = nextIdx(items, b1 + 1);
            const arg = items[nextIdx(items, off + 1)] as Node;
            const close = nextIdx(items, nextIdx(items, off + 1) + 1);
            if (items[b1]?.t !== '[' || !isWord(items[off], 'OFFSET') || arg?.t !== 'group' || items[close]?.t !== ']') {
              throw new Error('fake supports APPROX_QUANTILES(e, n)[OFFSET(k)] only');
            }
            const q = Number(this.emit(arg.items)) / Number(this.emit(buckets));
            out += q === 0.5 ? `median(${this.emit(e)})` : `quantile_disc(${this.emit(e)}, ${q})`;
            i = close;
            continue;
          }
          if (up === 'UNNEST') {
            const inner = this.emit(after.items);
            const prev = out.trimEnd().split(/\s+/).pop()?.toUpperCase();
            if (prev === 'IN') {
              out += `(SELECT unnest(${inner}))`;
              i = j;
              continue;
            }
            // FROM UNNEST(x) AS d → a one-column subquery named d
            const asIdx = nextIdx(items, j + 1);
            if (isWord(items[asIdx], 'AS')) {
              const aliasIdx = nextIdx(items, asIdx + 1);
              const alias = (items[aliasIdx] as Tok).v;
              out += `(SELECT unnest(${inner}) AS ${alias}) AS _unnest_${alias}`;
              i = aliasIdx;
              continue;
            }
            out += `(SELECT unnest(${inner}))`;
            i = j;
            continue;
          }
          const rewritten = this.call(up, splitArgs(after.items));
          if (rewritten !== null) {
            out += rewritten;
            i = j;
            continue;
          }
        }
        out += TYPE_WORDS[up] && !(after?.t === 'group') ? TYPE_WORDS[up] : n.v;
        continue;
      }
      out += n.v;
    }
    return out;
  }
}

function raw(items: Node[]): string {
  return items.map((n) => (n.t === 'group' ? `(${raw(n.items)})` : n.t === 'bq' ? `\`${n.v}\`` : n.t === 'param' ? `@${n.v}` : n.v)).join('');
}

/** Splits a script into statements at top-level semicolons. */
export function splitStatements(sql: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (const k of tokenize(sql)) {
    if (k.t === ';') {
      parts.push(cur);
      cur = '';
    } else cur += k.t === 'bq' ? `\`${k.v}\`` : k.t === 'param' ? `@${k.v}` : k.v;
  }
  parts.push(cur);
  return parts.filter((p) => p.trim());
}

/** One BigQuery statement → DuckDB. */
export function translate(sql: string, params: Record<string, ParamDecl> = {}): Translation {
  let nodes = tree(tokenize(sql));
  const result: Translation = { sql: '' };
  const first = nodes.find((n) => n.t !== 'ws');
  if (isWord(first, 'CREATE')) {
    // Strip BigQuery-only table clauses; the fake records them for assertions.
    const idx = nodes.findIndex((n, i) => isWord(n, 'PARTITION') && isWord(nodes[nextIdx(nodes, i + 1)], 'BY'));
    const cidx = nodes.findIndex((n, i) => isWord(n, 'CLUSTER') && isWord(nodes[nextIdx(nodes, i + 1)], 'BY'));
    const cut = [idx, cidx].filter((x) => x >= 0);
    if (cut.length) {
      const from = Math.min(...cut);
      const tail = nodes.slice(from);
      const text = raw(tail);
      result.partitionBy = /PARTITION BY\s+(.*?)(\s+CLUSTER BY|$)/s.exec(text)?.[1]?.trim();
      result.clusterBy = /CLUSTER BY\s+(.*)$/s.exec(text)?.[1]?.trim();
      nodes = nodes.slice(0, from);
    }
  }
  result.sql = new Translator(params).emit(nodes);
  return result;
}
