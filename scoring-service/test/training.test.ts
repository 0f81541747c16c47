import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTraining, startTraining } from '../src/training/run.ts';
import { activateVersion, activationHistory, getVersion, listVersions, writeVersion } from '../src/training/registry.ts';
import { getRun } from '../src/training/runs.ts';
import { ConflictError } from '../src/errors.ts';
import { addAnnotations, clock, fakeFeaturizer, fakeKit, makeAnnotations, seedFreelancers, testDeps } from './training-helpers.ts';

const DAY = 86_400_000;

test('the first run with no live model promotes, materialises scores and records lineage', async () => {
  const { deps } = await testDeps();
  const fl = await seedFreelancers(deps.warehouse, 300, 1);
  await addAnnotations(deps.warehouse, makeAnnotations(fl, { seed: 2, createdAt: '2026-10-01T00:00:00.000Z', idPrefix: 'a' }));
  const r = await runTraining(deps, { by: 'test' });
  assert.equal(r.status, 'succeeded', r.error);
  assert.equal(r.decision, 'promoted');
  assert.equal(deps.live.current.model?.version, r.candidate_version);
  assert.equal(deps.live.current.scores?.byId.size, 300);
  const v = await getVersion(deps.warehouse, r.candidate_version!);
  assert.equal(v?.status, 'live');
  const lineage = v!.lineage as any;
  assert.equal(lineage.training_set.annotations > 300, true);
  assert.equal(lineage.training_set.freelancers, 300);
  assert.match(lineage.training_set.content_hash, /^sha256:[0-9a-f]{64}$/);
  assert.equal(lineage.feature_spec_version, 'fake-spec-1');
  assert.equal(lineage.code_version, 'dev');
  assert.ok(lineage.hyperparameters.selected_features.includes('years_experience'));
  assert.ok(!lineage.hyperparameters.selected_features.includes('constant_one'), 'the constant feature is dropped');
  const run = await getRun(deps.warehouse, r.run_id, true);
  assert.equal(run?.status, 'succeeded');
  assert.deepEqual(run!.steps.map((s) => s.name), ['rollback_check', 'dataset', 'features', 'selection', 'final_fit', 'cross_validation', 'learning_curve', 'gate', 'activate', 'report']);
  assert.ok(run!.steps.every((s) => s.seconds >= 0));
  assert.ok(run!.report_html!.includes('<svg'));
  const sel = (run!.metrics as any).feature_selection as { name: string; kept: boolean; reason_en: string }[];
  assert.deepEqual(sel.find((x) => x.name === 'constant_one'), { ...sel.find((x) => x.name === 'constant_one'), kept: false, reason_en: 'constant in every row' });
  assert.ok(sel.find((x) => x.name === 'years_experience')!.kept);
  const hist = await activationHistory(deps.warehouse);
  assert.equal(hist.length, 1);
  assert.equal(hist[0].kind, 'promotion');
});

test('better data promotes over a live model trained on shuffled scores', async () => {
  const c = clock();
  const { deps } = await testDeps({ clock: c });
  const bad = await seedFreelancers(deps.warehouse, 200, 3);
  await addAnnotations(deps.warehouse, makeAnnotations(bad, { seed: 4, shuffled: true, createdAt: c.iso(), idPrefix: 'bad' }));
  const first = await runTraining(deps, { by: 'test' });
  assert.equal(first.decision, 'promoted');
  c.advance(DAY);
  const good = await seedFreelancers(deps.warehouse, 600, 5, 1000);
  await addAnnotations(deps.warehouse, makeAnnotations(good, { seed: 6, createdAt: c.iso(), idPrefix: 'good' }));
  c.advance(DAY);
  const second = await runTraining(deps, { by: 'test' });
  assert.equal(second.decision, 'promoted', second.decision_reason);
  assert.equal(deps.live.current.model?.version, second.candidate_version);
  const versions = await listVersions(deps.warehouse);
  assert.deepEqual(versions.map((v) => v.status).sort(), ['live', 'retired']);
});

test('degraded data (shuffled scores) is rejected and the live model stays', async () => {
  const c = clock();
  const { deps } = await testDeps({ clock: c });
  const fl = await seedFreelancers(deps.warehouse, 600, 7);
  const good = makeAnnotations(fl, { seed: 8, createdAt: c.iso(), idPrefix: 'g' });
  await addAnnotations(deps.warehouse, good);
  const first = await runTraining(deps, { by: 'test' });
  assert.equal(first.decision, 'promoted');
  c.advance(DAY);
  // The annotation table's scores get shuffled against their profiles.
  await deps.warehouse.execute(`DELETE FROM ${deps.warehouse.dialect.table('annotations')}`);
  await addAnnotations(deps.warehouse, makeAnnotations(fl, { seed: 8, shuffled: true, createdAt: c.iso(), idPrefix: 'g' }));
  const second = await runTraining(deps, { by: 'test' });
  assert.equal(second.status, 'succeeded', second.error);
  assert.equal(second.decision, 'rejected', second.decision_reason);
  assert.equal(deps.live.current.model?.version, first.candidate_version);
  assert.equal((await getVersion(deps.warehouse, second.candidate_version!))?.status, 'rejected');
  assert.equal((await getVersion(deps.warehouse, first.candidate_version!))?.status, 'live');
  assert.match(second.decision_reason, /live model kept/);
});

