import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { attributeGroups, attributeOf } from '../src/features/attributes.ts';
import { fitScoringModel } from '../src/model/scoring-model.ts';
import { createLiveModel } from '../src/model/live-model.ts';
import type { ActivitySummary, Profile } from '../src/domain/types.ts';

test('every feature of the spec belongs to an attribute a reader understands: no basis, hinge or log jargon in its labels', async () => {
  const f = await loadFeaturizer();
  const { groupOf, attributes } = attributeGroups(f.spec.features);
  assert.equal(groupOf.length, f.spec.features.length);
  assert.ok(attributes.length < f.spec.features.length / 4, `${attributes.length} attributes for ${f.spec.features.length} columns`);
  for (const a of attributes) {
    assert.doesNotMatch(a.label_ja, /スプライン|基底|超の部分|対数/, `${a.key}: ${a.label_ja}`);
    assert.doesNotMatch(a.label_en, /spline|basis|beyond|\(log\)/, `${a.key}: ${a.label_en}`);
    assert.match(a.label_ja, /[\u3040-\u30ff\u4e00-\u9fff]/, `${a.key}: Japanese label`);
  }
  assert.equal(new Set(attributes.map((a) => a.key)).size, attributes.length, 'keys are unique');
  const key = (name: string) => attributeOf(f.spec.features.find((d) => d.name === name)!).key;
  // The columns of one attribute: log, hinges, spline bases, occupation-specific deviations.
  assert.deepEqual(['login_days_log', 'login_days_over_30', 'login_within_7d', 'login_never', 'logins_30d_log', 'interests_sent_90d_log', 'response_rate_90d'].map(key), Array(7).fill('activity'));
  assert.deepEqual(['skill_count', 'skills_core_log', 'skills_offcore_log', 'own_skills_mentioned_log'].map(key), Array(4).fill('skills'));
  assert.deepEqual(['interests_received_30d_log', 'match_rate_90d', 'profile_views_30d_over_20', 'contracts_365d_log'].map(key), Array(4).fill('reception'));
  assert.deepEqual(['text_chars_log', 'text_chars_log_spline_3', 'text_chars_over_800', 'text_empty', 'tokens_log', 'sentences_log', 'paragraphs_log'].map(key), Array(7).fill('intro_length'));
  assert.deepEqual(['family_frontend', 'occ_engineer_x_frontend', 'occ_designer_x_frontend'].map(key), Array(3).fill('skills_frontend'));
  assert.deepEqual(['occ_engineer', 'occ_other'].map(key), ['occupation', 'occupation']);
  assert.notEqual(key('family_uiux'), key('family_visual'));
  const label = (name: string) => attributeOf(f.spec.features.find((d) => d.name === name)!);
  assert.deepEqual([label('family_frontend').label_ja, label('family_office').label_ja, label('family_office').label_en], ['フロントエンドのスキル', '汎用ツール・一般スキル', 'general office skills']);
  // A feature no rule names keeps its own labels.
  assert.deepEqual(attributeOf({ name: 'made_up', label_ja: '架空', label_en: 'made up' }), { key: 'made_up', label_ja: '架空', label_en: 'made up' });
});

const profile = (i: number): Profile => ({
  id: `a${i}`, occupation: ['エンジニア', 'デザイナー', 'ライター'][i % 3], skills: [['React', 'AWS'], ['Figma', 'Photoshop'], ['SEO']][i % 3], years_experience: i % 13,
  self_intro: '実績として10件の案件を担当しました。'.repeat(1 + (i % 7)), portfolio_urls: i % 2 ? ['https://example.com'] : [], hourly_rate_jpy: 2000 + 100 * i,
  availability_days_per_week: 1 + (i % 5), prefecture: null, remote_ok: i % 2 === 0, has_photo: i % 3 === 0,
});
const activity = (days: number): ActivitySummary => ({
  as_of: '2026-11-01T00:00:00.000Z', days_since_login: days, logins_30d: days < 30 ? 8 : 0, interests_received_30d: 0, interests_received_90d: 0, interests_sent_30d: 0, interests_sent_90d: 0,
  matches_90d: 0, match_rate_90d: null, messages_received_90d: 0, messages_sent_90d: 0, response_rate_90d: null, contracts_365d: 0, profile_views_30d: 0,
});

test('reasons give an attribute its whole effect: a long absence lowers the score even where a hinge column alone pushes up', async () => {
  const f = await loadFeaturizer();
  // Scores fall with the days since the last login and flatten after a month: the model fits
  // a negative log term and a positive hinge beyond 30 days.
  const N = 240;
  const snaps = Array.from({ length: N }, (_, i) => ({ profile: profile(i), activity: activity([1, 3, 7, 14, 30, 60, 120, 365, 540][i % 9]) }));
  const y = snaps.map((s) => 4.2 - 0.5 * Math.min(Math.log1p(s.activity.days_since_login!), Math.log1p(30)));
  const { model } = fitScoringModel(snaps.map((s) => f.featurize(s)), y, f.spec, { alpha: 0.01, version: 'm-attr', calibrate: 'never' });
  const live = createLiveModel(model, f);
  const gone = { profile: profile(1), activity: activity(529) };
  const e = live.explain(gone);
  const col = (name: string) => e.contributions.find((c) => c.feature === name)!.contribution;
  assert.ok(col('login_days_over_30') > 0, `the hinge column alone pushes up (${col('login_days_over_30')})`);
  const c = Float64Array.from(e.contributions, (x) => x.contribution);
  const all = live.reasonsOf(c, 1000);
  const login = all.find((r) => r.feature === 'activity')!;
  assert.ok(login.contribution < 0, `recent activity as a whole lowers the score (${login.contribution})`);
  assert.equal(login.label, '最近の活動（ログイン・返信など）');
  const reasons = live.score(gone).reasons;
  assert.equal(reasons[0].feature, 'activity', JSON.stringify(reasons));
  // The attributes' sums are a decomposition: with the baseline they add up to the score.
  const total = all.reduce((a, r) => a + r.contribution, live.baseline);
  assert.ok(Math.abs(total - e.raw) < 1e-3 * all.length, `${total} vs ${e.raw}`);
});
