/** Unit features for the uplift models, from demo freelancers and events (seeded, :memory: DuckDB). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { seedDemo, DEMO_NOW } from '../src/demo/generator.ts';
import { EVENT_TYPES } from '../src/domain/tables.ts';
import { createExperiment } from '../src/experiments/service.ts';
import { loadUnitFeatures, unitFeatureNames } from '../src/experiments/unit-features.ts';
import type { Freelancer } from '../src/domain/types.ts';

test('every freelancer gets its profile columns and pre-period event counts as of the start', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate(allTables);
    await seedDemo(w, { freelancers: 300, annotations: 0, seed: 5, now: DEMO_NOW });
    const start = new Date(DEMO_NOW.getTime() - 20 * 86_400_000).toISOString();
    const e = await createExperiment(w, { id: 'f1', name: 'n', goal_metric: 'match', start_at: start, pre_period_days: 60 }, DEMO_NOW, 't');
    const f = await loadUnitFeatures(w, e, DEMO_NOW);
    assert.deepEqual(f.names, unitFeatureNames('freelancer'));
    const fl = await w.query<Freelancer>(`SELECT * FROM ${w.dialect.table('freelancers')} ORDER BY id`);
    assert.equal(f.ids.length, fl.length);
    const col = (n: string) => f.names.indexOf(n);
    for (const x of fl.slice(0, 25)) {
      const row = f.rows[f.index.get(x.id)!];
      assert.equal(row[col('has_profile')], 1);
      assert.equal(row[col('skill_count')], x.skills.length);
      assert.equal(row[col('years_experience')], x.years_experience);
      assert.equal(row[col('self_intro_chars')], [...x.self_intro].length);
      assert.equal(row[col('has_photo')], x.has_photo ? 1 : 0);
      assert.ok(Math.abs(row[col('tenure_days')] - (Date.parse(start) - Date.parse(x.registered_at)) / 86_400_000) < 1e-6);
    }
    // Event counts: only events before the start and inside the pre-period window.
    const pre = new Date(Date.parse(start) - 60 * 86_400_000).toISOString();
    const counts = await w.query<{ actor_id: string; event_type: string; n: number }>(
      `SELECT actor_id, event_type, COUNT(*) AS n FROM ${w.dialect.table('events')} WHERE actor_type = 'freelancer' AND event_time >= CAST(@pre AS TIMESTAMP) AND event_time < CAST(@start AS TIMESTAMP) GROUP BY 1, 2`,
      { pre, start },
    );
    assert.ok(counts.length > 0, 'the demo has freelancer events in the window');
    for (const c of counts.slice(0, 50)) assert.equal(f.rows[f.index.get(c.actor_id)!][col(`pre_${c.event_type}`)], Number(c.n), `${c.actor_id} ${c.event_type}`);
    assert.equal(EVENT_TYPES.filter((t) => f.rows.some((r) => r[col(`pre_${t}`)] > 0)).length > 1, true);
  } finally {
    await w.close();
  }
});
