import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../../scoring-service/src/warehouse/duckdb.ts';
import { coreTables } from '../../scoring-service/src/domain/tables.ts';
import { KPIS, MAIN_KPIS, type KpiRow } from '../../scoring-service/src/kpi/definitions.ts';
import { computeKpis } from '../../scoring-service/src/kpi/refresh.ts';
import { EXPECTED, jst, loadKpiDataset } from '../../scoring-service/test/kpi-dataset.ts';
import { refreshKpiSheet, type KpiEnv } from '../src/kpi/refresh.ts';
import { runQuery, BigQueryTimeoutError } from '../src/kpi/bigquery-jobs.ts';
import { installDailyTrigger, removeDailyTrigger, toggleDailyTrigger } from '../src/kpi/triggers.ts';
import { parseBackfillInput } from '../src/kpi/sheet-rows.ts';
import * as globals from '../src/kpi/globals.ts';
import { FakeSpreadsheet, fakeBigQuery, fakeLock, fakeMail, fakeScriptApp } from './kpi-fakes.ts';

// Rows a real BigQuery would return: the same KPI query run on DuckDB over the hand-made dataset.
let truth: KpiRow[] = [];
const FIELDS = [{ name: 'date', type: 'DATE' }, ...KPIS.map((k) => ({ name: k.id, type: k.unit === 'version' ? 'STRING' : 'FLOAT' }))];
const answer = (req: { queryParameters: { name: string; parameterValue: { value: string } }[] }) => {
  const p = Object.fromEntries(req.queryParameters.map((q) => [q.name, q.parameterValue.value]));
  return { fields: FIELDS, rows: truth.filter((r) => r.date >= p.from && r.date <= p.to) };
};

before(async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  await w.migrate(coreTables);
  await loadKpiDataset(w);
  truth = await computeKpis(w, '2024-12-01', '2026-03-10');
  await w.close();
});

function makeEnv(o: { now: string; bq?: ReturnType<typeof fakeBigQuery>; ss?: FakeSpreadsheet; busy?: boolean }) {
  const ss = o.ss ?? new FakeSpreadsheet();
  const bq = o.bq ?? fakeBigQuery(answer, { pendingPolls: 2, pageSize: 150 });
  const lock = fakeLock({ busy: o.busy });
  const mail = fakeMail();
  const sleeps: number[] = [];
  let clock = new Date(jst(o.now)).getTime();
  const env: KpiEnv = {
    spreadsheet: ss as unknown as KpiEnv['spreadsheet'],
    bigquery: bq.jobs,
    lock: lock.lock,
    mail: mail.mail as unknown as KpiEnv['mail'],
    enums: { protectionRange: 'RANGE' as never, lineChart: 'LINE' as never },
    settings: () => ({ projectId: 'proj', dataset: 'ws', location: 'asia-northeast1' }),
    ownerEmail: () => 'owner@example.com',
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => new Date(clock),
  };
  return { env, ss, bq, lock, mail, sleeps };
}

const snapshot = (ss: FakeSpreadsheet, skipLog = true) =>
  JSON.stringify(ss.sheets.filter((s) => !skipLog || s.name !== 'ログ').map((s) => ({ ...s, ss: undefined, values: s.values.map((r) => r.map((v) => (typeof v === 'string' && v.startsWith('更新: ') ? '更新: <time>' : v))) })));

