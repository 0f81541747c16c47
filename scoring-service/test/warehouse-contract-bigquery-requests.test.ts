/** The exact requests the BigQuery adapter sends (recorded by the local fake of the REST API). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BigQueryWarehouse } from '../src/warehouse/bigquery.ts';
import { events, freelancers } from '../src/domain/tables.ts';
import { startFakeBigQuery, staticAuth, type FakeBigQuery } from './fakes/bigquery-server.ts';

process.env.METADATA_SERVER_DETECTION = 'none';

let fake: FakeBigQuery;
let w: BigQueryWarehouse;
before(async () => {
  fake = await startFakeBigQuery();
  w = new BigQueryWarehouse({ projectId: 'proj-1', dataset: 'ws', location: 'asia-northeast1', apiEndpoint: fake.url }, { authClient: staticAuth() });
  await w.migrate([freelancers, events]);
});
after(async () => {
  await w.close();
  await fake.stop();
});

test('migrate creates the dataset in the configured location, then runs the dialect DDL as one job', () => {
  const create = fake.requests.find((r) => r.method === 'POST' && r.path === '/bigquery/v2/projects/proj-1/datasets');
  assert.deepEqual((create?.body as { location: string }).location, 'asia-northeast1');
  assert.deepEqual(fake.tableClauses.get('events'), { partitionBy: 'DATE(`event_time`)', clusterBy: '`event_type`' });
  const ddl = fake.queryJobs().filter((j) => j.query.includes('CREATE TABLE IF NOT EXISTS `proj-1.ws.events`'));
  assert.equal(ddl.length, 1);
  assert.match(ddl[0].query, /CREATE TABLE IF NOT EXISTS `proj-1\.ws\.freelancers`/);
});

test('a query job carries named, typed parameters, the location and useLegacySql=false, and no value in the SQL', async () => {
  const evil = "x'); DROP TABLE `proj-1.ws.events`; --";
  const before = fake.requests.length;
  await w.query(
    `SELECT event_id FROM ${w.dialect.table('events')} WHERE actor_id = @actor AND event_time >= CAST(@from AS TIMESTAMP)
       AND event_type IN UNNEST(@types) AND (@maybe IS NULL OR target_id = @maybe) AND ${w.dialect.arrayLength('@none')} = @zero`,
    { actor: evil, from: '2024-01-01T00:00:00.000Z', types: ['login', 'match'], maybe: null, none: [], zero: 0, unused: 'ignored' },
    { types: { none: 'STRING[]' } },
  );
  const job = fake.requests.slice(before).find((r) => r.method === 'POST' && r.path.endsWith('/jobs'))!;
  const body = job.body as { jobReference: { location: string; jobId: string }; configuration: { query: Record<string, unknown> } };
  assert.equal(job.path, '/bigquery/v2/projects/proj-1/jobs');
  assert.equal(body.jobReference.location, 'asia-northeast1');
  assert.match(body.jobReference.jobId, /^workship_q_/);
  const q = body.configuration.query;
  assert.equal(q.useLegacySql, false);
  assert.equal(q.parameterMode, 'named');
  assert.deepEqual(q.queryParameters, [
    { name: 'actor', parameterType: { type: 'STRING' }, parameterValue: { value: evil } },
    { name: 'from', parameterType: { type: 'STRING' }, parameterValue: { value: '2024-01-01T00:00:00.000Z' } },
    { name: 'types', parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } }, parameterValue: { arrayValues: [{ value: 'login' }, { value: 'match' }] } },
    { name: 'maybe', parameterType: { type: 'STRING' }, parameterValue: { value: null } },
    { name: 'none', parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } }, parameterValue: { arrayValues: [] } },
    { name: 'zero', parameterType: { type: 'INT64' }, parameterValue: { value: 0 } },
  ]);
  assert.ok(!String(q.query).includes('DROP TABLE'), 'no parameter value spliced into the SQL');
  assert.ok(!String(q.query).includes('login'));
  const results = fake.requests.slice(before).find((r) => r.path.includes('/queries/'))!;
  assert.equal(results.query.location, 'asia-northeast1');
});

test('declared TIMESTAMP and DATE parameters are sent typed', async () => {
  const before = fake.requests.length;
  await w.query('SELECT @at AS at, @day AS day', { at: '2024-05-01T09:00:00Z', day: '2024-05-01' }, { types: { at: 'TIMESTAMP', day: 'DATE' } });
  const q = fake.queryJobs().slice(-1)[0];
  assert.ok(fake.requests.length > before);
  assert.deepEqual(q.queryParameters, [
    { name: 'at', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2024-05-01T09:00:00.000Z' } },
    { name: 'day', parameterType: { type: 'DATE' }, parameterValue: { value: '2024-05-01' } },
  ]);
});

test('upsert loads NDJSON into an expiring staging table, MERGEs once, then drops the staging table', async () => {
  const before = fake.requests.length;
  const row = {
    id: 'f1', occupation: 'エンジニア', skills: ['TypeScript'], years_experience: 3, self_intro: 'こんにちは', portfolio_urls: [],
    hourly_rate_jpy: 4000, availability_days_per_week: 3, prefecture: '東京都', remote_ok: true, has_photo: false,
    registered_at: '2024-01-01T00:00:00.000Z', updated_at: '2024-01-02T00:00:00.000Z', last_login_at: null,
  };
  await w.upsert(freelancers, [row]);
  const reqs = fake.requests.slice(before);
  const createTable = reqs.find((r) => r.method === 'POST' && r.path.endsWith('/datasets/ws/tables'))!;
  const staging = (createTable.body as { tableReference: { tableId: string }; expirationTime: string }).tableReference.tableId;
  assert.match(staging, /^_staging_freelancers_/);
  assert.ok(Number((createTable.body as { expirationTime: string }).expirationTime) > Date.now());
  const upload = reqs.find((r) => r.path === '/upload/bigquery/v2/projects/proj-1/jobs')!;
  assert.equal(upload.query.uploadType, 'multipart');
  const { metadata, data } = upload.body as { metadata: { configuration: { load: Record<string, unknown> }; jobReference: { location: string } }; data: string };
  assert.equal(metadata.jobReference.location, 'asia-northeast1');
  assert.equal(metadata.configuration.load.sourceFormat, 'NEWLINE_DELIMITED_JSON');
  assert.deepEqual(metadata.configuration.load.destinationTable, { projectId: 'proj-1', datasetId: 'ws', tableId: staging });
  assert.deepEqual(JSON.parse(data.trim()), row);
  const merges = fake.queryJobs().filter((j) => j.query.startsWith('MERGE `proj-1.ws.freelancers`'));
  assert.equal(merges.length, 1);
  assert.ok(merges[0].query.includes(`USING \`proj-1.ws.${staging}\``));
  assert.ok(reqs.some((r) => r.method === 'DELETE' && r.path.endsWith(`/tables/${staging}`)));
  assert.deepEqual(await w.query(`SELECT id, skills FROM ${w.dialect.table('freelancers')}`), [{ id: 'f1', skills: ['TypeScript'] }]);
});

test('a failing statement surfaces the error from BigQuery', async () => {
  await assert.rejects(w.query(`SELECT no_such_column FROM ${w.dialect.table('events')}`), /no_such_column/);
});

test('stream reads pages of getQueryResults with maxResults = batch size and the returned pageToken', async () => {
  const rows = Array.from({ length: 5 }, (_, i) => ({
    event_id: `s${i}`, event_time: `2024-04-0${i + 1}T00:00:00.000Z`, event_type: 'login', actor_type: 'freelancer', actor_id: 'f1',
    target_type: null, target_id: null, properties: null,
  }));
  await w.append(events, rows);
  const before = fake.requests.length;
  const batches: number[] = [];
  for await (const b of w.stream(`SELECT event_id FROM ${w.dialect.table('events')} WHERE event_id LIKE @p ORDER BY event_id`, { p: 's%' }, 2)) batches.push(b.length);
  assert.deepEqual(batches, [2, 2, 1]);
  const pages = fake.requests.slice(before).filter((r) => r.path.includes('/queries/'));
  assert.deepEqual(pages.map((r) => [r.query.maxResults, r.query.pageToken]), [['2', undefined], ['2', '2'], ['2', '4']]);
  // append went through a load job straight into the table (no staging, no MERGE)
  const load = fake.requests.slice(0, before).filter((r) => r.path.startsWith('/upload/')).at(-1)!;
  assert.deepEqual((load.body as { metadata: { configuration: { load: { destinationTable: unknown } } } }).metadata.configuration.load.destinationTable, { projectId: 'proj-1', datasetId: 'ws', tableId: 'events' });
});
