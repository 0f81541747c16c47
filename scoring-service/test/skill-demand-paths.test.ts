/**
 * Skill demand features reach every scoring path with the model's own table: the live model
 * (GET reasons, POST /v1/score), the batch scorer over stored vectors (inline and on its
 * worker thread), in-warehouse SQL scoring and training's row scorer all give the score of
 * predictScore(model, featurize + demand features from model.skill_demand). The model's demand
 * coefficients are large here, so a path that dropped or zeroed the features would differ.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { coreTables, freelancers, jobs as jobsTable } from '../src/domain/tables.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { loadFeaturizer, type FullFeaturizer } from '../src/features/featurizer.ts';
import { activitySummaries } from '../src/features/activity.ts';
import { demandFeatures, fillDemand, loadSkillDemand, skillKeysOf, buildSkillDemand, type SkillDemandTable } from '../src/features/skill-demand.ts';
import { clipScore, fitScoringModel, modelChecksum, parseScoringModel, predictScore, type ScoringModelJson } from '../src/model/scoring-model.ts';
import { createLiveModel, type ExplainingModel } from '../src/model/live-model.ts';
import { materializeScores } from '../src/scores/materialize.ts';
import { scoreInWarehouse } from '../src/training/sql-compile.ts';
import { rowScorer } from '../src/training/predict.ts';
import { realKit } from '../src/training/model-kit.ts';
import { LiveHolder } from '../src/scores/live.ts';
import { startTestService, TOKENS } from './helpers/http.ts';
import type { ActivitySummary, Freelancer, ProfileSnapshot } from '../src/domain/types.ts';

const NOW = new Date('2026-01-10T00:00:00Z');
const JOBS = [
  ...Array.from({ length: 12 }, (_, i) => ({ occupation: 'エンジニア', skills: ['React', 'AWS', 'Go', ...(i === 0 ? ['HTML'] : [])] })),
  ...Array.from({ length: 8 }, () => ({ occupation: 'デザイナー', skills: ['Figma', 'Photoshop'] })),
  ...Array.from({ length: 6 }, () => ({ occupation: 'ライター', skills: ['SEO', '取材'] })),
];
const OCCS = ['エンジニア', 'デザイナー', 'ライター'];
const SKILLSETS = [
  [['React', 'AWS'], ['HTML', 'jQuery'], [], ['Go', 'HTML', 'Excel']],
  [['Figma'], ['HTML'], ['Photoshop', 'Figma', 'Excel'], ['取材']],
  [['SEO', '取材'], ['Excel'], ['Figma'], []],
];

function freelancer(i: number): Freelancer {
  return {
    id: `d${String(i).padStart(3, '0')}`, occupation: OCCS[i % 3], skills: SKILLSETS[i % 3][Math.floor(i / 3) % 4], years_experience: (i * 7) % 13,
    self_intro: `${(i % 6) + 1}年間、案件で実績を積みました。`.repeat(1 + (i % 4)), portfolio_urls: i % 2 ? ['https://example.com'] : [], hourly_rate_jpy: 2000 + 120 * i,
    availability_days_per_week: i % 6, prefecture: '東京都', remote_ok: i % 2 === 0, has_photo: i % 3 === 0,
    registered_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-06-01T00:00:00.000Z', last_login_at: i % 4 ? '2026-01-05T00:00:00.000Z' : null,
  };
}

const N = 48;
const rows = Array.from({ length: N }, (_, i) => freelancer(i));
let w: DuckdbWarehouse;
let f: FullFeaturizer;
let table: SkillDemandTable;
let model: ScoringModelJson;
let live: ExplainingModel;
let activity: Map<string, ActivitySummary>;

/** What every path must give: the model on featurize + demand features from its own table. */
const expected = (s: ProfileSnapshot) => clipScore(predictScore(model, fillDemand(f.featurize(s), f.demandIndex, model.skill_demand, s.profile)));
/** What a path that dropped the demand features would give. */
const dropped = (s: ProfileSnapshot) => clipScore(predictScore(model, f.featurize(s)));
const snap = (r: Freelancer): ProfileSnapshot => ({ profile: r, activity: activity.get(r.id) ?? null });

