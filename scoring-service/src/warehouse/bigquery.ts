/**
 * BigQuery adapter. Every statement runs as a query job with named parameters, explicit
 * parameter types and the configured location (never a value spliced into SQL). Writes go
 * through load jobs (NDJSON, no streaming buffer, so later DML on the table works at once);
 * an upsert loads into a short-lived staging table and applies one MERGE, so the target
 * changes all at once or not at all, however many load batches the rows needed.
 */
import { randomUUID } from 'node:crypto';
import { BigQuery, type Dataset, type Job } from '@google-cloud/bigquery';
import type { AuthClient } from 'google-auth-library';
import type { Config } from '../config.ts';
import type { Row, TableDef } from '../domain/table.ts';
import { bigqueryDialect } from './dialects/bigquery.ts';
import { coerceRow, dedupeByKey } from './normalize.ts';
import { bindParams, normalizeBigQueryRow, tableSchema } from './bigquery-values.ts';
import type { ColumnBatch, ColumnInput, ColumnKind, Params, QueryOptions, Warehouse } from './port.ts';
import { columnsToRows, rowsToColumns } from './columns.ts';

/** Load jobs accept far more, but smaller uploads retry cheaply and keep memory flat. */
const LOAD_BATCH_BYTES = 32 * 1024 * 1024;
/** Staging tables expire by themselves if the process dies between load and MERGE. */
const STAGING_TTL_MS = 6 * 60 * 60 * 1000;

export interface BigQueryDeps {
  /** A ready client; built from the options otherwise. */
  client?: BigQuery;
  /**
   * Credentials other than Application Default Credentials. Tests against the local fake
   * pass a static token: the client's multipart upload (load jobs) needs some auth header.
   */
  authClient?: AuthClient;
}

function jobPrefix(label?: string): string {
  return `workship_${(label ?? 'q').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60)}_`;
}

export class BigQueryWarehouse implements Warehouse {
  readonly kind = 'bigquery' as const;
  readonly dialect;
  private readonly client: BigQuery;
  private readonly dataset: Dataset;
  private closed = false;

  constructor(private readonly options: Config['bigquery'], deps: BigQueryDeps = {}) {
    if (!options.projectId) throw new Error('BigQuery needs a project id (BQ_PROJECT)');
    this.dialect = bigqueryDialect(options.projectId, options.dataset);
    this.client = deps.client ?? new BigQuery({
      projectId: options.projectId,
      location: options.location,
      ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
      ...(deps.authClient ? { authClient: deps.authClient } : {}),
    });
    this.dataset = this.client.dataset(options.dataset, { location: options.location, projectId: options.projectId });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('warehouse is closed');
  }

  /** Starts a query job; the request carries `params`, `types`, `location` and `useLegacySql: false`. */
  private async startJob(sql: string, params: Params, options: QueryOptions): Promise<Job> {
    this.assertOpen();
    const bound = bindParams(sql, params, options.types);
    const [job] = await this.client.createQueryJob({
      query: sql,
      ...(bound ? { params: bound.params, types: bound.types } : {}),
      location: this.options.location,
      useLegacySql: false,
      jobPrefix: jobPrefix(options.label),
    });
    return job;
  }

  /** One page of results, waiting while the job runs (the server holds each call up to ~10 s). */
  private async page(job: Job, maxResults: number | undefined, pageToken?: string): Promise<{ rows: Row[]; pageToken?: string }> {
    for (;;) {
      const [rows, , resp] = await job.getQueryResults({
        autoPaginate: false,
        parseJSON: true,
        wrapIntegers: false,
        ...(maxResults !== undefined ? { maxResults } : {}),
        ...(pageToken ? { pageToken } : {}),
      });
      const meta = resp as { jobComplete?: boolean; pageToken?: string } | undefined;
      if (meta?.jobComplete === false) continue;
      return { rows: (rows as Row[]).map(normalizeBigQueryRow), pageToken: meta?.pageToken || undefined };
    }
  }

  async query<T = Row>(sql: string, params: Params = {}, options: QueryOptions = {}): Promise<T[]> {
    const job = await this.startJob(sql, params, options);
    const out: T[] = [];
    let token: string | undefined;
    do {
      const p = await this.page(job, undefined, token);
      for (const r of p.rows) out.push(r as T);
      token = p.pageToken;
    } while (token);
    return out;
  }