describe('KPI refresh in Apps Script against fakes', () => {
  const ss = new FakeSpreadsheet();

  test('first refresh reads 400 days from BigQuery and writes KPI_daily, ダッシュボード, 予測, 説明 and ログ', () => {
    const { env, bq, lock, sleeps } = makeEnv({ now: '2026-03-04 08:00', ss });
    const out = refreshKpiSheet(env, { mode: 'incremental' });
    assert.equal(out.ok, true, out.message);
    assert.deepEqual([out.from, out.to, out.days], ['2025-01-28', '2026-03-03', 400]);
    const req = bq.requests[0];
    assert.equal(req.location, 'asia-northeast1');
    assert.equal(req.timeoutMs, 60000);
    assert.equal(req.useLegacySql, false);
    assert.match(req.query, /FROM `proj\.ws\.events`\s+WHERE event_time >= CAST\(@scan_from AS TIMESTAMP\)/);
    assert.deepEqual(Object.fromEntries(req.queryParameters.map((q) => [q.name, q.parameterValue.value])), {
      from: '2025-01-28', to: '2026-03-03', scan_from: '2024-12-29T15:00:00.000Z', scan_to: '2026-03-03T15:00:00.000Z',
    });
    // 2 incomplete polls with back-off, then pages 1–2 via pageToken (400 rows, 150 a page).
    assert.deepEqual(sleeps, [500, 1000]);
    assert.deepEqual(bq.polls.map((p) => p.args.pageToken ?? null), [null, null, 'page-1', 'page-2']);
    assert.deepEqual(lock.state, { held: false, acquisitions: 1, releases: 1 });
    assert.deepEqual(ss.sheets.map((s) => s.name), ['ダッシュボード', 'KPI_daily', '予測', '説明', 'ログ']);

    const daily = ss.getSheetByName('KPI_daily')!;
    assert.deepEqual(daily.values[0], ['日付', ...KPIS.map((k) => k.label_ja)]);
    assert.equal(daily.values.length, 401);
    const last3 = daily.values.slice(-3);
    assert.deepEqual(last3.map((r) => r[0]), ['2026-03-01', '2026-03-02', '2026-03-03']);
    KPIS.forEach((k, j) => last3.forEach((r, i) => {
      const want = EXPECTED[k.id][i];
      if (typeof want === 'number') assert.ok(Math.abs((r[j + 1] as number) - want) < 1e-12, `${k.id} day ${i}`);
      else assert.equal(r[j + 1] === '' ? null : r[j + 1], want, `${k.id} day ${i}`);
    }));
    assert.equal(daily.frozenRows, 1);
    assert.equal(daily.formats[1][1 + KPIS.findIndex((k) => k.id === 'match_rate')], '0.0%');
    assert.ok(daily.protections.every((p) => p.warningOnly));

    const dash = ss.getSheetByName('ダッシュボード')!;
    assert.equal(dash.frozenRows, 3);
    assert.equal(dash.charts.length, MAIN_KPIS.length);
    assert.equal(dash.charts[0].type, 'LINE');
    assert.equal(dash.charts[0].ranges.length, 5); // dates, actual, forecast, lower, upper
    assert.match(dash.charts[0].ranges[0], /^'予測'!A2:A\d+$/);
    const newF = dash.values.find((r) => r[0] === '新規フリーランス登録')!;
    assert.match(String(newF[7]), /^=SPARKLINE\('KPI_daily'!B372:B401,/);
    assert.ok(dash.protections.length >= 1);
    assert.equal(ss.getSheetByName('説明')!.values.length >= KPIS.length + 1, true);
    const log = ss.getSheetByName('ログ')!;
    assert.equal(log.values[1][1], 'INFO');
  });

  test('a second refresh the same day reads nothing from BigQuery and changes no sheet', () => {
    const before = snapshot(ss);
    const { env, bq } = makeEnv({ now: '2026-03-04 20:00', ss });
    const out = refreshKpiSheet(env, { mode: 'incremental' });
    assert.equal(out.ok, true);
    assert.equal(out.days, 0);
    assert.equal(bq.requests.length, 0);
    assert.equal(snapshot(ss), before);
  });

  test('the next day reads only the new day', () => {
    const { env, bq } = makeEnv({ now: '2026-03-05 08:00', ss });
    const out = refreshKpiSheet(env, { mode: 'incremental' });
    assert.deepEqual([out.ok, out.from, out.to, out.days], [true, '2026-03-04', '2026-03-04', 1]);
    assert.equal(bq.requests.length, 1);
    assert.equal(ss.getSheetByName('KPI_daily')!.values.length, 402);
  });

  test('a backfill over an existing range rebuilds it idempotently', () => {
    const before = snapshot(ss);
    for (const now of ['2026-03-05 09:00', '2026-03-05 10:00']) {
      const { env } = makeEnv({ now, ss });
      const out = refreshKpiSheet(env, { mode: 'backfill', from: '2026-02-20', to: '2026-03-04' });
      assert.equal(out.days, 13);
      assert.equal(snapshot(ss), before);
    }
  });

  test('a held lock stops an overlapping refresh before any query', () => {
    const { env, bq } = makeEnv({ now: '2026-03-06 08:00', ss, busy: true });
    const out = refreshKpiSheet(env, { mode: 'incremental' });
    assert.equal(out.ok, false);
    assert.match(out.message, /別の更新が実行中/);
    assert.equal(bq.requests.length, 0);
  });

  test('a BigQuery failure is logged to ログ, mailed to the owner, and releases the lock', () => {
    const bq = fakeBigQuery(answer, { fail: new Error('Access Denied: Table proj:ws.events') });
    const { env, mail, lock } = makeEnv({ now: '2026-03-06 08:00', ss, bq });
    const out = refreshKpiSheet(env, { mode: 'incremental' });
    assert.equal(out.ok, false);
    const log = ss.getSheetByName('ログ')!.values;
    assert.equal(log[log.length - 1][1], 'ERROR');
    assert.match(String(log[log.length - 1][2]), /Access Denied/);
    assert.equal(mail.sent.length, 1);
    assert.equal(mail.sent[0].to, 'owner@example.com');
    assert.match(mail.sent[0].body, /Access Denied/);
    assert.deepEqual(lock.state, { held: false, acquisitions: 1, releases: 1 });
  });
});

test('runQuery gives up with BigQueryTimeoutError when the job never completes', () => {
  const bq = fakeBigQuery(answer, { pendingPolls: 1000 });
  let t = 0;
  assert.throws(
    () => runQuery(bq.jobs, 'SELECT 1', {}, { projectId: 'p', location: 'asia-northeast1', maxWaitMs: 20_000, sleep: (ms) => (t += ms), now: () => t }),
    BigQueryTimeoutError,
  );
  assert.ok(bq.polls.length <= 6);
});

test('daily trigger: toggle installs one at 08:00 Asia/Tokyo, toggles off; install/remove are idempotent', () => {
  const { app, triggers } = fakeScriptApp();
  const sa = app as never;
  assert.equal(toggleDailyTrigger(sa), 'installed');
  assert.deepEqual(triggers, [{ handler: 'kpiDailyTrigger', everyDays: 1, atHour: 8, nearMinute: 0, timeZone: 'Asia/Tokyo' }]);
  installDailyTrigger(sa);
  assert.equal(triggers.length, 1);
  assert.equal(toggleDailyTrigger(sa), 'removed');
  assert.equal(triggers.length, 0);
  removeDailyTrigger(sa);
  assert.equal(triggers.length, 0);
  installDailyTrigger(sa);
  installDailyTrigger(sa);
  assert.equal(triggers.length, 1);
});

test('menu items name exported globals, and the trigger handler is one of them', () => {
  const names = Object.keys(globals);
  for (const item of globals.kpiMenuItems()) assert.ok(names.includes(item.functionName), item.functionName);
  assert.equal(globals.kpiMenuItems()[0].name, 'KPI を更新');
  assert.match(globals.kpiMenuItems()[1].name, /^毎日の自動更新/);
  assert.ok(names.includes('kpiDailyTrigger'));
});

test('backfill prompt accepts "from to" and rejects anything else', () => {
  assert.deepEqual(parseBackfillInput(' 2026-01-01 〜 2026-03-31 '), { from: '2026-01-01', to: '2026-03-31' });
  assert.deepEqual(parseBackfillInput('2026-01-01 2026-03-31'), { from: '2026-01-01', to: '2026-03-31' });
  assert.throws(() => parseBackfillInput('last month'), /2026-01-01 2026-03-31/);
});
