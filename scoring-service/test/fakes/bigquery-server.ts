/**
 * A local fake of the BigQuery REST API (v2) that the real @google-cloud/bigquery client
 * talks to: datasets get/insert, tables insert/get/delete, jobs insert (query), multipart
 * upload (load jobs), jobs get and getQueryResults. SQL runs against an in-memory DuckDB
 * after translation (bigquery-sql.ts), so results are real; every request is recorded so
 * tests can assert the exact job requests the adapter sends.
 */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  DuckDBInstance,
  DuckDBTypeId,
  LIST,
  VARCHAR,
  listValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { OAuth2Client } from 'google-auth-library';
import { splitStatements, translate, type ParamDecl } from './bigquery-sql.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

interface QueryParameter {
  name: string;
  parameterType: { type: string; arrayType?: { type: string } };
  parameterValue: { value?: unknown; arrayValues?: { value: unknown }[] };
}

interface Field { name: string; type: string; mode?: string; fields?: Field[] }
interface Cell { v: unknown }
interface JobState {
  resource: Record<string, unknown>;
  schema?: { fields: Field[] };
  rows?: { f: Cell[] }[];
  error?: string;
}

const DUCK_TYPES: Record<string, string> = {
  STRING: 'VARCHAR', INT64: 'BIGINT', INTEGER: 'BIGINT', FLOAT64: 'DOUBLE', FLOAT: 'DOUBLE', BOOL: 'BOOLEAN', BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP', DATE: 'DATE', JSON: 'JSON', NUMERIC: 'DECIMAL(38,9)', BYTES: 'BLOB',
};

function duckTypeOf(t: { type: string; arrayType?: { type: string } }): string {
  if (t.type === 'ARRAY') return `${duckTypeOf(t.arrayType!)}[]`;
  const d = DUCK_TYPES[t.type];
  if (!d) throw new Error(`fake: unsupported parameter type ${t.type}`);
  return d;
}

function fieldOf(name: string, t: DuckDBType): Field {
  if (t.alias === 'JSON') return { name, type: 'JSON', mode: 'NULLABLE' };
  switch (t.typeId) {
    case DuckDBTypeId.LIST: {
      const child = fieldOf(name, (t as unknown as { valueType: DuckDBType }).valueType);
      return { ...child, mode: 'REPEATED' };
    }
    case DuckDBTypeId.BOOLEAN: return { name, type: 'BOOLEAN', mode: 'NULLABLE' };
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
      return { name, type: 'INTEGER', mode: 'NULLABLE' };
    case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE: case DuckDBTypeId.DECIMAL:
      return { name, type: 'FLOAT', mode: 'NULLABLE' };
    case DuckDBTypeId.DATE: return { name, type: 'DATE', mode: 'NULLABLE' };
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_TZ: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_NS: case DuckDBTypeId.TIMESTAMP_S:
      return { name, type: 'TIMESTAMP', mode: 'NULLABLE' };
    default: return { name, type: 'STRING', mode: 'NULLABLE' };
  }
}

/** A JS value from DuckDB → the REST API's `v` (strings; TIMESTAMP as int64 microseconds). */
function cellOf(f: Field, v: unknown): unknown {
  if (v === null || v === undefined) return f.mode === 'REPEATED' ? [] : null;
  if (f.mode === 'REPEATED') return (v as unknown[]).map((x) => ({ v: cellOf({ ...f, mode: 'NULLABLE' }, x) }));
  switch (f.type) {
    case 'TIMESTAMP': return String(BigInt((v as Date).getTime()) * 1000n);
    case 'DATE': return v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
    case 'JSON': return typeof v === 'string' ? v : JSON.stringify(v);
    default: return String(v);
  }
}

function apiError(res: http.ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message, errors: [{ reason, message }], status: reason } }));
}

