/**
 * The Warehouse contract: every adapter must pass this same suite (DuckDB always, the
 * BigQuery adapter against the local fake in CI, real BigQuery when credentials exist).
 * Expected values are the plain shapes of domain/table.ts.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TableDef } from '../src/domain/table.ts';
import { coreTables } from '../src/domain/tables.ts';
import type { Warehouse } from '../src/warehouse/port.ts';

export const contractItems: TableDef = {
  name: 'contract_items',
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: 'STRING' },
    { name: 'n', type: 'INT64' },
    { name: 'x', type: 'FLOAT64' },
    { name: 'b', type: 'BOOL' },
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'd', type: 'DATE' },
    { name: 'j', type: 'JSON' },
    { name: 'tags', type: 'STRING[]' },
    { name: 'v', type: 'FLOAT64[]' },
  ],
};

export const contractLog: TableDef = {
  name: 'contract_log',
  primaryKey: [],
  columns: [
    { name: 'k', type: 'STRING', nullable: false },
    { name: 'n', type: 'INT64' },
  ],
};

export const contractColumns: TableDef = {
  name: 'contract_columns',
  primaryKey: [],
  columns: [
    { name: 'id', type: 'STRING', nullable: false },
    { name: 'x', type: 'FLOAT64' },
    { name: 'n', type: 'INT64' },
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'j', type: 'JSON' },
    { name: 'note', type: 'STRING' },
  ],
};

export interface ContractSubject {
  warehouse: Warehouse;
  /** Called after the suite (drop a real dataset, stop a fake). */
  done?: () => Promise<void>;
}

const full = {
  id: 'a',
  n: 42,
  x: 3.25,
  b: true,
  ts: '2024-03-01T12:34:56.789Z',
  d: '2024-02-29',
  j: { name: 'ワークシップ', score: 4.5, nested: [1, 2, { deep: true }] },
  tags: ['typescript', 'デザイン'],
  v: [1.5, 2],
};