before(async () => {
  f = await loadFeaturizer();
  w = new DuckdbWarehouse({ file: ':memory:' });
  await w.migrate(allTables);
  await w.upsert(jobsTable, JOBS.map((j, i) => ({ id: `j${i}`, company_id: 'c1', title: 't', occupation: j.occupation, skills: j.skills, posted_at: '2025-12-01T00:00:00.000Z' })));
  await w.upsert(freelancers, rows as unknown as Record<string, unknown>[]);
  table = await loadSkillDemand(w);
  activity = await activitySummaries(w, 'all', NOW);
  const X = rows.map((r) => fillDemand(f.featurize(snap(r)), f.demandIndex, table, r));
  // The target rewards demanded skills and punishes having none: the demand features carry it.
  const y = rows.map((r, i) => {
    const d = demandFeatures(table, r);
    return Math.min(5, Math.max(1, 2.2 + 1.2 * d[2] - 0.9 * d[4] + r.years_experience / 20 + ((i * 5) % 7) / 20));
  });
  model = fitScoringModel(X, y, f.spec, { alpha: 0.3, version: 'm-demand', now: NOW, calibrate: 'always', skillDemand: table }).model;
  // Served from its JSON text, as the registry hands it over.
  live = createLiveModel(parseScoringModel(JSON.stringify(model)), f);
});

after(async () => {
  await w.close();
});

test('the model carries its demand table through JSON (format 3); the features matter to its scores', () => {
  assert.equal(model.format_version, 3);
  assert.deepEqual(parseScoringModel(JSON.parse(JSON.stringify(model))).skill_demand, table);
  assert.equal(table.jobs, JOBS.length);
  const moved = rows.filter((r) => Math.abs(expected(snap(r)) - dropped(snap(r))) > 0.05).length;
  assert.ok(moved >= N / 3, `dropping the demand features moves ${moved} of ${N} scores by > 0.05`);
  // The table is covered by the checksum, and only format 3 may carry it.
  const tampered = JSON.parse(JSON.stringify(model));
  tampered.skill_demand.by_occupation.engineer.counts.react += 1;
  assert.throws(() => parseScoringModel(tampered), /checksum mismatch/);
  const v2 = JSON.parse(JSON.stringify(model));
  v2.format_version = 2;
  v2.checksum = modelChecksum(v2);
  assert.throws(() => parseScoringModel(v2), { message: "model field 'skill_demand' is not part of format_version 2" });
  const corrupt = JSON.parse(JSON.stringify(model));
  corrupt.skill_demand.jobs = -1;
  corrupt.checksum = modelChecksum(corrupt);
  assert.throws(() => parseScoringModel(corrupt), { message: "model field 'skill_demand.jobs' must be a count" });
});

test('an older model without a table (format 2) still loads and scores, its demand features 0', () => {
  const old = JSON.parse(JSON.stringify(model));
  delete old.skill_demand;
  old.format_version = 2;
  old.checksum = modelChecksum(old);
  const m = createLiveModel(parseScoringModel(old), f);
  for (const r of rows.slice(0, 12)) {
    const e = m.explain(snap(r));
    assert.equal(e.score, dropped(snap(r)));
    for (const c of e.contributions.filter((c) => c.feature.startsWith('demand_'))) assert.equal(c.value, 0);
  }
});

test('live model: demand feature values come from the model table; score and reasons as predictScore', () => {
  const names = new Set(f.spec.features.filter((d) => d.group === 'demand').map((d) => d.name));
  assert.equal(names.size, 5);
  let reasonsWithDemand = 0;
  for (const r of rows) {
    const e = live.explain(snap(r));
    assert.equal(e.score, expected(snap(r)), r.id);
    const d = demandFeatures(table, r);
    assert.deepEqual(e.contributions.filter((c) => names.has(c.feature)).map((c) => c.value), [...d]);
    assert.equal(live.score(snap(r)).score, e.score);
    // The five demand columns are one attribute in the reasons (features/attributes.ts).
    if (live.score(snap(r)).reasons.some((x) => x.feature === 'skill_demand')) reasonsWithDemand++;
  }
  assert.ok(reasonsWithDemand > 0, 'skill demand shows up among the top reasons');
  const label = f.spec.features.find((d) => d.name === 'demand_none')!;
  assert.equal(label.label_ja, 'この職種の案件で求められるスキルがない');
});

