import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { coreTables, freelancers } from '../src/domain/tables.ts';
import { featuresTables, freelancerFeatures } from '../src/features/tables.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { packList } from '../src/features/packing.ts';
import { fitScoringModel } from '../src/model/scoring-model.ts';
import { createLiveModel } from '../src/model/live-model.ts';
import { materializeScores } from '../src/scores/materialize.ts';
import { sparseScorer } from '../src/scores/sparse-scorer.ts';
import { inlineScoring, workerScoring } from '../src/scores/score-pool.ts';
import type { ScoreBatchInput } from '../src/scores/score-batch.ts';
import type { ActivitySummary, Freelancer } from '../src/domain/types.ts';

const OCCS = ['エンジニア', 'デザイナー', 'ライター'];
function freelancer(i: number): Freelancer {
  return {
    id: `p${String(i).padStart(3, '0')}`, occupation: OCCS[i % 3], skills: [['React', 'AWS'], ['Figma'], ['SEO', '取材']][i % 3], years_experience: i % 12,
    self_intro: `${(i % 7) + 1}年間、実績を積みました。`.repeat(1 + (i % 5)), portfolio_urls: [], hourly_rate_jpy: 2500 + 100 * i, availability_days_per_week: 3,
    prefecture: '東京都', remote_ok: i % 2 === 0, has_photo: i % 3 === 0, registered_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-06-01T00:00:00.000Z', last_login_at: null,
  };
}
const summary = (i: number): ActivitySummary => ({
  as_of: '2026-01-10T00:00:00.000Z', days_since_login: i % 5 ? (i % 13) * 3 : null, logins_30d: i % 4, interests_received_30d: i % 3, interests_received_90d: i % 6, interests_sent_30d: 0,
  interests_sent_90d: i % 9, matches_90d: i % 2, match_rate_90d: i % 2 ? 1 / (1 + (i % 4)) : null, messages_received_90d: i % 5, messages_sent_90d: 0,
  response_rate_90d: i % 3 ? (i % 10) / 10 : null, contracts_365d: i % 2, profile_views_30d: i % 17,
});
const NOW = new Date('2026-01-10T00:00:00Z');

test('scoring on a worker thread gives the same table and stored rows as inline scoring (several batches, shared and unique activity)', async () => {
  const f = await loadFeaturizer();
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate([...coreTables, ...featuresTables]);
    const base = Array.from({ length: 20 }, (_, i) => freelancer(i));
    await w.upsert(freelancers, base as unknown as Record<string, unknown>[]);
    const X = base.map((r) => f.featurize({ profile: r, activity: null }));
    const { model } = fitScoringModel(X, base.map((r) => 1 + (r.years_experience % 5) * 0.8), f.spec, { alpha: 10, version: 'm-pipe' });
    const live = createLiveModel(model, f);
    await materializeScores(w, live, f, { now: NOW, workers: 0 });
    // 20 analysed profiles replicated in SQL to 6000 ids with up-to-date stored vectors (as bench/batch.ts does): three 2048-row batches.
    await w.execute(`CREATE TABLE base_f AS SELECT * FROM freelancers`);
    await w.execute(`CREATE TABLE base_ff AS SELECT * FROM ${freelancerFeatures.name}`);
    await w.execute(`DELETE FROM freelancers`);
    await w.execute(`DELETE FROM ${freelancerFeatures.name}`);
    await w.execute(`INSERT INTO freelancers SELECT base_f.* REPLACE (id || '-' || CAST(c AS VARCHAR) AS id) FROM base_f, range(300) r(c)`);
    await w.execute(`INSERT INTO ${freelancerFeatures.name} SELECT base_ff.* REPLACE (freelancer_id || '-' || CAST(c AS VARCHAR) AS freelancer_id) FROM base_ff, range(300) r(c)`);
    const ids = (await w.query<{ id: string }>('SELECT id FROM freelancers')).map((r) => r.id);
    const activity = new Map(ids.filter((_, i) => i % 5).map((id, i) => [id, summary(i % 40 === 0 ? 1000 + i : i % 23)]));

    const inline = await materializeScores(w, live, f, { now: NOW, workers: 0, activity, scoreWorkerFrom: Infinity });
    const storedInline = await w.query(`SELECT * FROM freelancer_scores ORDER BY freelancer_id`);
    const threaded = await materializeScores(w, live, f, { now: NOW, workers: 0, activity, scoreWorkerFrom: 0 });
    const storedThreaded = await w.query(`SELECT * FROM freelancer_scores ORDER BY freelancer_id`);
    assert.equal(threaded.stats.refresh.recomputed, 0, 'nothing re-analysed: scoring from stored vectors only');
    assert.equal(threaded.orderedIds.length, 6000);
    assert.deepEqual(threaded.orderedIds, inline.orderedIds);
    assert.deepEqual(threaded.byId, inline.byId, 'scores, percentiles and reasons identical');
    assert.deepEqual(storedThreaded, storedInline);
    // And the inline path still equals the live model on each snapshot.
    for (const id of ['p003-0', 'p007-41', 'p019-299']) {
      const snap = { profile: base[Number(id.slice(1, 4))], activity: activity.get(id) ?? null };
      assert.equal(threaded.byId.get(id)!.score, live.explain(snap).score, id);
      assert.deepEqual(threaded.byId.get(id)!.reasons, live.score(snap).reasons, id);
    }
  } finally {
    await w.close();
  }
});

test('the scoring worker returns batches in order, equal to inline scoring, and reports a malformed vector as NaN', async () => {
  const f = await loadFeaturizer();
  const rows = Array.from({ length: 30 }, (_, i) => f.featurize({ profile: freelancer(i), activity: null }));
  const { model } = fitScoringModel(rows, rows.map((_, i) => 1 + (i % 5)), f.spec, { alpha: 3, version: 'm-pool' });
  const scorer = sparseScorer(model, f.spec.features, f.behaviourIndex);
  const B = f.behaviourIndex.length;
  const batch = (k: number): ScoreBatchInput => {
    const lists = Array.from({ length: 50 }, (_, r) => (k === 2 && r === 7 ? [3, 0, 1] : packList(rows[(r + k) % rows.length])));
    const offsets = new Uint32Array(lists.length + 1);
    lists.forEach((l, r) => (offsets[r + 1] = offsets[r] + l.length));
    const behaviour = new Float64Array(lists.length * B);
    lists.forEach((_, r) => behaviour.set(f.featurizeBehaviour(r % 3 ? summary(r + k) : null), r * B));
    return { rows: lists.length, offsets, values: Float64Array.from(lists.flat()), behaviour, behaviourWidth: B, topN: 3 };
  };
  const expected = await Promise.all([0, 1, 2, 3].map((k) => inlineScoring(scorer, model.coefficients.length).score(batch(k))));
  const pool = workerScoring(model, f.spec.features, f.behaviourIndex);
  try {
    const got = await Promise.all([0, 1, 2, 3].map((k) => pool.score(batch(k))));
    assert.deepEqual(got, expected);
    assert.ok(Number.isNaN(got[2].raw[7]) && Number.isFinite(got[2].raw[6]), 'the malformed row alone is NaN');
    assert.deepEqual(Array.from(got[0].top.subarray(0, 3)).map((j, q) => scorer.reason(j, got[0].contributions[q])), (() => {
      const c = new Float64Array(model.coefficients.length);
      const b = batch(0);
      scorer.score(b.values, b.offsets[0], b.offsets[1], b.behaviour, c, 0);
      return scorer.reasons(c, 3);
    })(), 'positions and contributions make the same Reason objects as reasons()');
  } finally {
    await pool.close();
  }
});
