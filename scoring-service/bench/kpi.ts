/**
 * KPI benchmark (`npm run bench kpi`): the full KPI query over a year of 10 million events
 * on DuckDB (bar: ≤ 5 s), events generated inside DuckDB with SQL. Reference measured in the
 * same run: one GROUP BY scan of the events table. Also one-day incremental refresh time,
 * and the forecast backtest (MASE per main KPI) on demo data and on the synthetic year.
 * Writes bench-results/kpi.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { generateSyntheticEvents } from '../src/kpi/synthetic-duckdb.ts';
import { computeKpis, lastCompleteDay } from '../src/kpi/refresh.ts';
import { MAIN_KPIS, NUMERIC_KPIS, type KpiRow } from '../src/kpi/definitions.ts';
import { backtest } from '../src/forecast/backtest.ts';
import { addDays } from '../src/forecast/series.ts';
import { seedDemo, DEMO_NOW } from '../src/demo/generator.ts';

// `--events N` and `--demo-freelancers N` shrink the run for a quick look (CLI flags; only
// config.ts reads the environment).
function flag(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${name} must be a positive integer`);
  return v;
}
const EVENTS = flag('events', 10_000_000);
const DEMO_FREELANCERS = flag('demo-freelancers', 5000);
const BAR_SECONDS = 5;
const START = '2025-11-01';
const END = addDays(START, 364);

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t) / 1e9 };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function backtests(rows: KpiRow[], kpis = NUMERIC_KPIS) {
  const out: Record<string, { mase: number; relative_mae: number | null; mase_seasonal_naive: number; coverage80: number; main: boolean } | null> = {};
  for (const k of kpis) {
    const y = rows.map((r) => r[k.id]);
    const bt = y.every((v) => typeof v === 'number') ? backtest(y as number[]) : null;
    out[k.id] = bt && { mase: round(bt.mase), relative_mae: roundOrNull(bt.relativeMae), mase_seasonal_naive: round(bt.maseSeasonalNaive), coverage80: round(bt.coverage80), main: k.main };
  }
  return out;
}
const round = (x: number) => Math.round(x * 1000) / 1000;
const roundOrNull = (x: number | null) => (x === null ? null : round(x));

async function main() {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  await w.migrate(allTables);
  const gen = await timed(() => generateSyntheticEvents(w, { start: START, days: 365, events: EVENTS, freelancers: 200_000, companies: 20_000, seed: 7 }));
  // Freelancer profiles for the completion-rate KPI, also generated in SQL.
  await w.execute(`INSERT INTO freelancers SELECT 'f' || i, 'エンジニア', CASE WHEN i % 5 = 0 THEN [] ELSE ['TypeScript'] END, 3, repeat('あ', CAST(i % 200 AS INTEGER)),
    CASE WHEN i % 3 = 0 THEN [] ELSE ['https://example.com'] END, 4000, 3, '東京都', true, i % 4 <> 0,
    TIMESTAMP '2024-01-01 00:00:00' + to_seconds(CAST(i * 157 AS BIGINT)), TIMESTAMP '2025-01-01', NULL FROM range(200000) t(i)`);
  const [{ n }] = await w.query<{ n: number }>('SELECT COUNT(*) AS n FROM events');
  console.log(`generated ${n.toLocaleString()} events in ${gen.seconds.toFixed(1)} s (SQL, generate_series/range)`);

  const scan: number[] = [];
  const full: number[] = [];
  let rows: KpiRow[] = [];
  for (let i = 0; i < 3; i++) {
    scan.push((await timed(() => w.query('SELECT event_type, actor_type, COUNT(DISTINCT actor_id) AS a, COUNT(*) AS c FROM events GROUP BY 1, 2'))).seconds);
    const r = await timed(() => computeKpis(w, START, END));
    full.push(r.seconds);
    rows = r.value;
  }
  const oneDay: number[] = [];
  for (let i = 0; i < 3; i++) oneDay.push((await timed(() => computeKpis(w, END, END))).seconds);
  await w.close();
  const fullS = median(full);
  console.log(`full KPI computation (${rows.length} days × ${NUMERIC_KPIS.length + 1} KPIs): median ${fullS.toFixed(2)} s (runs ${full.map((s) => s.toFixed(2)).join(', ')}); bar ≤ ${BAR_SECONDS} s → ${fullS <= BAR_SECONDS ? 'PASS' : 'FAIL'}`);
  console.log(`reference scan (GROUP BY with COUNT DISTINCT over all events): ${median(scan).toFixed(2)} s; ratio ${(fullS / median(scan)).toFixed(2)}×`);
  console.log(`incremental refresh of one day (reads 30 days for MAU): ${median(oneDay).toFixed(3)} s (${(median(oneDay) / fullS * 100).toFixed(1)}% of the full year)`);
  const synthetic = backtests(rows, MAIN_KPIS);

  const dw = new DuckdbWarehouse({ file: ':memory:' });
  await dw.migrate(allTables);
  const seeded = await timed(() => seedDemo(dw, { freelancers: DEMO_FREELANCERS, annotations: 0, seed: 42 }));
  const to = lastCompleteDay(DEMO_NOW);
  const demoRows = await computeKpis(dw, addDays(to, -364), to);
  await dw.close();
  const demo = backtests(demoRows);
  console.log(`\nbacktest on demo data (${DEMO_FREELANCERS} freelancers, ${seeded.value.events.toLocaleString()} events; 8 origins × 14 days):`);
  console.log('  KPI                               MASE   MAE÷seasonal-naive MAE   seasonal-naive MASE   80% coverage');
  for (const [id, b] of Object.entries(demo)) if (b) console.log(`  ${(id + (b.main ? ' *' : '')).padEnd(34)} ${b.mase.toFixed(3)}  ${(b.relative_mae?.toFixed(3) ?? '—').padStart(22)}  ${b.mase_seasonal_naive.toFixed(3).padStart(20)}  ${b.coverage80.toFixed(3).padStart(13)}`);

  const result = {
    benchmark: 'kpi',
    machine: { cores: (await import('node:os')).cpus().length },
    events: n,
    days: rows.length,
    generate_seconds: round(gen.seconds),
    full_kpi_seconds: { median: round(fullS), runs: full.map(round) },
    bar_seconds: BAR_SECONDS,
    pass: fullS <= BAR_SECONDS,
    reference_scan_seconds: round(median(scan)),
    ratio_to_scan: round(fullS / median(scan)),
    one_day_refresh_seconds: round(median(oneDay)),
    backtest: { method: 'additive damped Holt-Winters (m=7), rolling origin: 8 origins 7 days apart, horizon 14', demo: { freelancers: DEMO_FREELANCERS, events: seeded.value.events, kpis: demo }, synthetic_10m: synthetic },
  };
  const out = path.resolve('bench-results/kpi.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwrote ${out}`);
  if (!result.pass) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