test('batch: stored vectors + stored skill keys score bit for bit like the live model, inline and on the worker thread', async () => {
  for (const o of [{ workers: 0 }, { workers: 0, scoreWorkerFrom: 1 }]) {
    const t = await materializeScores(w, live, f, { now: NOW, ...o });
    assert.equal(t.orderedIds.length, N);
    for (const r of rows) {
      const s = t.byId.get(r.id)!;
      assert.equal(s.score, expected(snap(r)), `${r.id} (${JSON.stringify(o)})`);
      assert.equal(s.score, live.explain(snap(r)).score);
      assert.deepEqual(s.reasons, live.score(snap(r)).reasons);
    }
  }
  const stored = await w.query<{ freelancer_id: string; skill_keys: number[] }>('SELECT freelancer_id, skill_keys FROM freelancer_feature_vectors ORDER BY freelancer_id');
  assert.equal(stored.length, N);
  for (const s of stored) assert.deepEqual(s.skill_keys.map(Number), skillKeysOf(rows.find((r) => r.id === s.freelancer_id)!));
});

test('batch: a store written before skill_keys existed gains the column and every row its keys', async () => {
  const w2 = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w2.migrate(coreTables);
    await w2.upsert(freelancers, rows.slice(0, 6) as unknown as Record<string, unknown>[]);
    await w2.execute(`CREATE TABLE freelancer_feature_vectors (freelancer_id VARCHAR PRIMARY KEY, profile_version VARCHAR NOT NULL, feature_spec_version VARCHAR NOT NULL,
      source_updated_at TIMESTAMP NOT NULL, occupation VARCHAR, vector DOUBLE[] NOT NULL, computed_at TIMESTAMP NOT NULL)`);
    await w2.execute(`INSERT INTO freelancer_feature_vectors VALUES ('d000', 'old', 'fs1-old', TIMESTAMP '2025-01-01', 'エンジニア', [1.0], TIMESTAMP '2025-01-01')`);
    const acts = await activitySummaries(w2, 'all', NOW);
    const t = await materializeScores(w2, live, f, { now: NOW, workers: 0 });
    for (const r of rows.slice(0, 6)) assert.equal(t.byId.get(r.id)!.score, expected({ profile: r, activity: acts.get(r.id) ?? null }));
  } finally {
    await w2.close();
  }
});

test('in-warehouse SQL scoring materialises the demand features from the model table (within 1e-9)', async () => {
  const scored = await scoreInWarehouse(w, model, f, NOW);
  assert.equal(scored.length, N);
  for (const s of scored) {
    const r = rows.find((x) => x.id === s.freelancer_id)!;
    assert.ok(Math.abs(s.score - expected(snap(r))) <= 1e-9, `${r.id}: ${s.score} vs ${expected(snap(r))}`);
  }
});

test("training's row scorer recomputes a vector's demand features with the scored model's own table", () => {
  const score = rowScorer(realKit, f, live);
  const other = buildSkillDemand([{ occupation: 'エンジニア', skills: ['HTML', 'jQuery'] }, { occupation: 'エンジニア', skills: ['HTML'] }]);
  for (const r of rows) {
    const s = snap(r);
    assert.equal(score(s, f.featurize(s)), expected(s), `${r.id}: vector without demand`);
    assert.equal(score(s, fillDemand(f.featurize(s), f.demandIndex, other, r)), expected(s), `${r.id}: vector with another table's demand`);
  }
});

test('POST /v1/score scores an unsaved profile with the live model table', async () => {
  const holder = new LiveHolder();
  holder.swap({ model: live, scores: null });
  const svc = await startTestService({ live: holder });
  try {
    let moved = 0;
    for (const r of rows.slice(0, 12)) {
      const { id: _id, registered_at: _r, updated_at: _u, last_login_at: _l, ...profile } = r;
      const res = await svc.call('POST', '/v1/score', { token: TOKENS.scorer, body: { profile } });
      assert.equal(res.status, 200, res.text);
      const s = { profile: { ...profile, id: '' }, activity: null };
      assert.equal(res.body.score, expected(s), r.id);
      assert.deepEqual(res.body.reasons, live.score(s).reasons);
      if (Math.abs(expected(s) - dropped(s)) > 0.05) moved++;
    }
    assert.ok(moved > 0, 'some of these profiles depend on the demand features');
  } finally {
    await svc.close();
  }
});
