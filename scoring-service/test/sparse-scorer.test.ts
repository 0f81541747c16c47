import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { packList } from '../src/features/packing.ts';
import { fitScoringModel } from '../src/model/scoring-model.ts';
import { createLiveModel } from '../src/model/live-model.ts';
import { sparseScorer } from '../src/scores/sparse-scorer.ts';
import { buildSkillDemand, fillDemand, skillKeysOf } from '../src/features/skill-demand.ts';
import type { ActivitySummary, Profile } from '../src/domain/types.ts';

const OCCS = ['エンジニア', 'デザイナー', 'ライター'];
const profile = (i: number): Profile => ({
  id: `s${i}`, occupation: OCCS[i % 3], skills: [['React', 'AWS', 'Go'], ['Figma'], ['SEO', '取材']][i % 3], years_experience: i % 11, self_intro: `${i}件の案件で実績を出しました。`.repeat(1 + (i % 4)),
  portfolio_urls: i % 2 ? ['https://example.com'] : [], hourly_rate_jpy: i % 5 ? 2000 + 150 * i : null, availability_days_per_week: i % 6, prefecture: null, remote_ok: i % 2 === 0, has_photo: i % 3 === 0,
});
const activity = (i: number): ActivitySummary | null => (i % 4 === 0 ? null : {
  as_of: '2026-01-01T00:00:00.000Z', days_since_login: i % 3 ? i * 2 : null, logins_30d: i % 9, interests_received_30d: i % 4, interests_received_90d: i % 7, interests_sent_30d: i % 2,
  interests_sent_90d: i % 5, matches_90d: i % 3, match_rate_90d: i % 7 ? (i % 3) / 7 : null, messages_received_90d: i % 6, messages_sent_90d: i % 4, response_rate_90d: i % 5 ? 0.5 : null,
  contracts_365d: i % 2, profile_views_30d: 3 * i,
});

test('the sparse scorer gives the dense calibrated contributions and score bit for bit, behaviour replaced from the activity', async () => {
  const f = await loadFeaturizer();
  const N = 40;
  const X = Array.from({ length: N }, (_, i) => f.featurize({ profile: profile(i), activity: activity(i) }));
  const { model } = fitScoringModel(X, X.map((_, i) => 1 + (i % 5)), f.spec, { alpha: 3, version: 'm-sparse', calibrate: 'always' });
  const live = createLiveModel(model, f);
  assert.ok(model.calibration && model.calibration.knots.length > 0, 'a calibrated model with a spline');
  const scorer = sparseScorer(model, f.spec.features, f.behaviourIndex);
  const dense = new Float64Array(model.coefficients.length);
  const sparse = new Float64Array(model.coefficients.length);
  for (let i = 0; i < N; i++) {
    // Stored as the feature store stores it: no activity; behaviour supplied at scoring time.
    const stored = [7, 7, ...packList(f.featurize({ profile: profile(i), activity: null }))];
    const raw = scorer.score(stored, 2, stored.length, f.featurizeBehaviour(activity(i)), sparse);
    const expected = live.contributionsOf(X[i], dense);
    assert.ok(Object.is(raw, expected), `row ${i}: ${raw} vs ${expected}`);
    assert.deepEqual(sparse, dense, `row ${i}: every contribution`);
    // Calibrated: the returned value is g(raw), the live model's score before clipping.
    assert.equal(Math.min(5, Math.max(1, raw)), live.explain({ profile: profile(i), activity: activity(i) }).score);
    assert.ok(Math.abs(live.baseline + sparse.reduce((acc, v) => acc + v, 0) - raw) < 1e-12, 'contributions sum to the calibrated score');
    for (const n of [1, 3, 5]) assert.deepEqual(scorer.reasons(sparse, n), live.reasonsOf(dense, n), `row ${i}: top ${n} reasons`);
  }
  // Reasons are per attribute (the sum of its columns); ties go to the attribute seen first,
  // an attribute summing to 0 never counts, fewer nonzero attributes give fewer reasons.
  const c = new Float64Array(model.coefficients.length);
  const at = (name: string) => model.feature_names.indexOf(name);
  c[at('years')] = 0.3; c[at('years_over_5')] = 0.2;
  c[at('rate_log')] = -0.25; c[at('rate_over_6000')] = -0.25;
  c[at('availability_days')] = 0.25; c[at('availability_over_3')] = -0.25;
  c[at('remote_ok')] = 0.5; c[at('has_photo')] = 0.25;
  assert.deepEqual(scorer.reasons(c, 3), live.reasonsOf(c, 3));
  assert.deepEqual(scorer.reasons(c, 3).map((r) => [r.feature, r.contribution]), [['experience', 0.5], ['hourly_rate', -0.5], ['remote_ok', 0.5]]);
  assert.equal(scorer.reasons(c, 3)[0].label, '経験年数');
  assert.deepEqual(scorer.reasons(c, 6), live.reasonsOf(c, 6));
  assert.deepEqual(scorer.reasons(c, 6).map((r) => r.feature), ['experience', 'hourly_rate', 'remote_ok', 'has_photo']);
  assert.ok(Number.isNaN(scorer.score([3, 0, 1], 0, 3, f.featurizeBehaviour(null), sparse)), 'a vector of another length');
});

test('with a demand table the sparse scorer computes the demand features from stored skill keys, bit for bit as the live model', async () => {
  const f = await loadFeaturizer();
  const table = buildSkillDemand([
    ...Array.from({ length: 6 }, () => ({ occupation: 'エンジニア', skills: ['React', 'AWS'] })),
    ...Array.from({ length: 4 }, () => ({ occupation: 'デザイナー', skills: ['Figma', 'Photoshop'] })),
    ...Array.from({ length: 3 }, () => ({ occupation: 'ライター', skills: ['SEO', 'Go'] })),
  ]);
  const N = 30;
  const snaps = Array.from({ length: N }, (_, i) => ({ profile: { ...profile(i), skills: i % 4 === 0 ? ['HTML'] : profile(i).skills }, activity: activity(i) }));
  const X = snaps.map((s) => fillDemand(f.featurize(s), f.demandIndex, table, s.profile));
  const y = X.map((x, i) => 1 + 2 * x[f.demandIndex[2]] + (i % 3) / 3);
  const { model } = fitScoringModel(X, y, f.spec, { alpha: 1, version: 'm-sparse-demand', calibrate: 'always', skillDemand: table });
  const live = createLiveModel(model, f);
  const scorer = sparseScorer(model, f.spec.features, f.behaviourIndex, f.demandIndex);
  const dense = new Float64Array(model.coefficients.length);
  const sparse = new Float64Array(model.coefficients.length);
  for (let i = 0; i < N; i++) {
    const stored = packList(f.featurize({ profile: snaps[i].profile, activity: null }));
    const keys = [5, ...skillKeysOf(snaps[i].profile)];
    const raw = scorer.score(stored, 0, stored.length, f.featurizeBehaviour(activity(i)), sparse, 0, keys, 1, keys.length);
    assert.ok(Object.is(raw, live.contributionsOf(X[i], dense)), `row ${i}`);
    assert.deepEqual(sparse, dense);
    assert.equal(Math.min(5, Math.max(1, raw)), live.explain(snaps[i]).score);
  }
  const stored = packList(f.featurize(snaps[0]));
  assert.ok(Number.isNaN(scorer.score(stored, 0, stored.length, f.featurizeBehaviour(null), sparse)), 'no skill keys (not even the occupation): NaN, not a silent 0');
});
