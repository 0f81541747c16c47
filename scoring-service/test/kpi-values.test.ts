import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { bigqueryDialect } from '../src/warehouse/dialects/bigquery.ts';
import { coreTables, events } from '../src/domain/tables.ts';
import { kpiTables } from '../src/kpi/tables.ts';
import { KPIS } from '../src/kpi/definitions.ts';
import { kpiParams, kpiQuery, isIsoDate } from '../src/kpi/query.ts';
import { backfillKpis, computeKpis, readKpiRows, refreshKpis } from '../src/kpi/refresh.ts';
import { EXPECTED, jst, loadKpiDataset } from './kpi-dataset.ts';

const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03'];

function assertRowsEqualExpected(rows: Record<string, unknown>[]) {
  assert.deepEqual(rows.map((r) => r.date), DAYS);
  for (const k of KPIS) {
    const want = EXPECTED[k.id];
    assert.ok(want, `EXPECTED lists ${k.id}`);
    rows.forEach((r, i) => {
      const got = r[k.id];
      if (typeof want[i] === 'number') assert.ok(Math.abs((got as number) - (want[i] as number)) < 1e-12, `${k.id} on ${DAYS[i]}: got ${got}, want ${want[i]}`);
      else assert.equal(got, want[i], `${k.id} on ${DAYS[i]}`);
    });
  }
}

describe('KPIs on the hand-made dataset (DuckDB)', () => {
  let w: DuckdbWarehouse;
  before(async () => {
    w = new DuckdbWarehouse({ file: ':memory:' });
    await w.migrate([...coreTables, ...kpiTables]);
    await loadKpiDataset(w);
  });
  after(() => w.close());

  test('every KPI equals the hand-computed value on each day', async () => {
    assertRowsEqualExpected(await computeKpis(w, '2026-03-01', '2026-03-03'));
  });

  test('first refresh starts at the first event; a second refresh reads nothing and changes nothing', async () => {
    const now = new Date(jst('2026-03-04 08:00'));
    const first = await refreshKpis(w, now);
    assert.deepEqual(first, { from: '2026-01-20', to: '2026-03-03', days: 43 });
    const before = await w.query('SELECT * FROM kpi_daily ORDER BY date');
    const second = await refreshKpis(w, new Date(jst('2026-03-04 20:00')));
    assert.deepEqual(second, { from: null, to: null, days: 0 });
    assert.deepEqual(await w.query('SELECT * FROM kpi_daily ORDER BY date'), before);
    assertRowsEqualExpected(await readKpiRows(w, '2026-03-01', '2026-03-03'));
  });

  test('the next day’s refresh reads only the new day and leaves older rows untouched', async () => {
    const before = await w.query<{ date: string; computed_at: string }>('SELECT date, computed_at FROM kpi_daily ORDER BY date');
    await w.upsert(events, [{ event_id: 'x1', event_time: jst('2026-03-04 12:00'), event_type: 'signup', actor_type: 'freelancer', actor_id: 'f6', target_type: null, target_id: null, properties: {} }]);
    const r = await refreshKpis(w, new Date(jst('2026-03-05 08:00')));
    assert.deepEqual(r, { from: '2026-03-04', to: '2026-03-04', days: 1 });
    const after = await w.query<{ date: string; computed_at: string }>('SELECT date, computed_at FROM kpi_daily ORDER BY date');
    assert.deepEqual(after.slice(0, before.length), before);
    const [row] = await readKpiRows(w, '2026-03-04', '2026-03-04');
    assert.equal(row.new_freelancers, 1); // f6 signs up; f5 (00:00 JST) only logs in
    assert.equal(row.dau_freelancers, 2); // f5, f6
  });

  test('a backfill over an existing range is idempotent and equals the incremental rows', async () => {
    const incremental = await w.query('SELECT * EXCLUDE (computed_at) FROM kpi_daily ORDER BY date');
    await backfillKpis(w, '2026-02-25', '2026-03-04', new Date(jst('2026-03-06 09:00')));
    const once = await w.query('SELECT * EXCLUDE (computed_at) FROM kpi_daily ORDER BY date');
    await backfillKpis(w, '2026-02-25', '2026-03-04', new Date(jst('2026-03-07 09:00')));
    const twice = await w.query('SELECT * EXCLUDE (computed_at) FROM kpi_daily ORDER BY date');
    assert.deepEqual(once, incremental);
    assert.deepEqual(twice, once);
  });
});

test('the BigQuery text filters event_time by constant bounds (partition pruning) and uses Tokyo dates', () => {
  const sql = kpiQuery(bigqueryDialect('proj', 'ds'));
  assert.match(sql, /FROM `proj\.ds\.events`\s+WHERE event_time >= CAST\(@scan_from AS TIMESTAMP\) AND event_time < CAST\(@scan_to AS TIMESTAMP\)/);
  assert.match(sql, /DATE\(event_time, 'Asia\/Tokyo'\)/);
  assert.doesNotMatch(sql, /count_if|list_contains|generate_series|timezone\(/);
  // 30-day look-back for MAU; scan ends at the start of the day after `to` in Tokyo.
  assert.deepEqual(kpiParams('2026-03-01', '2026-03-03'), {
    from: '2026-03-01', to: '2026-03-03', scan_from: '2026-01-30T15:00:00.000Z', scan_to: '2026-03-03T15:00:00.000Z',
  });
});

test('dates are validated with messages naming from and to', () => {
  assert.equal(isIsoDate('2026-02-29'), false);
  assert.equal(isIsoDate('2028-02-29'), true);
  assert.throws(() => kpiParams('2026-13-01', '2026-03-01'), /^RangeError: from must be a date/);
  assert.throws(() => kpiParams('2026-03-01', 'x'), /^RangeError: to must be a date/);
  assert.throws(() => kpiParams('2026-03-02', '2026-03-01'), /from \(2026-03-02\) is after to/);
});

test('refresh stops at the last day with events when the feed ends before yesterday (demo data)', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate([...coreTables, ...kpiTables]);
    await loadKpiDataset(w);
    // The last event is 03-04 00:00 JST; a month later the table still ends on 03-04.
    assert.deepEqual(await refreshKpis(w, new Date(jst('2026-04-05 08:00'))), { from: '2026-01-20', to: '2026-03-04', days: 44 });
    assert.deepEqual(await refreshKpis(w, new Date(jst('2026-04-06 08:00'))), { from: null, to: null, days: 0 });
  } finally {
    await w.close();
  }
});