test('auto-rollback fires when a promoted model gets worse on new annotations; history records manual and automatic changes', async () => {
  const c = clock();
  const kit = fakeKit();
  const { deps, lines } = await testDeps({ clock: c, kit });
  const fl = await seedFreelancers(deps.warehouse, 400, 9);
  await addAnnotations(deps.warehouse, makeAnnotations(fl, { seed: 10, createdAt: c.iso(), idPrefix: 'g' }));
  const first = await runTraining(deps, { by: 'test' });
  assert.equal(first.decision, 'promoted');
  c.advance(DAY);
  // A bad model (fitted to shuffled scores) is activated by hand.
  const shuffled = makeAnnotations(fl, { seed: 11, shuffled: true, createdAt: c.iso(), idPrefix: 'x' });
  const X = shuffled.map((a) => fakeFeaturizer.featurize(a.profile_snapshot));
  const badModel = kit.fit(X, shuffled.map((a) => a.score), fakeFeaturizer.spec, { version: 'm-bad', alpha: 1 }).model;
  await writeVersion(deps.warehouse, { version: 'm-bad', created_at: c.iso(), status: 'retired', model: badModel, metrics: null, lineage: null, activated_at: null });
  await activateVersion(deps, 'm-bad', { kind: 'manual', actor: 'admin@example.com', reason: 'trying the experimental model' });
  assert.equal(deps.live.current.model?.version, 'm-bad');
  c.advance(DAY);
  const fresh = await seedFreelancers(deps.warehouse, 150, 12, 5000);
  await addAnnotations(deps.warehouse, makeAnnotations(fresh, { seed: 13, createdAt: c.iso(), idPrefix: 'n' }));
  c.advance(DAY);
  const r = await runTraining(deps, { by: 'test' });
  assert.equal(r.status, 'succeeded', r.error);
  assert.equal(r.rollback?.fired, true, r.rollback?.reason_en);
  assert.equal(r.rollback?.live_version, 'm-bad');
  assert.equal(r.rollback?.predecessor_version, first.candidate_version);
  assert.ok(lines.some((l) => l.includes('AUTO-ROLLBACK')));
  const hist = await activationHistory(deps.warehouse);
  const kinds = hist.map((h) => `${h.kind}:${h.version}`).reverse();
  assert.deepEqual(kinds.slice(0, 3), [`promotion:${first.candidate_version}`, 'manual:m-bad', `rollback:${first.candidate_version}`]);
  const manual = hist.find((h) => h.kind === 'manual')!;
  assert.equal(manual.actor, 'admin@example.com');
  assert.equal(manual.reason, 'trying the experimental model');
  assert.equal(manual.previous_version, first.candidate_version);
  const rb = hist.find((h) => h.kind === 'rollback')!;
  assert.equal(rb.actor, 'system:auto-rollback');
  assert.equal(rb.previous_version, 'm-bad');
  assert.match(rb.reason, /worse than its predecessor/);
  assert.equal((await getVersion(deps.warehouse, 'm-bad'))?.status, 'retired');
});

test('a concurrent trigger gets a ConflictError (409) naming the running run', async () => {
  const { deps } = await testDeps({ kit: fakeKit({ materializeDelayMs: 200 }) });
  const fl = await seedFreelancers(deps.warehouse, 100, 14);
  await addAnnotations(deps.warehouse, makeAnnotations(fl, { seed: 15, createdAt: '2026-10-01T00:00:00.000Z', idPrefix: 'a' }));
  const firstP = startTraining(deps, { by: 'test' });
  // The lock is taken synchronously: a trigger in the same tick already conflicts.
  await assert.rejects(startTraining(deps, { by: 'test-0' }), ConflictError);
  const first = await firstP;
  await assert.rejects(
    startTraining(deps, { by: 'test-2' }),
    (e: unknown) => e instanceof ConflictError && e.status === 409 && (e.details as any).run_id === first.runId,
  );
  const r = await first.done;
  assert.equal(r.status, 'succeeded');
  const again = await runTraining(deps, { by: 'test-3' });
  assert.equal(again.status, 'succeeded', 'the lock is released after a run');
});

test('a model whose JSON fails validation is never activated', async () => {
  const { deps } = await testDeps();
  const fl = await seedFreelancers(deps.warehouse, 100, 16);
  await addAnnotations(deps.warehouse, makeAnnotations(fl, { seed: 17, createdAt: '2026-10-01T00:00:00.000Z', idPrefix: 'a' }));
  const r = await runTraining(deps, { by: 'test' });
  const good = await getVersion(deps.warehouse, r.candidate_version!);
  const corrupt = { ...(good!.model as any), coef: [1, 2, 3, 4, 5] };
  await writeVersion(deps.warehouse, { ...good!, version: 'm-corrupt', status: 'retired', activated_at: null, model: { ...corrupt, version: 'm-corrupt' } });
  await assert.rejects(activateVersion(deps, 'm-corrupt', { kind: 'manual', actor: 'admin', reason: 'x' }), /fails validation/);
  assert.equal(deps.live.current.model?.version, r.candidate_version);
  assert.equal((await getVersion(deps.warehouse, 'm-corrupt'))?.status, 'failed');
  assert.equal((await getVersion(deps.warehouse, r.candidate_version!))?.status, 'live');
});

test('fewer than 10 annotations: the run succeeds with decision no_data and nothing changes', async () => {
  const { deps } = await testDeps();
  const fl = await seedFreelancers(deps.warehouse, 5, 18);
  await addAnnotations(deps.warehouse, makeAnnotations(fl, { seed: 19, createdAt: '2026-10-01T00:00:00.000Z', idPrefix: 'a', doubleShare: 0 }));
  const r = await runTraining(deps, { by: 'test' });
  assert.equal(r.decision, 'no_data');
  assert.equal(deps.live.current.model, null);
});