export function warehouseContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`Warehouse contract: ${name}`, () => {
    let subject: ContractSubject;
    let w: Warehouse;
    const t = (table: string) => w.dialect.table(table);

    before(async () => {
      subject = await open();
      w = subject.warehouse;
    });
    after(async () => {
      await w?.close();
      await subject?.done?.();
    });

    test('migrate creates every table and is idempotent', async () => {
      const tables = [...coreTables, contractItems, contractLog];
      await w.migrate(tables);
      await w.migrate(tables);
      for (const table of tables) {
        const rows = await w.query<{ c: number }>(`SELECT COUNT(*) AS c FROM ${t(table.name)}`);
        assert.deepEqual(rows, [{ c: 0 }], table.name);
      }
    });

    test('timestamps, dates, JSON, arrays, booleans and numbers round-trip', async () => {
      const empty = { id: 'empty', n: null, x: null, b: false, ts: null, d: null, j: null, tags: [], v: [] };
      assert.equal(await w.upsert(contractItems, [full, empty]), 2);
      const rows = await w.query(`SELECT * FROM ${t('contract_items')} WHERE id IN (@a, @b) ORDER BY id`, { a: 'a', b: 'empty' });
      assert.deepEqual(rows, [full, empty]);
    });

    test('upsert replaces rows by key, the last duplicate in one batch wins', async () => {
      const n = await w.upsert(contractItems, [
        { ...full, id: 'u1', n: 1 },
        { ...full, id: 'u2', n: 2 },
        { ...full, id: 'u1', n: 3 },
      ]);
      assert.equal(n, 2);
      await w.upsert(contractItems, [{ ...full, id: 'u2', n: 20, tags: ['changed'] }]);
      const rows = await w.query<{ id: string; n: number; tags: string[] }>(
        `SELECT id, n, tags FROM ${t('contract_items')} WHERE id LIKE @p ORDER BY id`,
        { p: 'u%' },
      );
      assert.deepEqual(rows, [
        { id: 'u1', n: 3, tags: full.tags },
        { id: 'u2', n: 20, tags: ['changed'] },
      ]);
    });

    test('append adds rows without a key check', async () => {
      assert.equal(await w.append(contractLog, [{ k: 'same', n: 1 }, { k: 'same', n: 1 }]), 2);
      assert.equal(await w.append(contractLog, []), 0);
      const rows = await w.query(`SELECT k, n FROM ${t('contract_log')} WHERE k = @k`, { k: 'same' });
      assert.deepEqual(rows, [{ k: 'same', n: 1 }, { k: 'same', n: 1 }]);
    });

    test('binds every parameter type, including arrays, empty arrays and null', async () => {
      const [row] = await w.query(
        `SELECT @s AS s, @i + 1 AS i, @f * 2 AS f, NOT @b AS nb, CAST(@ts AS TIMESTAMP) AS ts, CAST(@d AS DATE) AS d,
                @tsd AS tsd, @dd AS dd, @nul IS NULL AS nul_is_null, @nint AS nint,
                ${w.dialect.arrayLength('@sa')} AS sa_len, ${w.dialect.arrayContains('@sa', '@s')} AS has_s,
                ${w.dialect.arrayLength('@fa')} AS fa_len, ${w.dialect.arrayLength('@ea')} AS ea_len, @sa AS sa, @fa AS fa`,
        {
          s: "O'Reilly; DROP TABLE x --",
          i: 41,
          f: 1.25,
          b: false,
          ts: '2024-01-02T03:04:05.678Z',
          d: '2024-12-31',
          tsd: '2024-06-01T00:00:00.000Z',
          dd: '2024-06-02',
          nul: null,
          nint: null,
          sa: ['a', "O'Reilly; DROP TABLE x --"],
          fa: [0.5, 2],
          ea: [],
        },
        { types: { tsd: 'TIMESTAMP', dd: 'DATE', nint: 'INT64', ea: 'STRING[]' } },
      );
      assert.deepEqual(row, {
        s: "O'Reilly; DROP TABLE x --",
        i: 42,
        f: 2.5,
        nb: true,
        ts: '2024-01-02T03:04:05.678Z',
        d: '2024-12-31',
        tsd: '2024-06-01T00:00:00.000Z',
        dd: '2024-06-02',
        nul_is_null: true,
        nint: null,
        sa_len: 2,
        has_s: true,
        fa_len: 2,
        ea_len: 0,
        sa: ['a', "O'Reilly; DROP TABLE x --"],
        fa: [0.5, 2],
      });
    });

    test('a parameter without a value is an error', async () => {
      await assert.rejects(w.query('SELECT @missing AS m', {}));
    });

    test('deleteWhereIn deletes exactly the listed keys; an empty list deletes nothing', async () => {
      await w.upsert(contractItems, ['d1', 'd2', 'd3'].map((id) => ({ ...full, id })));
      await w.deleteWhereIn(contractItems, 'id', ['d1', 'd3', 'nope']);
      await w.deleteWhereIn(contractItems, 'id', []);
      const rows = await w.query(`SELECT id FROM ${t('contract_items')} WHERE id LIKE @p ORDER BY id`, { p: 'd%' });
      assert.deepEqual(rows, [{ id: 'd2' }]);
    });

    test('stream yields batches of the requested size and every row once', async () => {
      await w.append(contractLog, Array.from({ length: 25 }, (_, i) => ({ k: 'stream', n: i })));
      const sizes: number[] = [];
      const seen: number[] = [];
      for await (const batch of w.stream<{ n: number }>(`SELECT n FROM ${t('contract_log')} WHERE k = @k ORDER BY n`, { k: 'stream' }, 10)) {
        sizes.push(batch.length);
        seen.push(...batch.map((r) => r.n));
      }
      assert.deepEqual(sizes, [10, 10, 5]);
      assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => i));
    });

    test('dialect: localDate in Asia/Tokyo, dateTrunc week and month, day arithmetic', async () => {
      const d = w.dialect;
      const [row] = await w.query(
        `SELECT ${d.localDate(d.timestampParam('late'), 'Asia/Tokyo')} AS late_jst,
                ${d.localDate(d.timestampParam('early'), 'Asia/Tokyo')} AS early_jst,
                ${d.dateTrunc(d.dateParam('wed'), 'week')} AS week_start,
                ${d.dateTrunc(d.dateParam('wed'), 'month')} AS month_start,
                ${d.dateAddDays(d.dateParam('wed'), '@days')} AS plus,
                ${d.dateDiffDays(d.dateParam('wed'), "CAST('2024-02-28' AS DATE)")} AS diff,
                ${d.timestampDiffDays(d.timestampParam('late'), d.timestampParam('early'))} AS ts_diff,
                ${d.timestampAddDays(d.timestampParam('early'), '@days')} AS ts_plus`,
        { late: '2024-03-01T15:30:00.000Z', early: '2024-03-01T14:59:59.000Z', wed: '2024-03-06', days: 3 },
      );
      assert.deepEqual(row, {
        late_jst: '2024-03-02', // 00:30 JST on the next day
        early_jst: '2024-03-01', // 23:59:59 JST
        week_start: '2024-03-04', // ISO week: Monday
        month_start: '2024-03-01',
        plus: '2024-03-09',
        diff: 7,
        ts_diff: 1801 / 86400,
        ts_plus: '2024-03-04T14:59:59.000Z',
      });
    });

    test('dialect: dateSeries is inclusive and crosses a leap day', async () => {
      const d = w.dialect;
      const rows = await w.query(`SELECT d FROM ${d.dateSeries(d.dateParam('a'), d.dateParam('b'))} ORDER BY d`, { a: '2024-02-27', b: '2024-03-01' });
      assert.deepEqual(rows.map((r) => r.d), ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    });

    test('dialect: safeDivide, median, countIf, float, arrayContains, jsonString, jsonNumber', async () => {
      const d = w.dialect;
      await w.append(contractLog, [5, 1, 9, 3, 7].map((n) => ({ k: 'median', n })));
      const [agg] = await w.query(
        `SELECT ${d.median('n')} AS med, ${d.countIf('n > @min')} AS big, ${d.safeDivide('SUM(n)', '@zero')} AS by_zero,
                ${d.safeDivide('SUM(n)', 'COUNT(*)')} AS mean, ${d.float('MAX(n)')} AS mx
           FROM ${t('contract_log')} WHERE k = @k`,
        { k: 'median', min: 4, zero: 0 },
      );
      assert.deepEqual(agg, { med: 5, big: 3, by_zero: null, mean: 5, mx: 9 });
      const rows = await w.query(
        `SELECT id, ${d.jsonString('j', 'name')} AS name, ${d.jsonNumber('j', 'score')} AS score
           FROM ${t('contract_items')} WHERE ${d.arrayContains('tags', '@tag')} AND id = @id`,
        { tag: 'デザイン', id: 'a' },
      );
      assert.deepEqual(rows, [{ id: 'a', name: 'ワークシップ', score: 4.5 }]);
    });
    test('columnar: appendColumns writes arrays, constants and per-row values (thousands of rows), streamColumns reads them back', async () => {
      await w.migrate([contractColumns]);
      const N = 5000;
      const ids = Array.from({ length: N }, (_, i) => `r${String(i).padStart(5, '0')}`);
      const x = Float64Array.from({ length: N }, (_, i) => i / 7 - 100);
      const j = ids.map((_, i) => (i % 3 ? JSON.stringify([{ feature: 'f', label: '経験年数', contribution: i / 4 }]) : null));
      assert.equal(await w.appendColumns(contractColumns, N, { id: ids, x, n: x.map(Math.trunc), ts: { constant: '2024-03-01T12:34:56.789Z' }, j, note: { value: (i) => (i === 3000 ? '三千' : null) } }), N);
      assert.equal(await w.appendColumns(contractColumns, 0, { id: [], x: new Float64Array(0), n: new Float64Array(0), ts: { constant: null }, j: [], note: [] }), 0);
      await assert.rejects(w.appendColumns(contractColumns, 2, { id: ['a'], x: new Float64Array(2), n: new Float64Array(2), ts: { constant: null }, j: [null, null], note: [null, null] }), /1 values for 2 rows/);
      const rows = await w.query<{ id: string; x: number; n: number; ts: string; j: unknown; note: string | null }>(
        `SELECT * FROM ${t('contract_columns')} WHERE id IN (@a, @b) ORDER BY id`, { a: 'r00001', b: 'r03000' });
      assert.deepEqual(rows, [
        { id: 'r00001', x: 1 / 7 - 100, n: -99, ts: '2024-03-01T12:34:56.789Z', j: [{ feature: 'f', label: '経験年数', contribution: 0.25 }], note: null },
        { id: 'r03000', x: 3000 / 7 - 100, n: 328, ts: '2024-03-01T12:34:56.789Z', j: null, note: '三千' },
      ]);

      const got = { id: [] as (string | null)[], x: [] as number[], note: [] as (string | null)[] };
      for await (const b of w.streamColumns(`SELECT id, x, note FROM ${t('contract_columns')} ORDER BY id`, {}, { id: 'STRING', x: 'FLOAT64', note: 'STRING' })) {
        assert.equal(b.columns.x.length, b.rows);
        got.id.push(...b.columns.id);
        got.x.push(...b.columns.x);
        got.note.push(...b.columns.note);
      }
      assert.deepEqual(got.id, ids);
      assert.deepEqual(got.x, Array.from(x), 'doubles exactly');
      assert.deepEqual(got.note.flatMap((v, i) => (v === null ? [] : [[i, v]])), [[3000, '三千']], 'values made per row');

      await w.upsert(contractItems, [
        { ...full, id: 'col1', x: null, v: [0.1, 1e-300, -2.5, 1 / 3] },
        { ...full, id: 'col2', v: [] },
        { ...full, id: 'col3', x: 7.5, v: [3] },
      ]);
      const lists: number[][] = [];
      const xs: number[] = [];
      for await (const b of w.streamColumns(`SELECT id, x, v FROM ${t('contract_items')} WHERE id LIKE @p ORDER BY id`, { p: 'col%' }, { v: 'FLOAT64[]', x: 'FLOAT64' })) {
        for (let i = 0; i < b.rows; i++) lists.push(Array.from(b.columns.v.values.subarray(b.columns.v.offsets[i], b.columns.v.offsets[i + 1])));
        xs.push(...b.columns.x);
      }
      assert.deepEqual(lists, [[0.1, 1e-300, -2.5, 1 / 3], [], [3]]);
      assert.deepEqual(xs, [NaN, 3.25, 7.5], 'NULL reads as NaN');
    });
  });
}
