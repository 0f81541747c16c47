import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activateVersion, activationHistory, getVersion, listVersions, markInterruptedRuns, predecessorOf, writeVersion } from '../src/training/registry.ts';
import { getRun, saveRun } from '../src/training/runs.ts';
import { fakeFeaturizer, fakeKit, seedFreelancers, testDeps } from './training-helpers.ts';

function model(kit: ReturnType<typeof fakeKit>, version: string, slope: number) {
  const X = Array.from({ length: 20 }, (_, i) => fakeFeaturizer.featurize({ profile: { years_experience: i, skills: [], self_intro: 'x'.repeat(i * 10), has_photo: i % 2 === 0 } as any, activity: null }));
  return kit.fit(X, X.map((x) => 1 + slope * x[0]), fakeFeaturizer.spec, { version, alpha: 0.1 }).model;
}

async function setup() {
  const kit = fakeKit();
  const t = await testDeps({ kit });
  await seedFreelancers(t.deps.warehouse, 30, 51);
  for (const [v, slope] of [['m-a', 0.1], ['m-b', 0.2], ['m-c', 0.3]] as const) {
    await writeVersion(t.deps.warehouse, { version: v, created_at: t.clock.iso(), status: 'candidate', model: model(kit, v, slope), metrics: null, lineage: { run_id: null }, activated_at: null });
    t.clock.advance(1000);
  }
  return { ...t, kit };
}

test('activation flips live status in one statement: exactly one live version, the previous one retired, history kept', async () => {
  const { deps, clock } = await setup();
  await activateVersion(deps, 'm-a', { kind: 'promotion', actor: 'training:test', reason: 'first' });
  clock.advance(1000);
  await activateVersion(deps, 'm-b', { kind: 'manual', actor: 'ops@example.com', reason: 'roll forward' });
  clock.advance(1000);
  await activateVersion(deps, 'm-a', { kind: 'manual', actor: 'ops@example.com', reason: 'roll back' });
  const versions = await listVersions(deps.warehouse);
  assert.deepEqual(Object.fromEntries(versions.map((v) => [v.version, v.status])), { 'm-a': 'live', 'm-b': 'retired', 'm-c': 'candidate' });
  assert.equal(deps.live.current.model?.version, 'm-a');
  assert.equal(deps.live.current.scores?.modelVersion, 'm-a', 'model and scores swapped together');
  const hist = await activationHistory(deps.warehouse);
  assert.deepEqual(hist.map((h) => [h.version, h.previous_version, h.kind, h.reason]), [
    ['m-a', 'm-b', 'manual', 'roll back'],
    ['m-b', 'm-a', 'manual', 'roll forward'],
    ['m-a', null, 'promotion', 'first'],
  ]);
  assert.equal(await predecessorOf(deps.warehouse, 'm-a'), 'm-b');
  assert.equal((await getVersion(deps.warehouse, 'm-a'))?.activated_at, clock.iso());
});

test('activation readies the new scores for the read path before they go live', async () => {
  const { deps } = await setup();
  const seen: { version: string; liveDuring: string | undefined }[] = [];
  deps.live.onPrepare(async (scores) => {
    await new Promise((r) => setImmediate(r));
    seen.push({ version: scores.modelVersion, liveDuring: deps.live.current.scores?.modelVersion });
  });
  await activateVersion(deps, 'm-a', { kind: 'promotion', actor: 'training:test', reason: 'first' });
  await activateVersion(deps, 'm-b', { kind: 'manual', actor: 'ops@example.com', reason: 'roll forward' });
  assert.deepEqual(seen, [
    { version: 'm-a', liveDuring: undefined },
    { version: 'm-b', liveDuring: 'm-a' },
  ], 'each table was prepared while the previous one still served');
  assert.equal(deps.live.current.scores?.modelVersion, 'm-b');
});

test('activating an unknown version is 404; a failed version is refused', async () => {
  const { deps } = await setup();
  await assert.rejects(activateVersion(deps, 'nope', { kind: 'manual', actor: 'a', reason: 'r' }), (e: any) => e.status === 404);
  await deps.warehouse.execute(`UPDATE ${deps.warehouse.dialect.table('model_versions')} SET status = 'failed' WHERE version = 'm-c'`);
  await assert.rejects(activateVersion(deps, 'm-c', { kind: 'manual', actor: 'a', reason: 'r' }), (e: any) => e.status === 412);
});

test('start-up marks runs left running as failed and their candidates failed, never live', async () => {
  const { deps } = await setup();
  await activateVersion(deps, 'm-a', { kind: 'promotion', actor: 't', reason: 'first' });
  await saveRun(deps.warehouse, {
    run_id: 'run-crashed', status: 'running', triggered_by: 'test', trigger_reason: null, started_at: '2026-11-01T00:00:00.000Z', finished_at: null,
    progress: { step: 'activate', done: 8, total: 10 }, steps: [], decision: null, decision_reason: null, candidate_version: 'm-b',
    live_version_before: 'm-a', live_version_after: null, metrics: null, feature_summary: null, report_html: null, error: null,
  });
  // A shared warehouse (BigQuery, several instances): a run with a fresh heartbeat is alive.
  await deps.warehouse.execute(`UPDATE ${deps.warehouse.dialect.table('training_runs')} SET heartbeat_at = CAST(@t AS TIMESTAMP)`, { t: deps.now().toISOString() });
  assert.deepEqual(await markInterruptedRuns(deps.warehouse, new Date(deps.now().getTime() + 60_000), 10 * 60_000), []);
  assert.deepEqual(await markInterruptedRuns(deps.warehouse, new Date(deps.now().getTime() + 11 * 60_000), 10 * 60_000), ['run-crashed']);
  await deps.warehouse.execute(`UPDATE ${deps.warehouse.dialect.table('training_runs')} SET status = 'running'`);
  await deps.warehouse.execute(`UPDATE ${deps.warehouse.dialect.table('model_versions')} SET status = 'candidate' WHERE version = 'm-b'`);
  // DuckDB (one process per file): every run still 'running' at start-up is dead.
  const marked = await markInterruptedRuns(deps.warehouse, deps.now());
  assert.deepEqual(marked, ['run-crashed']);
  const run = await getRun(deps.warehouse, 'run-crashed');
  assert.equal(run?.status, 'failed');
  assert.match(run!.error!, /interrupted/);
  assert.equal((await getVersion(deps.warehouse, 'm-b'))?.status, 'failed');
  assert.equal((await getVersion(deps.warehouse, 'm-a'))?.status, 'live');
});