function json(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** multipart/related as @google-cloud/common sends it: JSON metadata part, then the data part. */
function parseMultipart(body: Buffer, contentType: string): { metadata: Record<string, unknown>; data: string } {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new Error('no multipart boundary');
  const parts = body.toString('utf8').split(`--${boundary}`).slice(1, -1).map((p) => {
    const at = p.indexOf('\r\n\r\n');
    return p.slice(at + 4).replace(/\r\n$/, '');
  });
  return { metadata: JSON.parse(parts[0]), data: parts[1] ?? '' };
}

export class FakeBigQuery {
  readonly requests: RecordedRequest[] = [];
  readonly datasets = new Map<string, { location?: string }>();
  /** `dataset.table` → BigQuery-only clauses seen in its DDL. */
  readonly tableClauses = new Map<string, { partitionBy?: string; clusterBy?: string }>();
  private readonly jobs = new Map<string, JobState>();
  private server?: http.Server;
  private db?: DuckDBInstance;
  private conn?: DuckDBConnection;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-bq-'));
  url = '';

  async start(): Promise<string> {
    this.db = await DuckDBInstance.create(':memory:');
    this.conn = await this.db.connect();
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        this.handle(req, Buffer.concat(chunks), res).catch((e) => apiError(res, 500, 'internalError', String(e?.message ?? e)));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.conn?.closeSync();
    this.db?.closeSync();
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  /** Recorded query-job requests (jobs.insert with configuration.query). */
  queryJobs(): { query: string; queryParameters?: QueryParameter[]; parameterMode?: string; useLegacySql?: boolean; location?: string }[] {
    return this.requests
      .filter((r) => r.method === 'POST' && /\/projects\/[^/]+\/jobs$/.test(r.path) && !r.path.startsWith('/upload'))
      .map((r) => {
        const b = r.body as { configuration: { query: Record<string, unknown> }; jobReference?: { location?: string } };
        return { ...(b.configuration.query as { query: string }), location: b.jobReference?.location };
      });
  }

  /** Direct SQL on the backing DuckDB (for test set-up and inspection). */
  sql(text: string): Promise<Record<string, unknown>[]> {
    return this.serial(async () => (await this.conn!.runAndReadAll(text)).getRowObjectsJS() as Record<string, unknown>[]);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async handle(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const ctype = String(req.headers['content-type'] ?? '');
    let body: unknown = null;
    if (raw.length) body = ctype.startsWith('multipart/') ? parseMultipart(raw, ctype) : JSON.parse(raw.toString('utf8'));
    this.requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), body });
    const p = url.pathname.replace(/^\/bigquery\/v2/, '');
    let m: RegExpExecArray | null;

    if (method === 'POST' && (m = /^\/upload\/bigquery\/v2\/projects\/([^/]+)\/jobs$/.exec(url.pathname))) {
      const { metadata, data } = body as { metadata: Record<string, unknown>; data: string };
      return json(res, await this.runLoad(m[1], metadata, data));
    }
    if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)$/.exec(p)) && method === 'GET') {
      const ds = this.datasets.get(m[2]);
      if (!ds) return apiError(res, 404, 'notFound', `Not found: Dataset ${m[1]}:${m[2]}`);
      return json(res, { kind: 'bigquery#dataset', id: `${m[1]}:${m[2]}`, datasetReference: { projectId: m[1], datasetId: m[2] }, location: ds.location });
    }
    if ((m = /^\/projects\/([^/]+)\/datasets$/.exec(p)) && method === 'POST') {
      const b = body as { datasetReference: { datasetId: string }; location?: string };
      const id = b.datasetReference.datasetId;
      if (this.datasets.has(id)) return apiError(res, 409, 'duplicate', `Already Exists: Dataset ${m[1]}:${id}`);
      await this.sql(`CREATE SCHEMA IF NOT EXISTS "${id}"`);
      this.datasets.set(id, { location: b.location });
      return json(res, { kind: 'bigquery#dataset', id: `${m[1]}:${id}`, datasetReference: { projectId: m[1], datasetId: id }, location: b.location });
    }
    if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables$/.exec(p)) && method === 'POST') {
      const b = body as { tableReference: { tableId: string }; schema: { fields: Field[] } };
      const cols = b.schema.fields.map((f) => `"${f.name}" ${duckTypeOf({ type: f.type })}${f.mode === 'REPEATED' ? '[]' : ''}`);
      await this.sql(`CREATE TABLE "${m[2]}"."${b.tableReference.tableId}" (${cols.join(', ')})`);
      return json(res, { kind: 'bigquery#table', ...b, id: `${m[1]}:${m[2]}.${b.tableReference.tableId}` });
    }
    if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(p))) {
      const exists = (await this.sql(`SELECT 1 FROM information_schema.tables WHERE table_schema = '${m[2].replace(/'/g, '')}' AND table_name = '${m[3].replace(/'/g, '')}'`)).length > 0;
      if (!exists) return apiError(res, 404, 'notFound', `Not found: Table ${m[1]}:${m[2]}.${m[3]}`);
      if (method === 'DELETE') {
        await this.sql(`DROP TABLE "${m[2]}"."${m[3]}"`);
        res.writeHead(204).end();
        return;
      }
      return json(res, { kind: 'bigquery#table', tableReference: { projectId: m[1], datasetId: m[2], tableId: m[3] } });
    }
    if ((m = /^\/projects\/([^/]+)\/jobs$/.exec(p)) && method === 'POST') {
      return json(res, await this.runQueryJob(m[1], body as Record<string, unknown>));
    }
    if ((m = /^\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(p)) && method === 'GET') {
      const job = this.jobs.get(m[2]);
      if (!job) return apiError(res, 404, 'notFound', `Not found: Job ${m[1]}:${m[2]}`);
      return json(res, job.resource);
    }
    if ((m = /^\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(p)) && method === 'GET') {
      const job = this.jobs.get(m[2]);
      if (!job) return apiError(res, 404, 'notFound', `Not found: Job ${m[1]}:${m[2]}`);
      if (job.error) return apiError(res, 400, 'invalidQuery', job.error);
      const start = Number(url.searchParams.get('pageToken') ?? 0);
      const max = url.searchParams.has('maxResults') ? Number(url.searchParams.get('maxResults')) : 100_000;
      const rows = job.rows ?? [];
      const page = rows.slice(start, start + max);
      const next = start + max < rows.length ? String(start + max) : undefined;
      return json(res, {
        kind: 'bigquery#getQueryResultsResponse',
        jobReference: (job.resource as { jobReference: unknown }).jobReference,
        jobComplete: true,
        totalRows: String(rows.length),
        ...(job.schema ? { schema: job.schema } : {}),
        ...(page.length ? { rows: page } : {}),
        ...(next ? { pageToken: next } : {}),
      });
    }
    apiError(res, 404, 'notFound', `fake BigQuery has no route for ${method} ${url.pathname}`);
  }

  private jobResource(project: string, body: Record<string, unknown>, error?: string): Record<string, unknown> {
    const ref = (body.jobReference ?? {}) as { jobId?: string; location?: string };
    const jobId = ref.jobId ?? randomUUID();
    return {
      kind: 'bigquery#job',
      id: `${project}:${ref.location ?? 'US'}.${jobId}`,
      jobReference: { projectId: project, jobId, location: ref.location },
      configuration: body.configuration,
      status: error ? { state: 'DONE', errorResult: { reason: 'invalidQuery', message: error }, errors: [{ reason: 'invalidQuery', message: error }] } : { state: 'DONE' },
      statistics: { creationTime: String(Date.now()), startTime: String(Date.now()), endTime: String(Date.now()) },
    };
  }

  private async runQueryJob(project: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const q = (body.configuration as { query: { query: string; queryParameters?: QueryParameter[] } }).query;
    const state: JobState = { resource: {} };
    try {
      const decls: Record<string, ParamDecl> = {};
      const values: Record<string, DuckDBValue> = {};
      const types: Record<string, DuckDBType> = {};
      for (const qp of q.queryParameters ?? []) {
        decls[qp.name] = { duckType: duckTypeOf(qp.parameterType) };
        if (qp.parameterType.type === 'ARRAY') {
          values[qp.name] = listValue((qp.parameterValue.arrayValues ?? []).map((x) => (x.value === null ? null : String(x.value))));
          types[qp.name] = LIST(VARCHAR);
        } else {
          const v = qp.parameterValue.value;
          values[qp.name] = v === null || v === undefined ? null : String(v);
          types[qp.name] = VARCHAR;
        }
      }
      await this.serial(async () => {
        for (const stmt of splitStatements(q.query)) {
          const t = translate(stmt, decls);
          const used = new Set([...t.sql.matchAll(/\$([A-Za-z_]\w*)/g)].map((x) => x[1]));
          const v = Object.fromEntries(Object.entries(values).filter(([k]) => used.has(k)));
          const ty = Object.fromEntries(Object.entries(types).filter(([k]) => used.has(k)));
          const reader = await this.conn!.runAndReadAll(t.sql, v, ty);
          const created = /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`(?:[^`]*\.)?([^`.]+)`/i.exec(stmt);
          if (created && (t.partitionBy || t.clusterBy)) this.tableClauses.set(created[1], { partitionBy: t.partitionBy, clusterBy: t.clusterBy });
          if (/^\s*(SELECT|WITH)\b/i.test(stmt)) {
            const names = reader.columnNames();
            const fields = reader.columnTypes().map((ct, i) => fieldOf(names[i], ct));
            state.schema = { fields };
            state.rows = reader.getRowsJS().map((row) => ({ f: row.map((v, i) => ({ v: cellOf(fields[i], v) })) }));
          } else {
            state.schema = undefined;
            state.rows = undefined;
          }
        }
      });
    } catch (e) {
      state.error = (e as Error).message.split('\n')[0];
    }
    state.resource = this.jobResource(project, body, state.error);
    this.jobs.set((state.resource.jobReference as { jobId: string }).jobId, state);
    return state.resource;
  }

  private async runLoad(project: string, metadata: Record<string, unknown>, data: string): Promise<Record<string, unknown>> {
    const load = (metadata.configuration as { load: { destinationTable: { datasetId: string; tableId: string }; writeDisposition?: string } }).load;
    const state: JobState = { resource: {} };
    try {
      const { datasetId, tableId } = load.destinationTable;
      const target = `"${datasetId}"."${tableId}"`;
      await this.serial(async () => {
        const cols = (await this.conn!.runAndReadAll(`DESCRIBE ${target}`)).getRowObjectsJS() as { column_name: string; column_type: string }[];
        if (load.writeDisposition === 'WRITE_TRUNCATE') await this.conn!.run(`DELETE FROM ${target}`);
        if (!data.trim()) return;
        const file = path.join(this.tmp, `${randomUUID()}.ndjson`);
        fs.writeFileSync(file, data);
        const spec = cols.map((c) => `${JSON.stringify(c.column_name)}: '${c.column_type}'`).join(', ');
        const names = cols.map((c) => `"${c.column_name}"`).join(', ');
        try {
          await this.conn!.run(`INSERT INTO ${target} (${names}) SELECT ${names} FROM read_json('${file}', format = 'newline_delimited', columns = {${spec}})`);
        } finally {
          fs.rmSync(file, { force: true });
        }
      });
    } catch (e) {
      state.error = (e as Error).message.split('\n')[0];
    }
    state.resource = this.jobResource(project, metadata, state.error);
    this.jobs.set((state.resource.jobReference as { jobId: string }).jobId, state);
    return state.resource;
  }
}

/** A static bearer token, as a service account would send; the fake records but does not check it. */
export function staticAuth(): OAuth2Client {
  const c = new OAuth2Client();
  c.setCredentials({ access_token: 'fake-access-token', expiry_date: Date.now() + 3_600_000 });
  return c;
}

/** Starts a fake on 127.0.0.1:0. */
export async function startFakeBigQuery(): Promise<FakeBigQuery> {
  const f = new FakeBigQuery();
  await f.start();
  return f;
}
