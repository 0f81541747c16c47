/** `cli ddl`: every table's DDL per dialect (the README's BigQuery set-up uses its output). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../src/cli/index.ts';
import { allTables } from '../src/domain/all-tables.ts';

async function ddl(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['ddl', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) }, { DATA_DIR: '/tmp/workship-test-unused', ...env });
  return { code, text: out.join('\n'), err };
}

test('ddl --dialect bigquery qualifies every table and partitions/clusters events', async () => {
  const r = await ddl(['--dialect', 'bigquery'], { BQ_PROJECT: 'my-proj', BQ_DATASET: 'workship' });
  assert.equal(r.code, 0);
  for (const t of allTables) assert.ok(r.text.includes(`CREATE TABLE IF NOT EXISTS \`my-proj.workship.${t.name}\``), t.name);
  assert.match(r.text, /`my-proj\.workship\.events` \([^;]*\)\nPARTITION BY DATE\(`event_time`\)\nCLUSTER BY `event_type`;/);
  assert.match(r.text, /`skills` ARRAY<STRING>,/);
});

test('ddl defaults to the configured warehouse (DuckDB) with primary keys', async () => {
  const r = await ddl([]);
  assert.equal(r.code, 0);
  assert.match(r.text, /CREATE TABLE IF NOT EXISTS "freelancers" \([^;]*PRIMARY KEY \("id"\)\n\);/);
  assert.ok(!r.text.includes('PARTITION BY'));
});

test('ddl rejects an unknown dialect with exit 2', async () => {
  assert.equal((await ddl(['--dialect', 'postgres'])).code, 2);
});
