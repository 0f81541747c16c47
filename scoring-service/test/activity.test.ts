import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { bigqueryDialect } from '../src/warehouse/dialects/bigquery.ts';
import { events, freelancers } from '../src/domain/tables.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { activitySql, activitySummaries } from '../src/features/activity.ts';

const AS_OF = new Date('2026-06-30T00:00:00.000Z');
const at = (days: number) => new Date(AS_OF.getTime() - days * 86_400_000).toISOString();

function freelancer(id: string, lastLogin: string | null) {
  return {
    id, occupation: 'エンジニア', skills: ['Go'], years_experience: 3, self_intro: 'よろしくお願いします。', portfolio_urls: [],
    hourly_rate_jpy: 4000, availability_days_per_week: 3, prefecture: '東京都', remote_ok: true, has_photo: false,
    registered_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-01-01T00:00:00.000Z', last_login_at: lastLogin,
  };
}

let n = 0;
function ev(days: number, type: string, actor: string, target: string | null, props: Record<string, unknown> | null = null) {
  const side = (x: string) => (x.startsWith('f') ? 'freelancer' : x.startsWith('j') ? 'job' : 'company');
  return {
    event_id: `t${n++}`, event_time: at(days), event_type: type, actor_type: side(actor), actor_id: actor,
    target_type: target ? side(target) : null, target_id: target, properties: props,
  };
}

/** The hand-made event set; the expected numbers below are counted from it by hand. */
const EVENTS = [
  ev(0, 'login', 'f1', null), // exactly at as_of: inside the window
  ev(2, 'login', 'f1', null),
  ev(40, 'login', 'f1', null),
  ev(-1, 'login', 'f1', null), // after as_of: never counts
  ev(10, 'interest', 'c1', 'f1', { job_id: 'j1' }),
  ev(50, 'interest', 'c2', 'f1', { job_id: 'j2' }),
  ev(100, 'interest', 'c3', 'f1', { job_id: 'j3' }),
  ev(5, 'interest', 'f1', 'j1', { company_id: 'c1' }),
  ev(95, 'interest', 'f1', 'j9', { company_id: 'c9' }),
  ev(9, 'match', 'c1', 'f1', { job_id: 'j1' }),
  ev(9, 'message', 'c1', 'f1', { thread_id: 'A' }),
  ev(8, 'message', 'f1', 'c1', { thread_id: 'A' }),
  ev(49, 'message', 'c2', 'f1', { thread_id: 'B' }),
  ev(20, 'message', 'f1', 'c3', { thread_id: 'C' }),
  ev(200, 'message', 'c4', 'f1', { thread_id: 'D' }),
  ev(7, 'contract', 'c1', 'f1', { job_id: 'j1', amount_jpy: 500000 }),
  ev(400, 'contract', 'c1', 'f1', { job_id: 'j0', amount_jpy: 100000 }),
  ev(3, 'profile_view', 'c1', 'f1'),
  ev(29, 'profile_view', 'c2', 'f1'),
  ev(30, 'profile_view', 'c3', 'f1'), // exactly 30 days: outside (as_of − 30d, as_of]
  ev(1, 'profile_update', 'f1', 'f1', { fields: ['self_intro'] }),
  ev(1, 'login', 'f4', null),
  ev(1, 'interest', 'c1', 'f4', { job_id: 'j1' }),
];

async function warehouse() {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  await w.migrate(allTables);
  await w.upsert(freelancers, [freelancer('f1', '2026-07-05T00:00:00.000Z'), freelancer('f2', at(10)), freelancer('f3', null), freelancer('f4', at(1))]);
  await w.append(events, EVENTS);
  return w;
}

test('activity summary of a hand-made event set equals the hand-counted numbers', async () => {
  const w = await warehouse();
  try {
    const m = await activitySummaries(w, ['f1', 'f2', 'f3', 'unknown'], AS_OF);
    assert.deepEqual([...m.keys()].sort(), ['f1', 'f2', 'f3'], 'unknown ids are absent');
    assert.deepEqual(m.get('f1'), {
      as_of: AS_OF.toISOString(),
      days_since_login: 0,
      logins_30d: 2,
      interests_received_30d: 1,
      interests_received_90d: 2,
      interests_sent_30d: 1,
      interests_sent_90d: 1,
      matches_90d: 1,
      match_rate_90d: 0.5,
      messages_received_90d: 2,
      messages_sent_90d: 2,
      response_rate_90d: 0.5, // threads A (answered) and B (not); C was started by f1
      contracts_365d: 1,
      profile_views_30d: 2,
    });
    const f2 = m.get('f2');
    assert.equal(f2?.days_since_login, 10, 'falls back to freelancers.last_login_at when it is not after as_of');
    assert.equal(f2?.logins_30d, 0);
    assert.equal(f2?.match_rate_90d, null);
    assert.equal(f2?.response_rate_90d, null);
    assert.equal(m.get('f3')?.days_since_login, null);
  } finally {
    await w.close();
  }
});

test('days since login is fractional and ignores logins after as_of', async () => {
  const w = await warehouse();
  try {
    const m = await activitySummaries(w, ['f1'], new Date(AS_OF.getTime() - 12 * 3_600_000));
    assert.equal(m.get('f1')?.days_since_login, 1.5); // last login 2 days before AS_OF, as_of 12 h earlier
    assert.equal(m.get('f1')?.logins_30d, 1);
  } finally {
    await w.close();
  }
});

test("'all' returns every freelancer and an empty id list returns none", async () => {
  const w = await warehouse();
  try {
    const all = await activitySummaries(w, 'all', AS_OF);
    assert.deepEqual([...all.keys()].sort(), ['f1', 'f2', 'f3', 'f4']);
    assert.equal(all.get('f4')?.interests_received_30d, 1);
    assert.equal(all.get('f1')?.logins_30d, 2, 'same numbers as the id-list query');
    assert.equal((await activitySummaries(w, [], AS_OF)).size, 0);
  } finally {
    await w.close();
  }
});

test('the BigQuery rendering of the query binds every value and uses BigQuery functions', () => {
  const sql = activitySql(bigqueryDialect('proj', 'ds'));
  assert.match(sql, /IN UNNEST\(@ids\)/);
  assert.match(sql, /TIMESTAMP_ADD\(CAST\(@as_of AS TIMESTAMP\), INTERVAL -90 DAY\)/);
  assert.match(sql, /`proj\.ds\.events`/);
  assert.doesNotMatch(sql, /list_contains|count_if|json_extract_string/);
});

test('the same query through the BigQuery adapter (local fake of the REST API) gives the same numbers', async () => {
  process.env.METADATA_SERVER_DETECTION = 'none';
  const { BigQueryWarehouse } = await import('../src/warehouse/bigquery.ts');
  const { startFakeBigQuery, staticAuth } = await import('./fakes/bigquery-server.ts');
  const fake = await startFakeBigQuery();
  const bq = new BigQueryWarehouse({ projectId: 'fake-project', dataset: 'activity', location: 'asia-northeast1', apiEndpoint: fake.url }, { authClient: staticAuth() });
  const duck = await warehouse();
  try {
    await bq.migrate(allTables);
    await bq.upsert(freelancers, await duck.query(`SELECT * FROM freelancers`));
    await bq.append(events, EVENTS);
    const viaBq = await activitySummaries(bq, ['f1', 'f2', 'f3'], AS_OF);
    const viaDuck = await activitySummaries(duck, ['f1', 'f2', 'f3'], AS_OF);
    assert.deepEqual(viaBq, viaDuck);
  } finally {
    await duck.close();
    await bq.close();
    await fake.stop();
  }
});
