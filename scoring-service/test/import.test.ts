/** `cli import`: NDJSON and CSV files, every bad row reported by line and field, nothing written on error, idempotent. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/cli/index.ts';
import { writeServiceFile, removeServiceFile } from '../src/cli/service-link.ts';
import { loadConfig } from '../src/config.ts';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { freelancers } from '../src/domain/tables.ts';
import { parseImportFile } from '../src/importer/parse.ts';
import { startTestService, TOKEN_SPEC, type TestService } from './helpers/http.ts';

const base = {
  occupation: 'デザイナー',
  skills: ['Figma', 'Illustrator'],
  years_experience: 4,
  self_intro: 'UIデザインを中心に、4年間で20件以上のアプリを担当しました。',
  portfolio_urls: ['https://example.com/a'],
  hourly_rate_jpy: 3500,
  availability_days_per_week: 2.5,
  prefecture: '大阪府',
  remote_ok: true,
  has_photo: false,
  registered_at: '2024-01-01T00:00:00.000Z',
  updated_at: '2024-02-01T00:00:00.000Z',
  last_login_at: null,
};

let dir: string;
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

async function cli(args: string[], dataDir: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, { DATA_DIR: dataDir, ...env });
  return { code, out, err };
}

/** Reads the CLI's DuckDB file after the command closed it. */
async function rows(dataDir: string, sql: string) {
  const w = new DuckdbWarehouse({ file: path.join(dataDir, 'workship.duckdb') });
  try {
    return await w.query(sql);
  } finally {
    await w.close();
  }
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workship-import-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cli import into a DuckDB file (no service running)', () => {
  test('imports a good NDJSON file, and re-importing the same ids replaces instead of duplicating', async () => {
    const data = path.join(dir, 'data-good');
    const file = write('good.ndjson', ndjson([{ ...base, id: 'f1' }, { ...base, id: 'f2', skills: [] }]));
    const first = await cli(['import', 'freelancers', file], data);
    assert.equal(first.code, 0, first.err.join('\n'));
    assert.match(first.out.join('\n'), /2 行を取り込みました/);
    const again = write('again.ndjson', ndjson([{ ...base, id: 'f2', hourly_rate_jpy: 9000 }, { ...base, id: 'f1' }]));
    assert.equal((await cli(['import', 'freelancers', again], data)).code, 0);
    assert.deepEqual(await rows(data, 'SELECT id, hourly_rate_jpy, skills FROM freelancers ORDER BY id'), [
      { id: 'f1', hourly_rate_jpy: 3500, skills: ['Figma', 'Illustrator'] },
      { id: 'f2', hourly_rate_jpy: 9000, skills: ['Figma', 'Illustrator'] },
    ]);
  });

  test('reports every bad row with its line and field, and imports nothing when any row is bad', async () => {
    const data = path.join(dir, 'data-bad');
    assert.equal((await cli(['import', 'freelancers', write('before.ndjson', ndjson([{ ...base, id: 'before' }]))], data)).code, 0);
    const file = write(
      'bad.ndjson',
      [
        JSON.stringify({ ...base, id: 'ok1' }),
        '',
        JSON.stringify({ ...base, id: 'b1', years_experience: 'five' }),
        JSON.stringify({ ...base, id: 'b2', occupation: undefined, nickname: 'x' }),
        '{not json',
        JSON.stringify({ ...base, id: 'b3', hourly_rate_jpy: -1 }),
        JSON.stringify({ ...base, id: 'ok2' }),
      ].join('\n') + '\n',
    );
    const r = await cli(['import', 'freelancers', file], data);
    assert.equal(r.code, 1);
    assert.deepEqual(r.err.slice(0, -1), [
      'line 3: years_experience: must be a finite number',
      'line 4: nickname: is not a column of freelancers',
      'line 4: occupation: is required',
      'line 5: (row): is not valid JSON (' + (() => { try { JSON.parse('{not json'); } catch (e) { return (e as Error).message; } })() + ')',
      'line 6: hourly_rate_jpy: must be between 0 and 1000000',
    ]);
    assert.match(r.err.at(-1)!, /4 bad row\(s\) of 6; nothing was imported/);
    assert.deepEqual(await rows(data, 'SELECT id FROM freelancers'), [{ id: 'before' }]);
  });

  test('CSV: header is line 1, arrays are ;-separated, JSON columns hold JSON text, quoted cells may contain commas', async () => {
    const data = path.join(dir, 'data-csv');
    const events = write(
      'events.csv',
      [
        'event_id,event_time,event_type,actor_type,actor_id,target_type,target_id,properties',
        'e1,2024-03-01T10:00:00Z,interest,company,c1,freelancer,f1,"{""job_id"": ""j1"", ""note"": ""急ぎ, 東京""}"',
        'e2,2024-03-01 11:00:00,login,freelancer,f1,,,',
      ].join('\n') + '\n',
    );
    const fl = write(
      'freelancers.csv',
      [
        'id,occupation,skills,years_experience,self_intro,portfolio_urls,hourly_rate_jpy,availability_days_per_week,prefecture,remote_ok,has_photo,registered_at,updated_at,last_login_at',
        'c1,ライター,SEO; 取材 ;編集,3,"はじめまして、ライターです。",https://a.example;https://b.example,2500,,東京都,true,0,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z,',
      ].join('\n') + '\n',
    );
    assert.equal((await cli(['import', 'events', events], data)).code, 0);
    assert.equal((await cli(['import', 'freelancers', fl], data)).code, 0);
    assert.deepEqual(await rows(data, 'SELECT event_id, event_time, target_id, properties FROM events ORDER BY event_id'), [
      { event_id: 'e1', event_time: '2024-03-01T10:00:00.000Z', target_id: 'f1', properties: { job_id: 'j1', note: '急ぎ, 東京' } },
      { event_id: 'e2', event_time: '2024-03-01T11:00:00.000Z', target_id: null, properties: null },
    ]);
    assert.deepEqual(await rows(data, 'SELECT skills, portfolio_urls, availability_days_per_week, remote_ok, has_photo FROM freelancers'), [
      { skills: ['SEO', '取材', '編集'], portfolio_urls: ['https://a.example', 'https://b.example'], availability_days_per_week: null, remote_ok: true, has_photo: false },
    ]);
  });

  test('CSV line numbers count the header; bad JSON text and unknown header columns are reported', async () => {
    const file = write(
      'jobs.csv',
      [
        'id,company_id,title,occupation,skills,hourly_rate_min_jpy,hourly_rate_max_jpy,posted_at,colour',
        'j1,c1,LP制作,デザイナー,Figma,3000,5000,2024-01-01T00:00:00Z,red',
        'j2,c1,記事執筆,ライター,,6000,5000,yesterday,blue',
      ].join('\n') + '\n',
    );
    const parsed = await parseImportFile((await import('../src/domain/tables.ts')).jobs, file, 'csv');
    assert.deepEqual(parsed.issues, [
      { line: 1, field: 'colour', message: 'is not a column of jobs' },
      { line: 3, field: 'posted_at', message: 'must be an ISO-8601 timestamp' },
    ]);
    assert.deepEqual(parsed.rows, []);
    const ev = write('ev.csv', 'event_id,event_time,event_type,actor_type,actor_id,properties\ne1,2024-01-01T00:00:00Z,login,freelancer,f1,{oops\n');
    const p2 = await parseImportFile((await import('../src/domain/tables.ts')).events, ev, 'csv');
    assert.deepEqual(p2.issues, [{ line: 2, field: 'properties', message: 'is not valid JSON text' }]);
  });

  test('usage errors exit 2: unknown table, unknown extension', async () => {
    assert.equal((await cli(['import', 'model_versions', write('x.ndjson', '')], path.join(dir, 'u'))).code, 2);
    assert.equal((await cli(['import', 'freelancers', write('x.txt', '')], path.join(dir, 'u'))).code, 2);
  });
});

