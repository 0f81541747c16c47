import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import type { TableDef } from '../src/domain/table.ts';

const scores: TableDef = {
  name: 'replace_scores',
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: 'STRING' },
    { name: 'v', type: 'STRING', nullable: false },
    { name: 'x', type: 'FLOAT64', nullable: false },
    { name: 'j', type: 'JSON' },
  ],
};

const lists: TableDef = {
  name: 'many_lists',
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: 'STRING' },
    { name: 'v', type: 'FLOAT64[]' },
  ],
};

type Column = { column_name: string; column_type: string; null: string; key: string | null };

test('replaceColumns swaps every row at once and keeps the table definition: same columns, NOT NULL, primary key enforced', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate([scores]);
    const before = await w.query<Column>(`DESCRIBE ${w.dialect.table(scores.name)}`);
    await w.appendColumns(scores, 3, { id: ['a', 'b', 'c'], v: { constant: 'old' }, x: Float64Array.of(1, 2, 3), j: [null, null, null] });
    const N = 5000;
    const ids = Array.from({ length: N }, (_, i) => `n${String(i).padStart(5, '0')}`);
    const x = Float64Array.from({ length: N }, (_, i) => i / 3);
    assert.equal(await w.replaceColumns!(scores, N, { id: ids, v: { constant: 'new' }, x, j: { value: (i) => (i % 2 ? JSON.stringify([{ f: '経験', c: i }]) : null) } }), N);

    const rows = await w.query<{ id: string; v: string; x: number; j: unknown }>(`SELECT * FROM ${w.dialect.table(scores.name)} ORDER BY id`);
    assert.equal(rows.length, N, 'the old rows are gone, the new ones all there');
    assert.deepEqual(rows[1], { id: 'n00001', v: 'new', x: 1 / 3, j: [{ f: '経験', c: 1 }] });
    assert.deepEqual(await w.query<Column>(`DESCRIBE ${w.dialect.table(scores.name)}`), before, 'same columns, types, nullability and key');
    await assert.rejects(w.execute(`INSERT INTO ${w.dialect.table(scores.name)} VALUES ('n00007', 'dup', 0, NULL)`), /[Dd]uplicate key|PRIMARY KEY|constraint/i);
    await assert.rejects(w.execute(`INSERT INTO ${w.dialect.table(scores.name)} VALUES (NULL, 'x', 0, NULL)`), /NOT NULL/i);
    // Replacing again (a full table, as the daily batch finds it) works the same way.
    assert.equal(await w.replaceColumns!(scores, 2, { id: ['p', 'q'], v: { constant: 'third' }, x: Float64Array.of(5, 6), j: [null, '[]'] }), 2);
    assert.deepEqual(await w.query(`SELECT id, v FROM ${w.dialect.table(scores.name)} ORDER BY id`), [{ id: 'p', v: 'third' }, { id: 'q', v: 'third' }]);
  } finally {
    await w.close();
  }
});

test('replaceColumns with duplicate or missing keys changes nothing: the old rows stay', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate([scores]);
    await w.appendColumns(scores, 2, { id: ['a', 'b'], v: { constant: 'old' }, x: Float64Array.of(1, 2), j: [null, null] });
    await assert.rejects(w.replaceColumns!(scores, 3, { id: ['p', 'q', 'p'], v: { constant: 'new' }, x: new Float64Array(3), j: [null, null, null] }), /[Dd]uplicate|PRIMARY KEY|constraint/i);
    await assert.rejects(w.replaceColumns!(scores, 2, { id: ['p', null], v: { constant: 'new' }, x: new Float64Array(2), j: [null, null] }), /NOT NULL|constraint/i);
    await assert.rejects(w.replaceColumns!(scores, 2, { id: ['p'], v: { constant: 'new' }, x: new Float64Array(2), j: [null, null] }), /1 values for 2 rows/);
    assert.deepEqual(await w.query(`SELECT id, v FROM ${w.dialect.table(scores.name)} ORDER BY id`), [{ id: 'a', v: 'old' }, { id: 'b', v: 'old' }]);
    const tables = await w.query<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() ORDER BY table_name`);
    assert.deepEqual(tables.map((t) => t.table_name), ['replace_scores'], 'no staging table left behind');
  } finally {
    await w.close();
  }
});

test('streamColumns reads lists across many chunks exactly (NULL and empty lists between full ones) and can be left early', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate([lists]);
    const N = 9000; // several 2048-row chunks
    const expected = Array.from({ length: N }, (_, i) => (i % 11 === 0 ? null : Array.from({ length: i % 7 }, (_, k) => i + k / 8)));
    await w.upsert(lists, expected.map((v, i) => ({ id: `l${String(i).padStart(5, '0')}`, v })));
    const got: number[][] = [];
    let batches = 0;
    for await (const b of w.streamColumns(`SELECT id, v FROM ${w.dialect.table(lists.name)} ORDER BY id`, {}, { v: 'FLOAT64[]' })) {
      batches++;
      for (let i = 0; i < b.rows; i++) got.push(Array.from(b.columns.v.values.subarray(b.columns.v.offsets[i], b.columns.v.offsets[i + 1])));
    }
    assert.ok(batches >= 4, `${batches} batches`);
    assert.deepEqual(got, expected.map((v) => v ?? []), 'NULL reads as []');
    // Stopping after the first batch (a fetch of the next one is under way) leaves the warehouse usable.
    for await (const b of w.streamColumns(`SELECT id, v FROM ${w.dialect.table(lists.name)} ORDER BY id`, {}, { v: 'FLOAT64[]' })) {
      assert.ok(b.rows > 0);
      break;
    }
    assert.deepEqual(await w.query(`SELECT COUNT(*) AS n FROM ${w.dialect.table(lists.name)}`), [{ n: N }]);
  } finally {
    await w.close();
  }
});
