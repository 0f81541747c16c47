import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOG_LENGTH_KNOTS, createFeaturizer, loadFeaturizer, naturalSplineBasis, sqlOccupationIndex, type FeatureSqlDialect } from '../src/features/featurizer.ts';
import { analyzeText, loadTokenizer } from '../src/features/text.ts';
import { familiesOf, occupationIndex, OCCUPATIONS } from '../src/features/vocabulary.ts';
import { packVector, unpackInto } from '../src/features/packing.ts';
import { profileVersion } from '../src/features/profile-version.ts';
import { duckdbDialect } from '../src/warehouse/dialects/duckdb.ts';
import { bigqueryDialect } from '../src/warehouse/dialects/bigquery.ts';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { freelancers } from '../src/domain/tables.ts';
import type { Profile, ProfileSnapshot } from '../src/domain/types.ts';

const INTRO = 'Webエンジニアとして5年間、ReactとTypeScriptでの開発を担当しました。\n売上を120%改善し、月100万円のコスト削減を実現。\n\nポートフォリオ: https://example.com/works もご覧ください！';

function profile(over: Partial<Profile> = {}): Profile {
  return {
    id: 'f1', occupation: 'Webエンジニア', skills: ['React', 'TypeScript', 'AWS', 'Photoshop', 'COBOL'], years_experience: 6, self_intro: INTRO,
    portfolio_urls: ['https://example.com/a'], hourly_rate_jpy: 5000, availability_days_per_week: 4, prefecture: '東京都', remote_ok: true, has_photo: false,
    ...over,
  };
}

test('text analysis counts sentences, paragraphs, numbers, units, achievements, URLs and skill mentions of a fixed text', async () => {
  const tk = await loadTokenizer();
  const t = analyzeText(tk, INTRO, ['React', 'TypeScript', 'AWS']);
  assert.equal(t.chars, [...INTRO].length);
  assert.equal(t.sentences, 3, 'split on 。！ and line breaks, URL removed');
  assert.equal(t.paragraphs, 2, 'blank-line separated blocks');
  assert.equal(t.lines, 3);
  assert.equal(t.numbers, 3, '5, 120, 100');
  assert.equal(t.numbersWithUnit, 3, '5年, 120%, 100万円');
  assert.equal(t.achievements, 5, '担当, 開発, 改善, 削減, 実現');
  assert.equal(t.urls, 1);
  assert.equal(t.ownSkillMentions, 2, 'React and TypeScript are named, AWS is not');
  assert.equal(t.dictSkillMentions, 2);
});

test('part-of-speech shares come from kuromoji (IPADIC) and exclude symbols', async () => {
  const tk = await loadTokenizer();
  // 私 / は / 新しい / 技術 / を / 素早く / 学ぶ  → nouns 2, particles 2, adjective 1, adjective(連用) 1, verb 1
  const t = analyzeText(tk, '私は新しい技術を素早く学ぶ。', []);
  assert.equal(t.tokens, 7);
  assert.equal(t.nounShare, 2 / 7);
  assert.equal(t.verbShare, 1 / 7);
  assert.equal(t.adjectiveShare, 2 / 7);
  assert.equal(t.adverbShare, 0);
  const empty = analyzeText(tk, '', ['React']);
  assert.deepEqual([empty.chars, empty.tokens, empty.sentences, empty.nounShare], [0, 0, 0, 0]);
});

test('short ASCII skill terms match only as whole words', async () => {
  const tk = await loadTokenizer();
  assert.equal(analyzeText(tk, 'Googleで働いていました', ['Go']).ownSkillMentions, 0);
  assert.equal(analyzeText(tk, 'Go と Python が得意です', ['Go']).ownSkillMentions, 1);
});

test('the length basis lets a linear model draw an inverted U: its hinge columns change slope at the knots', async () => {
  const f = await loadFeaturizer();
  const names = f.spec.features.map((d) => d.name);
  const at = (n: number) => {
    const x = f.featurize({ profile: profile({ self_intro: 'あ'.repeat(n) }), activity: null });
    return (name: string) => x[names.indexOf(name)];
  };
  assert.equal(at(150)('text_chars'), 1.5);
  assert.equal(at(150)('text_chars_over_100'), 0.5);
  assert.equal(at(150)('text_chars_over_200'), 0);
  assert.equal(at(1000)('text_chars_over_800'), 2);
  // y = chars/100 − 2·(chars−400)+/100 rises to 400 chars and falls after: a weighted sum of the columns.
  const u = (n: number) => at(n)('text_chars') - 2 * at(n)('text_chars_over_400');
  assert.ok(u(100) < u(400) && u(400) > u(800) && u(800) > u(1600), 'inverted U from the basis');
});