describe('cli import while the service holds the database', () => {
  let svc: TestService;
  const dataDir = () => path.join(dir, 'data-service');
  before(async () => {
    svc = await startTestService();
    writeServiceFile(loadConfig({ DATA_DIR: dataDir() }), svc.port);
  });
  after(async () => {
    removeServiceFile(loadConfig({ DATA_DIR: dataDir() }));
    await svc.close();
  });

  test('sends the validated rows to POST /v1/admin/import/:table and they land in the service warehouse', async () => {
    const file = write('svc.ndjson', ndjson([{ ...base, id: 's1' }, { ...base, id: 's2' }]));
    const r = await cli(['import', 'freelancers', file], dataDir(), { API_TOKENS: TOKEN_SPEC });
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.match(r.out[0], /実行中のサービス経由/);
    assert.deepEqual(await svc.ctx.warehouse.query(`SELECT id FROM ${svc.ctx.warehouse.dialect.table(freelancers.name)} ORDER BY id`), [{ id: 's1' }, { id: 's2' }]);
  });
});

test('rows for the service are split into NDJSON parts under the body limit, no row split or lost', async () => {
  const { ndjsonParts } = await import('../src/cli/commands/import.ts');
  const rows = Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, pad: 'x'.repeat(90) }));
  const parts = ndjsonParts(rows, 350);
  assert.ok(parts.length > 1);
  for (const p of parts) assert.ok(Buffer.byteLength(p) <= 350);
  assert.deepEqual(parts.join('').trim().split('\n').map((l) => JSON.parse(l)), rows);
});
