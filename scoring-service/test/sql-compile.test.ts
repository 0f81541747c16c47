import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { seedDemo, DEMO_NOW } from '../src/demo/generator.ts';
import { trueQuality } from '../src/demo/hidden-rule.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { activitySummaries } from '../src/features/activity.ts';
import { fitScoringModel } from '../src/model/scoring-model.ts';
import { createLiveModel } from '../src/model/live-model.ts';
import { compileScoringSql, scoreInWarehouse, snapshotOf } from '../src/training/sql-compile.ts';
import { bigqueryDialect } from '../src/warehouse/dialects/bigquery.ts';
import type { Freelancer } from '../src/domain/types.ts';

test('the compiled SQL (SQL features + materialised text features) scores every freelancer as the TypeScript scorer does, within 1e-9', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate(allTables);
    await seedDemo(w, { freelancers: 400, annotations: 0, seed: 5, now: DEMO_NOW });
    const f = await loadFeaturizer();
    const fl = await w.query<Freelancer>(`SELECT * FROM ${w.dialect.table('freelancers')} ORDER BY id`);
    const activity = await activitySummaries(w, 'all', DEMO_NOW);
    const snaps = fl.map((x) => snapshotOf(x, activity.get(x.id) ?? null));
    const X = snaps.map((s) => f.featurize(s));
    const y = snaps.map((s) => trueQuality(s));
    // A selection that mixes SQL-computable and text/behaviour features, like a real model.
    const names = f.spec.features.map((d) => d.name);
    const selected = names.filter((_, j) => X.some((r) => r[j] !== X[0][j]));
    const { model } = fitScoringModel(X, y, f.spec, { alpha: 1, selected, version: 'm-sql', now: DEMO_NOW, calibrate: 'always' });
    assert.ok(model.calibration && model.calibration.knots.length >= 3, 'the compiled score goes through a spline calibration');
    const compiled = compileScoringSql(model, f, w.dialect);
    assert.ok(compiled.sql.includes('POWER(GREATEST((raw)'), 'the calibration is compiled into the score');
    assert.ok(compiled.sqlFeatures.length >= 10, 'profile features compile to SQL');
    assert.ok(compiled.tableFeatures.length >= 10, 'text and behaviour features come from the feature table');
    assert.ok(compiled.sqlFeatures.includes('years_log') && compiled.tableFeatures.includes('numbers_log'));

    const rows = await scoreInWarehouse(w, model, f, DEMO_NOW);
    assert.equal(rows.length, fl.length);
    const live = createLiveModel(model, f);
    const byId = new Map(rows.map((r) => [r.freelancer_id, r]));
    let maxDiff = 0;
    fl.forEach((x, i) => {
      const e = live.explain(snaps[i]);
      const r = byId.get(x.id)!;
      assert.ok(r.raw !== null, `raw score for ${x.id}`);
      maxDiff = Math.max(maxDiff, Math.abs(r.raw - e.raw), Math.abs(r.score - e.score));
    });
    assert.ok(maxDiff <= 1e-9, `max |SQL − TypeScript| = ${maxDiff}`);
    // Scores vary (the test would pass trivially on a constant model otherwise).
    assert.ok(new Set(rows.map((r) => r.score.toFixed(3))).size > 50);
  } finally {
    await w.close();
  }
});

test('the same model compiles for BigQuery with its dialect (FLOAT64 casts, ARRAY_LENGTH, qualified tables)', async () => {
  const f = await loadFeaturizer();
  const names = f.spec.features.map((d) => d.name);
  const X = Array.from({ length: 20 }, (_, i) => Float64Array.from(names, (_, j) => ((i * 7 + j * 3) % 11) / 3));
  const { model } = fitScoringModel(X, X.map((r) => 2 + r[0] / 10), f.spec, { alpha: 1, selected: ['years', 'skill_count', 'numbers_log'] });
  const d = bigqueryDialect('p', 'ds');
  const c = compileScoringSql(model, f, d);
  assert.match(c.sql, /CAST\('[-0-9.e]+' AS FLOAT64\)/);
  assert.match(c.sql, /ARRAY_LENGTH/);
  assert.match(c.sql, /`p\.ds\.freelancers`/);
  assert.deepEqual(c.tableFeatures, ['numbers_log']);
});
