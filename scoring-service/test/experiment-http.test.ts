/**
 * The experiments API end to end in-process (:memory: DuckDB, fixed clock): create,
 * assignment, imports with line-numbered errors, results, report, uplift, targeting, power.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, TOKENS, type TestService } from './helpers/http.ts';
import { END, NOW, START, generate } from './helpers/experiment-data.ts';
import { events } from '../src/domain/tables.ts';
import { sampleSize } from '../src/stats/experiments/power.ts';

let svc: TestService;
const ARMS = [{ name: 'control', weight: 1 }, { name: 'treatment', weight: 1 }];
const SALT = 'http-test-salt';
const data = generate(3000, ARMS, SALT);

before(async () => {
  svc = await startTestService({ now: () => NOW });
});
after(() => svc.close());

test('creating needs admin; bad input names the field; duplicates conflict', async () => {
  const body = { id: 'onboarding-mail', name: 'オンボーディングメール', hypothesis: 'メールでマッチが増える', goal_metric: 'match', secondary_metrics: ['message'], arms: ARMS, salt: SALT, start_at: START, end_at: END };
  assert.equal((await svc.call('POST', '/v1/experiments', { token: TOKENS.scorer, body })).status, 403);
  const bad = await svc.call('POST', '/v1/experiments', { body: { ...body, arms: [{ name: 'only' }] } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details.field, 'arms');
  const bad2 = await svc.call('POST', '/v1/experiments', { body: { ...body, goal_metric: 'Match!' } });
  assert.equal(bad2.body.error.details.field, 'goal_metric');
  const ok = await svc.call('POST', '/v1/experiments', { body });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.status, 'running');
  assert.equal((await svc.call('POST', '/v1/experiments', { body })).status, 409);
  const list = await svc.call('GET', '/v1/experiments', { token: TOKENS.scorer });
  assert.deepEqual(list.body.items.map((e: any) => e.id), ['onboarding-mail']);
});

test('assignment is deterministic and follows the hash; outside the window it is not recorded', async () => {
  const a = await svc.call('GET', '/v1/experiments/onboarding-mail/assignment?unit=fl-00007', { token: TOKENS.scorer });
  assert.equal(a.status, 200);
  assert.equal(a.body.arm, data.arm.get('fl-00007'));
  // NOW is after end_at: the arm is answered but not recorded as an exposure.
  assert.equal(a.body.recorded, false);
  const b = await svc.call('GET', '/v1/experiments/onboarding-mail/assignment?unit=fl-00007', { token: TOKENS.scorer });
  assert.equal(b.body.arm, a.body.arm);
  assert.equal((await svc.call('GET', '/v1/experiments/onboarding-mail/assignment', { token: TOKENS.scorer })).body.error.details.field, 'unit');
  assert.equal((await svc.call('GET', '/v1/experiments/nope/assignment?unit=x', { token: TOKENS.scorer })).status, 404);
});

test('an import with bad rows reports each line and imports nothing', async () => {
  const csv = 'unit_id,arm\nfl-00001,control\nfl-00002,blue\n,treatment\nfl-00001,treatment\n';
  const r = await svc.call('POST', '/v1/experiments/onboarding-mail/assignments', { body: { text: csv, format: 'csv' } });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.error.details.issues.map((i: any) => [i.line, i.field]), [[3, 'arm'], [4, 'unit_id'], [5, 'unit_id']]);
  const results = await svc.call('GET', '/v1/experiments/onboarding-mail/results', { token: TOKENS.scorer });
  assert.equal(results.body.stats.metrics[0].arms[0].units, 0, 'nothing was imported');
  const nd = '{"unit_id":"x","occurred_at":"yesterday"}\nnot json\n';
  const o = await svc.call('POST', '/v1/experiments/onboarding-mail/outcomes', { body: { text: nd } });
  assert.deepEqual(o.body.error.details.issues.map((i: any) => [i.line, i.field]), [[1, 'occurred_at'], [2, '(row)']]);
});

test('imported assignments and outcomes give per-arm counts, intervals, SRM and CUPED', async () => {
  const rows = data.units.map((u) => ({ unit_id: u, arm: data.arm.get(u) }));
  for (let i = 0; i < rows.length; i += 1500) {
    const r = await svc.call('POST', '/v1/experiments/onboarding-mail/assignments', { body: { rows: rows.slice(i, i + 1500) } });
    assert.equal(r.status, 200, r.text);
  }
  await svc.ctx.warehouse.append(events, data.loginEvents);
  const imp = await svc.call('POST', '/v1/experiments/onboarding-mail/outcomes', { body: { rows: data.outcomes } });
  assert.equal(imp.body.imported, data.outcomes.length);
  // Re-importing the same outcomes adds nothing (derived event ids).
  await svc.call('POST', '/v1/experiments/onboarding-mail/outcomes', { body: { rows: data.outcomes } });
  const r = await svc.call('GET', '/v1/experiments/onboarding-mail/results?cuped=1', { token: TOKENS.scorer });
  assert.equal(r.status, 200, r.text);
  const goal = r.body.stats.metrics[0];
  for (const [i, armName] of ['control', 'treatment'].entries()) {
    const members = data.units.filter((u) => data.arm.get(u) === armName);
    assert.equal(goal.arms[i].units, members.length);
    assert.equal(goal.arms[i].conversions, members.filter((u) => data.converted.get(u)).length);
  }
  const v = goal.variants[0];
  // True average effect: 0.25 × P(logins ≥ 4) = 0.25 × 2/6 ≈ 0.083.
  assert.ok(v.absolute.lower < 0.0833 && 0.0833 < v.absolute.upper, JSON.stringify(v.absolute));
  assert.ok(v.p_value < 1e-6 && v.chance_to_beat_control > 0.999);
  assert.ok(v.cuped && v.cuped.variance_reduction > 0, 'the login count predicts conversion');
  assert.equal(r.body.stats.srm.alarm, false);
  assert.equal(r.body.stats.metrics[1].name, 'message');
  assert.equal(typeof r.body.stats.metrics[1].variants[0].p_adjusted, 'number');
});

test('uplift training writes a ranked targeting list that finds the persuadables; CSV export', async () => {
  assert.equal((await svc.call('POST', '/v1/experiments/onboarding-mail/uplift', { token: TOKENS.scorer, body: {} })).status, 403);
  const run = await svc.call('POST', '/v1/experiments/onboarding-mail/uplift', { body: {} });
  assert.equal(run.status, 200, run.text);
  assert.ok(run.body.features.includes('pre_login'));
  const ev = run.body.evaluation[run.body.chosen];
  assert.ok(ev.uplift_at_30 > ev.overall_uplift, JSON.stringify(ev));
  const t = await svc.call('GET', '/v1/experiments/onboarding-mail/targeting?segment=persuadable&limit=50', { token: TOKENS.scorer });
  assert.equal(t.body.items.length, 50);
  assert.ok(t.body.items.every((x: any) => x.segment === 'persuadable'));
  const likely = await svc.call('GET', '/v1/experiments/onboarding-mail/targeting?sort=p_convert&limit=100', { token: TOKENS.scorer });
  const pc = likely.body.items.map((x: any) => x.p_convert);
  assert.deepEqual(pc, [...pc].sort((a: number, b: number) => b - a), 'ordered by predicted conversion');
  assert.equal((await svc.call('GET', '/v1/experiments/onboarding-mail/targeting?sort=x', { token: TOKENS.scorer })).body.error.details.field, 'sort');
  assert.equal((await svc.call('POST', '/v1/experiments/onboarding-mail/outcomes', { token: TOKENS.annotator, body: { rows: [] } })).status, 403);
  const csv = await svc.call('GET', '/v1/experiments/onboarding-mail/targeting?format=csv', { token: TOKENS.scorer });
  assert.match(csv.headers.get('content-type')!, /text\/csv/);
  const lines = csv.text.trim().split('\n');
  assert.equal(lines.length, 1 + data.units.length);
  assert.equal(lines[0], 'rank,unit_id,segment,uplift,p_treatment,p_control,p_convert');
});

test('the HTML report is self-contained and shows intervals, the SRM check and the Qini curve', async () => {
  const r = await svc.call('GET', '/v1/experiments/onboarding-mail/report?cuped=1', { token: TOKENS.scorer });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type')!, /text\/html/);
  for (const s of ['<svg', 'Qini', 'サンプル比', '95% CI', 'CUPED', 'オンボーディングメール']) assert.ok(r.text.includes(s), s);
  assert.ok(!/<script|<link|src="http|href="http/i.test(r.text), 'no external assets');
});

test('the sample-size calculator answers as the statistics core; bad input names the field', async () => {
  const r = await svc.call('GET', '/v1/power/sample-size?baseline=0.1&mde=0.2&daily_units=500', { token: TOKENS.scorer });
  assert.equal(r.status, 200);
  const s = sampleSize({ baseline: 0.1, mde: 0.2, relative: true });
  assert.equal(r.body.control, s.control);
  assert.equal(r.body.days, Math.ceil(s.total / 500));
  const bad = await svc.call('GET', '/v1/power/sample-size?baseline=2&mde=0.1', { token: TOKENS.scorer });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details.field, 'baseline');
  const doc = await svc.call('GET', '/openapi.json', { token: null });
  assert.ok(doc.body.paths['/v1/experiments/{id}/assignment'] && doc.body.paths['/v1/power/sample-size']);
});
