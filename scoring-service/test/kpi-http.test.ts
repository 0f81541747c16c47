import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { startTestService, TOKENS, type TestService } from './helpers/http.ts';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { KPIS } from '../src/kpi/definitions.ts';
import { runCli } from '../src/cli/index.ts';
import { EXPECTED, jst, loadKpiDataset } from './kpi-dataset.ts';

describe('KPI API and dev page', () => {
  let svc: TestService;
  before(async () => {
    const w = new DuckdbWarehouse({ file: ':memory:' });
    await w.migrate(allTables);
    await loadKpiDataset(w);
    svc = await startTestService({ warehouse: w, now: () => new Date(jst('2026-03-04 08:00')) });
  });
  after(async () => {
    await svc.close();
  });

  test('GET /v1/kpis returns the hand-computed rows and forecasts to a scorer', async () => {
    const r = await svc.call('GET', '/v1/kpis?from=2026-03-01&to=2026-03-03', { token: TOKENS.scorer });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.time_zone, 'Asia/Tokyo');
    assert.deepEqual(r.body.kpis.map((k: { id: string }) => k.id), KPIS.map((k) => k.id));
    assert.deepEqual(r.body.rows.map((x: { date: string }) => x.date), ['2026-03-01', '2026-03-02', '2026-03-03']);
    for (const k of KPIS) {
      r.body.rows.forEach((row: Record<string, unknown>, i: number) => {
        const want = EXPECTED[k.id][i];
        if (typeof want === 'number') assert.ok(Math.abs((row[k.id] as number) - want) < 1e-12, `${k.id} ${i}`);
        else assert.equal(row[k.id], want, `${k.id} ${i}`);
      });
    }
    // History since 01-20 (43 days ≥ 28): count KPIs get a 90-day band; 3 days of median score do not.
    const f = r.body.forecasts.new_freelancers;
    assert.equal(f.dates.length, 90);
    assert.equal(f.dates[0], '2026-03-04');
    assert.equal(f.level, 0.8);
    assert.equal(r.body.forecasts.median_model_score, null);
    assert.equal(r.body.refreshed.to, '2026-03-03');
  });

  test('defaults to the 90 days ending yesterday (Asia/Tokyo)', async () => {
    const r = await svc.call('GET', '/v1/kpis', { token: TOKENS.scorer });
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.from, r.body.to], ['2025-12-04', '2026-03-03']);
  });

  test('bad dates answer 400 naming from or to', async () => {
    for (const [q, field] of [['from=2026-02-30&to=2026-03-01', 'from'], ['from=2026-03-01&to=yesterday', 'to'], ['from=2026-03-05&to=2026-03-01', 'from']]) {
      const r = await svc.call('GET', `/v1/kpis?${q}`, { token: TOKENS.scorer });
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error.code, 'invalid_argument');
      assert.equal(r.body.error.details.field, field, q);
    }
  });

  test('without a token: 401; refresh needs admin', async () => {
    assert.equal((await svc.call('GET', '/v1/kpis', { token: null })).status, 401);
    assert.equal((await svc.call('POST', '/v1/kpis/refresh', { token: TOKENS.scorer, body: {} })).status, 403);
    const inc = await svc.call('POST', '/v1/kpis/refresh', { body: {} });
    assert.deepEqual(inc.body, { from: null, to: null, days: 0 });
    const back = await svc.call('POST', '/v1/kpis/refresh', { body: { from: '2026-03-01', to: '2026-03-03' } });
    assert.deepEqual(back.body, { from: '2026-03-01', to: '2026-03-03', days: 3 });
    assert.equal((await svc.call('POST', '/v1/kpis/refresh', { body: { from: '2026-03-01' } })).body.error.details.field, 'to');
  });

  test('GET /dev/kpi renders the dashboard with SVG charts; /dev/kpi.xlsx is a workbook', async () => {
    const r = await svc.call('GET', '/dev/kpi', { token: null });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    assert.match(r.text, /<h2>ダッシュボード<\/h2>/);
    assert.match(r.text, /<svg class="chart"/);
    assert.match(r.text, /新規フリーランス登録/);
    const x = await fetch(`${svc.url}/dev/kpi.xlsx`);
    assert.equal(x.status, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await x.arrayBuffer());
    assert.ok(wb.getWorksheet('KPI_daily'));
  });
});

test('cli kpi export --xlsx writes the layout from a DuckDB file when no service runs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-cli-'));
  try {
    const file = path.join(dir, 'w.duckdb');
    const w = new DuckdbWarehouse({ file });
    await w.migrate(allTables);
    await loadKpiDataset(w);
    await w.close();
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const env = { DATA_DIR: dir, DUCKDB_FILE: file };
    const xlsx = path.join(dir, 'kpi.xlsx');
    assert.equal(await runCli(['kpi', 'export', '--xlsx', xlsx], io, env), 0, out.join('\n'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    assert.deepEqual(wb.worksheets.map((s) => s.name), ['ダッシュボード', 'KPI_daily', '予測', '説明']);
    assert.equal(await runCli(['kpi', 'backfill', '--from', '2026-03-01'], io, env), 2);
    assert.equal(await runCli(['kpi', 'export'], io, env), 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
