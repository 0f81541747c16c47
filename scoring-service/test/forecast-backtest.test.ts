import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { coreTables } from '../src/domain/tables.ts';
import { kpiTables } from '../src/kpi/tables.ts';
import { seedDemo, DEMO_NOW } from '../src/demo/generator.ts';
import { generateSyntheticEvents } from '../src/kpi/synthetic-duckdb.ts';
import { computeKpis, lastCompleteDay } from '../src/kpi/refresh.ts';
import { backtest } from '../src/forecast/backtest.ts';
import { MAIN_KPIS } from '../src/kpi/definitions.ts';
import { addDays } from '../src/forecast/series.ts';

// Rolling origin: 8 origins a week apart, 14 days ahead each (forecast/backtest.ts).

test('synthetic year (trend + weekly season, generated in DuckDB): every main KPI has MASE < 1 and beats seasonal naive', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate([...coreTables, ...kpiTables]);
    await generateSyntheticEvents(w, { start: '2025-11-01', days: 365, events: 200_000, freelancers: 20_000, companies: 2000, seed: 1 });
    const rows = await computeKpis(w, '2025-11-01', '2026-10-31');
    for (const k of MAIN_KPIS) {
      const bt = backtest(rows.map((r) => r[k.id] as number))!;
      assert.equal(bt.origins, 8);
      assert.ok(bt.mase < 1, `${k.id}: MASE ${bt.mase.toFixed(3)}`);
      assert.ok(bt.relativeMae !== null && bt.relativeMae < 1, `${k.id}: relative MAE ${bt.relativeMae}`);
    }
  } finally {
    await w.close();
  }
});

test('demo data (seedDemo, 600 freelancers, one year): every main KPI beats the seasonal-naive forecast out of sample', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate(allTables);
    await seedDemo(w, { freelancers: 600, annotations: 0, seed: 42 });
    const to = lastCompleteDay(DEMO_NOW);
    const rows = await computeKpis(w, addDays(to, -364), to);
    const figures: string[] = [];
    for (const k of MAIN_KPIS) {
      const bt = backtest(rows.map((r) => r[k.id] as number))!;
      figures.push(`${k.id} MASE ${bt.mase.toFixed(3)} rel ${bt.relativeMae?.toFixed(3)}`);
      assert.ok(bt.relativeMae !== null && bt.relativeMae < 1, `${k.id}: relative MAE ${bt.relativeMae}`);
      assert.ok(bt.mase < bt.maseSeasonalNaive, `${k.id}`);
    }
    console.log(`# demo backtest: ${figures.join('; ')}`);
  } finally {
    await w.close();
  }
});