  async execute(sql: string, params: Params = {}, options: QueryOptions = {}): Promise<void> {
    const job = await this.startJob(sql, params, options);
    await this.page(job, 0);
  }

  async *stream<T = Row>(sql: string, params: Params = {}, batchSize = 10_000, options: QueryOptions = {}): AsyncIterable<T[]> {
    const job = await this.startJob(sql, params, options);
    let token: string | undefined;
    let pending: T[] = [];
    do {
      const p = await this.page(job, batchSize, token);
      for (const r of p.rows) pending.push(r as T);
      token = p.pageToken;
      while (pending.length >= batchSize) {
        yield pending.slice(0, batchSize);
        pending = pending.slice(batchSize);
      }
    } while (token);
    if (pending.length) yield pending;
  }

  async *streamColumns<C extends Record<string, ColumnKind>>(sql: string, params: Params, columns: C, options: QueryOptions = {}): AsyncIterable<ColumnBatch<C>> {
    for await (const rows of this.stream<Row>(sql, params, 10_000, options)) yield rowsToColumns(rows, columns);
  }

  async appendColumns(table: TableDef, rows: number, columns: Record<string, ColumnInput>): Promise<number> {
    return this.append(table, columnsToRows(table, rows, columns));
  }

  async migrate(tables: TableDef[]): Promise<void> {
    this.assertOpen();
    // autoCreate: GET the dataset, create it (in the configured location) on 404.
    await this.dataset.get({ autoCreate: true });
    if (!tables.length) return;
    // One script job for all DDL: each job costs a round trip of a second or more.
    await this.execute(tables.map((t) => this.dialect.createTable(t)).join(';\n'), {}, { label: 'migrate' });
  }

  /** Uploads rows as NDJSON load jobs (batched by size) into an existing table. */
  private async load(tableId: string, table: TableDef, rows: Row[]): Promise<void> {
    let batch: string[] = [];
    let bytes = 0;
    const flush = async () => {
      if (!batch.length) return;
      const body = batch.join('\n') + '\n';
      batch = [];
      bytes = 0;
      await this.loadOne(tableId, body);
    };
    for (const r of rows) {
      const line = JSON.stringify(coerceRow(table, r));
      batch.push(line);
      bytes += Buffer.byteLength(line) + 1;
      if (bytes >= LOAD_BATCH_BYTES) await flush();
    }
    await flush();
  }

  private loadOne(tableId: string, ndjson: string): Promise<void> {
    const stream = this.dataset.table(tableId, { location: this.options.location }).createWriteStream({
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      writeDisposition: 'WRITE_APPEND',
      createDisposition: 'CREATE_NEVER',
      jobPrefix: jobPrefix(`load_${tableId}`),
    });
    return new Promise<void>((resolve, reject) => {
      stream.on('complete', () => resolve());
      stream.on('error', reject);
      stream.end(ndjson);
    });
  }

  async upsert(table: TableDef, rows: Row[]): Promise<number> {
    this.assertOpen();
    if (!rows.length) return 0;
    if (!table.primaryKey.length) return this.append(table, rows);
    const list = dedupeByKey(table, rows);
    const staging = `_staging_${table.name}_${randomUUID().replace(/-/g, '')}`;
    await this.dataset.createTable(staging, {
      schema: tableSchema(table),
      expirationTime: String(Date.now() + STAGING_TTL_MS),
      location: this.options.location,
    });
    try {
      await this.load(staging, table, list);
      await this.execute(this.dialect.mergeFrom(table, this.dialect.table(staging)), {}, { label: `merge_${table.name}` });
    } finally {
      await this.dataset.table(staging).delete({ ignoreNotFound: true }).catch(() => undefined);
    }
    return list.length;
  }

  async append(table: TableDef, rows: Row[]): Promise<number> {
    this.assertOpen();
    if (!rows.length) return 0;
    await this.load(table.name, table, rows);
    return rows.length;
  }

  async deleteWhereIn(table: TableDef, column: string, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await this.execute(
      `DELETE FROM ${this.dialect.table(table.name)} WHERE ${this.dialect.ident(column)} IN UNNEST(@keys)`,
      { keys },
      { types: { keys: 'STRING[]' }, label: `delete_${table.name}` },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