test('the natural cubic spline on log length is smooth inside the knots and linear outside them', async () => {
  const t = LOG_LENGTH_KNOTS;
  const K = t.length;
  for (let j = 0; j < K - 2; j++) {
    const b = (x: number) => naturalSplineBasis(x, t, j);
    assert.equal(b(t[j]), 0, 'zero up to its own knot');
    assert.ok(b(t[j] + 0.5) > 0);
    // Beyond the last knot the second difference vanishes (linear tail), inside it does not.
    const d2 = (x: number) => b(x + 0.5) - 2 * b(x) + b(x - 0.5);
    assert.ok(Math.abs(d2(t[K - 1] + 2)) < 1e-9, `basis ${j} is linear beyond the last knot`);
    assert.ok(Math.abs(d2((t[K - 2] + t[K - 3]) / 2)) > 1e-6, `basis ${j} bends inside`);
  }
  // Harrell's formula by hand for j = 0 at x = 6.5.
  const x = 6.5;
  const hand = ((x - 1) ** 3 - ((x - 7) > 0 ? (x - 7) ** 3 : 0) * 7 / 1) / 49;
  assert.ok(Math.abs(naturalSplineBasis(x, t, 0) - hand) < 1e-12);
  const f = await loadFeaturizer();
  const names = f.spec.features.map((d) => d.name);
  const v = f.featurize({ profile: profile({ self_intro: 'あ'.repeat(300) }), activity: null });
  assert.ok(Math.abs(v[names.indexOf('text_chars_log_spline_2')] - naturalSplineBasis(Math.log1p(300), t, 1)) < 1e-12);
});

test('occupations map to canonical groups and skills to families', () => {
  assert.equal(OCCUPATIONS[occupationIndex('Webエンジニア')].key, 'engineer');
  assert.equal(OCCUPATIONS[occupationIndex('UI/UXデザイナー')].key, 'designer');
  assert.equal(OCCUPATIONS[occupationIndex('動画編集者')].key, 'video');
  assert.equal(occupationIndex('漁師'), OCCUPATIONS.length, 'unknown → other');
  assert.deepEqual(familiesOf('React.js').length, 1);
  assert.ok(familiesOf('kotlin').length === 2, 'Kotlin is back-end and mobile');
  assert.deepEqual(familiesOf('COBOL'), []);
});

test('the feature vector matches the spec, is deterministic and finite, and interactions follow the occupation', async () => {
  const f = await loadFeaturizer();
  const s: ProfileSnapshot = { profile: profile(), activity: null };
  const x = f.featurize(s);
  assert.equal(x.length, f.spec.features.length);
  assert.deepEqual(x, f.featurize(s));
  assert.ok(x.every(Number.isFinite));
  const names = f.spec.features.map((d) => d.name);
  assert.equal(new Set(names).size, names.length, 'feature names are unique');
  const v = (vec: Float64Array, n: string) => vec[names.indexOf(n)];
  assert.equal(v(x, 'occ_engineer'), 1);
  assert.equal(v(x, 'occ_engineer_x_frontend'), Math.log1p(2));
  assert.equal(v(x, 'occ_designer_x_visual'), 0);
  const asDesigner = f.featurize({ profile: profile({ occupation: 'デザイナー' }), activity: null });
  assert.equal(v(asDesigner, 'occ_designer_x_visual'), Math.log1p(1));
  assert.equal(v(asDesigner, 'occ_engineer_x_frontend'), 0);
  assert.equal(v(x, 'skills_core_log'), Math.log1p(3), 'React, TypeScript, AWS are engineering families');
  assert.equal(v(x, 'skills_unknown_log'), Math.log1p(1), 'COBOL is not in the dictionary');
  assert.equal(v(x, 'activity_missing'), 1);
  const withActivity = f.featurize({
    profile: profile(),
    activity: { as_of: '2026-01-01T00:00:00Z', days_since_login: 3, logins_30d: 10, interests_received_30d: 2, interests_received_90d: 5, interests_sent_30d: 1, interests_sent_90d: 4, matches_90d: 1, match_rate_90d: 0.2, messages_received_90d: 3, messages_sent_90d: 2, response_rate_90d: null, contracts_365d: 1, profile_views_30d: 40 },
  });
  assert.equal(v(withActivity, 'activity_missing'), 0);
  assert.equal(v(withActivity, 'login_within_7d'), 1);
  assert.equal(v(withActivity, 'interests_received_90d_log'), Math.log1p(5));
  assert.equal(v(withActivity, 'response_rate_missing'), 1);
  assert.equal(v(withActivity, 'match_rate_90d'), 0.2);
});

