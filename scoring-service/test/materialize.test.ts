import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { coreTables, freelancers } from '../src/domain/tables.ts';
import { featuresTables } from '../src/features/tables.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { fitScoringModel } from '../src/model/scoring-model.ts';
import { createLiveModel } from '../src/model/live-model.ts';
import { percentileOf } from '../src/model/distribution.ts';
import { loadScoreTable, materializeScores } from '../src/scores/materialize.ts';
import { inlinePool, workerPool } from '../src/scores/featurize-pool.ts';
import { activitySummaries } from '../src/features/activity.ts';
import type { Freelancer } from '../src/domain/types.ts';

const OCCS = ['エンジニア', 'デザイナー', 'ライター'];
function freelancer(i: number, over: Partial<Freelancer> = {}): Freelancer {
  return {
    id: `f${String(i).padStart(3, '0')}`, occupation: OCCS[i % 3], skills: [['React', 'AWS'], ['Figma'], ['SEO', '取材']][i % 3], years_experience: i % 12,
    self_intro: `${i % 7 + 1}年間、実績を積みました。`.repeat(1 + (i % 5)), portfolio_urls: [], hourly_rate_jpy: 2500 + 100 * i, availability_days_per_week: 3,
    prefecture: '東京都', remote_ok: i % 2 === 0, has_photo: i % 3 === 0, registered_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-06-01T00:00:00.000Z', last_login_at: null, ...over,
  };
}

async function setup(n = 24) {
  const f = await loadFeaturizer();
  const w = new DuckdbWarehouse({ file: ':memory:' });
  await w.migrate([...coreTables, ...featuresTables]);
  const rows = Array.from({ length: n }, (_, i) => freelancer(i));
  await w.upsert(freelancers, rows as unknown as Record<string, unknown>[]);
  const X = rows.map((r) => f.featurize({ profile: r, activity: null }));
  const y = rows.map((r) => 1 + (r.years_experience % 5) * 0.8);
  const { model } = fitScoringModel(X, y, f.spec, { alpha: 10, version: 'm-mat' });
  return { f, w, rows, live: createLiveModel(model, f) };
}

const NOW = new Date('2026-01-10T00:00:00Z');

test('materialises every freelancer: scores equal the live model on the same snapshot, percentiles from the distribution', async () => {
  const { f, w, rows, live } = await setup();
  try {
    const table = await materializeScores(w, live, f, { now: NOW, workers: 0 });
    assert.equal(table.orderedIds.length, rows.length);
    assert.equal(table.modelVersion, 'm-mat');
    assert.equal(table.stats.refresh.recomputed, rows.length);
    const activity = await activitySummaries(w, 'all', NOW);
    for (const r of rows.slice(0, 6)) {
      const s = table.byId.get(r.id)!;
      const expected = live.explain({ profile: r, activity: activity.get(r.id) ?? null });
      assert.equal(s.score, expected.score, `${r.id}: stored vector scores exactly like a fresh one`);
      assert.equal(s.percentile, percentileOf(table.distribution.overall, s.score));
      assert.equal(s.reasons.length, 3);
      assert.equal(s.occupation, r.occupation);
    }
    const stored = await w.query<{ n: number }>('SELECT COUNT(*) AS n FROM freelancer_scores');
    assert.equal(Number(stored[0].n), rows.length);
    const loaded = await loadScoreTable(w);
    assert.equal(loaded!.modelVersion, 'm-mat');
    assert.deepEqual(loaded!.byId.get('f003'), table.byId.get('f003'));
    // The live model, built without a distribution, now measures against the materialised one.
    const snap = { profile: rows[4], activity: activity.get(rows[4].id) ?? null };
    assert.equal(live.score(snap).percentile, table.byId.get(rows[4].id)!.percentile);
  } finally {
    await w.close();
  }
});

test('materialisation is incremental: one changed profile recomputes one vector; a change to unused fields recomputes none', async () => {
  const { f, w, live } = await setup();
  try {
    await materializeScores(w, live, f, { now: NOW, workers: 0 });
    const again = await materializeScores(w, live, f, { now: NOW, workers: 0 });
    assert.deepEqual([again.stats.refresh.checked, again.stats.refresh.recomputed], [0, 0]);

    await w.upsert(freelancers, [freelancer(5, { self_intro: '全く新しい自己紹介です。'.repeat(10), updated_at: '2025-07-01T00:00:00.000Z' })] as unknown as Record<string, unknown>[]);
    await w.upsert(freelancers, [freelancer(6, { prefecture: '大阪府', updated_at: '2025-07-01T00:00:00.000Z' })] as unknown as Record<string, unknown>[]);
    const before = await w.query<{ freelancer_id: string; computed_at: string }>('SELECT freelancer_id, computed_at FROM freelancer_features ORDER BY freelancer_id');
    const later = new Date('2026-01-11T00:00:00Z');
    const t = await materializeScores(w, live, f, { now: later, workers: 0 });
    assert.equal(t.stats.refresh.checked, 2);
    assert.equal(t.stats.refresh.recomputed, 1);
    assert.equal(t.stats.refresh.unchanged, 1);
    const after = await w.query<{ freelancer_id: string; computed_at: string }>('SELECT freelancer_id, computed_at FROM freelancer_features ORDER BY freelancer_id');
    const changed = after.filter((r, i) => r.computed_at !== before[i].computed_at).map((r) => r.freelancer_id);
    assert.deepEqual(changed, ['f005']);
    const fresh = live.explain({ profile: freelancer(5, { self_intro: '全く新しい自己紹介です。'.repeat(10) }), activity: (await activitySummaries(w, ['f005'], later)).get('f005')! });
    assert.equal(t.byId.get('f005')!.score, fresh.score);
    // A third pass finds nothing to check: source_updated_at moved for the unchanged one too.
    assert.equal((await materializeScores(w, live, f, { now: later, workers: 0 })).stats.refresh.checked, 0);

    await w.execute(`DELETE FROM freelancers WHERE id = 'f001'`);
    const removed = await materializeScores(w, live, f, { now: later, workers: 0 });
    assert.equal(removed.stats.refresh.removed, 1);
    assert.equal(removed.byId.has('f001'), false);
    const n = await w.query<{ n: number }>(`SELECT COUNT(*) AS n FROM freelancer_scores WHERE freelancer_id = 'f001'`);
    assert.equal(Number(n[0].n), 0);
  } finally {
    await w.close();
  }
});

test('the worker pool (one kuromoji per worker) packs exactly what the inline featurizer packs', async () => {
  const f = await loadFeaturizer();
  const profiles = Array.from({ length: 120 }, (_, i) => freelancer(i));
  const pool = workerPool(f, 2);
  try {
    assert.deepEqual(await pool.packAll(profiles), await inlinePool(f).packAll(profiles));
  } finally {
    await pool.close();
  }
});
