/**
 * BigQuery through the Apps Script advanced service: Jobs.query with location and a
 * server-side timeout, then getQueryResults polled with exponential back-off until the job
 * completes, then every page via pageToken. Typed rows come back as plain objects.
 */

/** The slice of the advanced service `BigQuery.Jobs` used here (fakes implement it). */
export interface BigQueryJobs {
  query(resource: QueryRequest, projectId: string): QueryResponse;
  getQueryResults(projectId: string, jobId: string, optionalArgs: { location?: string; timeoutMs?: number; pageToken?: string; maxResults?: number }): QueryResponse;
}

export interface QueryRequest {
  query: string;
  useLegacySql: false;
  location: string;
  timeoutMs: number;
  parameterMode: 'NAMED';
  queryParameters: { name: string; parameterType: { type: string }; parameterValue: { value: string } }[];
  labels?: Record<string, string>;
}

export interface QueryResponse {
  jobComplete?: boolean;
  jobReference?: { jobId?: string; location?: string };
  schema?: { fields?: { name?: string; type?: string }[] };
  rows?: { f?: { v?: unknown }[] }[];
  pageToken?: string;
  totalRows?: string;
}

export interface RunOptions {
  projectId: string;
  location: string;
  /** Server-side wait per call. */
  timeoutMs?: number;
  /** Give up polling after this long. */
  maxWaitMs?: number;
  sleep: (ms: number) => void;
  now?: () => number;
}

export class BigQueryTimeoutError extends Error {
  constructor(jobId: string, waitedMs: number) {
    super(`BigQuery job ${jobId} did not finish within ${Math.round(waitedMs / 1000)} s`);
    this.name = 'BigQueryTimeoutError';
  }
}

/** Converts one REST cell to a JS value by its schema type. */
function convert(v: unknown, type: string | undefined): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'INTEGER':
    case 'INT64':
    case 'FLOAT':
    case 'FLOAT64':
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return Number(v);
    case 'BOOLEAN':
    case 'BOOL':
      return v === 'true' || v === true;
    default:
      return String(v);
  }
}

export function rowsOf(res: QueryResponse, schema = res.schema): Record<string, unknown>[] {
  const fields = schema?.fields ?? [];
  return (res.rows ?? []).map((r) => {
    const o: Record<string, unknown> = {};
    fields.forEach((f, i) => (o[f.name ?? `f${i}`] = convert(r.f?.[i]?.v, f.type)));
    return o;
  });
}

export function runQuery(jobs: BigQueryJobs, sql: string, params: Record<string, string>, o: RunOptions): Record<string, unknown>[] {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const maxWaitMs = o.maxWaitMs ?? 5 * 60_000;
  const now = o.now ?? (() => Date.now());
  const request: QueryRequest = {
    query: sql,
    useLegacySql: false,
    location: o.location,
    timeoutMs,
    parameterMode: 'NAMED',
    queryParameters: Object.keys(params).map((name) => ({ name, parameterType: { type: 'STRING' }, parameterValue: { value: params[name] } })),
    labels: { source: 'kpi-sheet' },
  };
  let res = jobs.query(request, o.projectId);
  const jobId = res.jobReference?.jobId ?? '';
  const location = res.jobReference?.location ?? o.location;
  const started = now();
  let delay = 500;
  while (!res.jobComplete) {
    if (now() - started > maxWaitMs) throw new BigQueryTimeoutError(jobId, now() - started);
    o.sleep(delay);
    delay = Math.min(delay * 2, 8000);
    res = jobs.getQueryResults(o.projectId, jobId, { location, timeoutMs });
  }
  const schema = res.schema;
  const rows = rowsOf(res, schema);
  while (res.pageToken) {
    res = jobs.getQueryResults(o.projectId, jobId, { location, timeoutMs, pageToken: res.pageToken });
    rows.push(...rowsOf(res, res.schema ?? schema));
  }
  return rows;
}