test('the spec version is stable for the same definitions and the featurizer is cached per process', async () => {
  const a = await loadFeaturizer();
  const b = createFeaturizer(await loadTokenizer());
  assert.equal(a, await loadFeaturizer());
  assert.equal(a.spec.version, b.spec.version);
  assert.match(a.spec.version, /^fs1-[0-9a-f]{12}$/);
});

test('feature SQL computes the same values as the featurizer on DuckDB, and renders for BigQuery', async () => {
  const f = await loadFeaturizer();
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate([freelancers]);
    const rows = [profile(), profile({ id: 'f2', occupation: 'コピーライター', hourly_rate_jpy: null, availability_days_per_week: null, self_intro: '', portfolio_urls: [], skills: [], remote_ok: false, has_photo: true, years_experience: 12 })];
    await w.upsert(freelancers, rows.map((p) => ({ ...p, registered_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z', last_login_at: null })));
    const withSql = f.spec.features.map((d, i) => ({ d, i, expr: d.sql?.(w.dialect) ?? null })).filter((e) => e.expr);
    assert.ok(withSql.length >= 30, `${withSql.length} features have SQL`);
    const out = await w.query(`SELECT id, ${withSql.map((e, k) => `CAST(${e.expr} AS DOUBLE) AS c${k}`).join(', ')} FROM freelancers ORDER BY id`);
    rows.forEach((p, r) => {
      const x = f.featurize({ profile: p, activity: null });
      withSql.forEach((e, k) => assert.ok(Math.abs(Number(out[r][`c${k}`]) - x[e.i]) < 1e-12, `${e.d.name} of ${p.id}: SQL ${out[r][`c${k}`]} vs JS ${x[e.i]}`));
    });
    const bq: FeatureSqlDialect = bigqueryDialect('p', 'd');
    assert.match(sqlOccupationIndex(bq), /STRPOS\(LOWER\(`occupation`\), 'エンジニア'\) > 0/);
    const _check: FeatureSqlDialect = duckdbDialect;
    assert.ok(_check);
  } finally {
    await w.close();
  }
});

test('packed vectors round-trip exactly and profile versions change only with fields features read', () => {
  const x = Float64Array.from([0, 1.5, 0, -2e-300, Math.PI, 0, 0]);
  const out = new Float64Array(7);
  assert.ok(unpackInto(packVector(x), out));
  assert.deepEqual(out, x);
  assert.equal(unpackInto(packVector(x), new Float64Array(8)), false);
  const odd = Float64Array.from([1, 2, 3]);
  const o3 = new Float64Array(3);
  unpackInto(packVector(odd), o3);
  assert.deepEqual(o3, odd);
  const v = profileVersion(profile(), 'fs1-a');
  assert.equal(profileVersion(profile({ prefecture: '大阪府', registered_at: 'x' }), 'fs1-a'), v);
  assert.notEqual(profileVersion(profile({ self_intro: INTRO + '。' }), 'fs1-a'), v);
  assert.notEqual(profileVersion(profile(), 'fs1-b'), v);
});

test('common Japanese skill names of design, writing, marketing, direction and video map to their families', async () => {
  const { SKILL_FAMILIES } = await import('../src/features/vocabulary.ts');
  const fams = (s: string) => familiesOf(s).map((j) => SKILL_FAMILIES[j].key);
  assert.deepEqual(fams('UI設計'), ['uiux']);
  assert.deepEqual(fams('UXリサーチ'), ['uiux']);
  assert.deepEqual(fams('デザインシステム'), ['uiux']);
  assert.deepEqual(fams('構成案作成'), ['writing']);
  assert.deepEqual(fams('Meta広告'), ['marketing']);
  assert.deepEqual(fams('Webディレクション'), ['management']);
  assert.deepEqual(fams('企画立案'), ['management']);
  assert.deepEqual(fams('YouTube運用'), ['video']);
});
