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
import { readStoredVectors } from '../src/scores/feature-store.ts';
import { profileVersion } from '../src/features/profile-version.ts';
import type { ActivitySummary, Freelancer } from '../src/domain/types.ts';

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
    const before = await w.query<{ freelancer_id: string; computed_at: string }>('SELECT freelancer_id, computed_at FROM freelancer_feature_vectors ORDER BY freelancer_id');
    const later = new Date('2026-01-11T00:00:00Z');
    const t = await materializeScores(w, live, f, { now: later, workers: 0 });
    assert.equal(t.stats.refresh.checked, 2);
    assert.equal(t.stats.refresh.recomputed, 1);
    assert.equal(t.stats.refresh.unchanged, 1);
    const after = await w.query<{ freelancer_id: string; computed_at: string }>('SELECT freelancer_id, computed_at FROM freelancer_feature_vectors ORDER BY freelancer_id');
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

test('the worker pool (one kuromoji per worker) packs exactly what the inline featurizer packs, with and without the calling thread', async () => {
  const f = await loadFeaturizer();
  const profiles = Array.from({ length: 150 }, (_, i) => freelancer(i));
  const expected = await inlinePool(f).packAll(profiles);
  const workersOnly = workerPool(f, 2, { useCallingThread: false });
  try {
    assert.equal(workersOnly.workers, 2);
    assert.deepEqual(await workersOnly.packAll(profiles), expected);
    assert.equal(workersOnly.chunksDone[0], 0);
    assert.ok(workersOnly.chunksDone[1] > 0 && workersOnly.chunksDone[2] > 0, `both workers took chunks: ${workersOnly.chunksDone}`);
  } finally {
    await workersOnly.close();
  }
  const shared = workerPool(f, 2);
  try {
    assert.equal(shared.workers, 2);
    assert.deepEqual(await shared.packAll(profiles), expected);
    assert.deepEqual(await shared.packAll(profiles.slice(0, 7)), expected.slice(0, 7), 'the pool serves more than one call');
    assert.ok(shared.chunksDone[0] > 0, 'the calling thread took chunks');
  } finally {
    await shared.close();
  }
});

test('readStoredVectors returns the stored vector and profile version of each id stored for the spec (contract for training)', async () => {
  const { f, w, rows } = await setup(12);
  try {
    assert.equal((await readStoredVectors(w, f, ['f001'])).size, 0, 'nothing stored yet');
    await materializeScores(w, createLiveModel(fitScoringModel(rows.map((r) => f.featurize({ profile: r, activity: null })), rows.map((r) => r.years_experience), f.spec, { alpha: 10, version: 'm-rs' }).model, f), f, { now: NOW, workers: 0 });
    const got = await readStoredVectors(w, f, ['f001', 'f007', 'f001', 'nobody']);
    assert.deepEqual([...got.keys()].sort(), ['f001', 'f007']);
    for (const id of ['f001', 'f007']) {
      const r = rows.find((x) => x.id === id)!;
      const v = got.get(id)!;
      assert.equal(v.profileVersion, profileVersion(r, f.spec.version));
      assert.equal(v.x.length, f.spec.features.length);
      assert.deepEqual(Array.from(v.x), Array.from(f.featurize({ profile: r, activity: null })), `${id}: exactly the fresh vector (no activity)`);
    }
    const other = { ...f, spec: { ...f.spec, version: 'another-spec' } };
    assert.equal((await readStoredVectors(w, other, ['f001'])).size, 0, 'rows of another spec version are not returned');
  } finally {
    await w.close();
  }
});

test('scores with given activity summaries (many shared, some unique, some missing) equal the live model on each snapshot', async () => {
  const { f, w, rows, live } = await setup(30);
  try {
    const summary = (i: number): ActivitySummary => ({
      as_of: NOW.toISOString(), days_since_login: i % 5 ? (i % 3) * 4 : null, logins_30d: i % 2, interests_received_30d: 0, interests_received_90d: i % 3, interests_sent_30d: 0,
      interests_sent_90d: i > 20 ? i : 0, matches_90d: i % 3 ? 1 : 0, match_rate_90d: i % 3 ? 1 / (i % 3) : null, messages_received_90d: 0, messages_sent_90d: 0,
      response_rate_90d: i > 25 ? i / 100 : null, contracts_365d: 0, profile_views_30d: i % 2 ? 2 : 0,
    });
    const activity = new Map(rows.filter((_, i) => i % 7 !== 0).map((r, i) => [r.id, summary(i)]));
    const table = await materializeScores(w, live, f, { now: NOW, workers: 0, activity });
    for (const r of rows) {
      const expected = live.explain({ profile: r, activity: activity.get(r.id) ?? null });
      assert.equal(table.byId.get(r.id)!.score, expected.score, r.id);
    }
  } finally {
    await w.close();
  }
});
