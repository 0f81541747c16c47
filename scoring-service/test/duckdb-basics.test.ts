import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toDuckdbPlaceholders } from '../src/warehouse/duckdb.ts';

test('placeholders outside string literals become $name; literals stay untouched', () => {
  assert.equal(toDuckdbPlaceholders(`select '@x' as a, "@y" as b where id = @id`), `select '@x' as a, "@y" as b where id = $id`);
});
