import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTraining } from '../src/training/run.ts';
import { getVersion, listVersions, loadLiveModelAtStartup } from '../src/training/registry.ts';
import { getRun, listRuns } from '../src/training/runs.ts';
import { addAnnotations, clock, fakeKit, makeAnnotations, seedFreelancers, testDeps } from './training-helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

test('a run killed with SIGKILL mid-way (in a child process) leaves a consistent registry; restart marks it failed and serves the old model', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workship-kill-'));
  const file = path.join(dir, 'w.duckdb');
  try {
    const c = clock('2026-11-01T00:00:00.000Z');
    const first = await testDeps({ file, clock: c });
    const bad = await seedFreelancers(first.deps.warehouse, 150, 31);
    await addAnnotations(first.deps.warehouse, makeAnnotations(bad, { seed: 32, shuffled: true, createdAt: c.iso(), idPrefix: 'b' }));
    const v1 = await runTraining(first.deps, { by: 'test' });
    assert.equal(v1.decision, 'promoted');
    const good = await seedFreelancers(first.deps.warehouse, 500, 33, 1000);
    await addAnnotations(first.deps.warehouse, makeAnnotations(good, { seed: 34, createdAt: '2026-11-02T00:00:00.000Z', idPrefix: 'g' }));
    await first.deps.warehouse.close();

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'training-kill-child.ts'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child never reached materialisation:\n${out}\n${err}`)), 60_000);
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('MATERIALIZED')) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        if (!out.includes('MATERIALIZED')) reject(new Error(`child exited early:\n${out}\n${err}`));
      });
    });
    await new Promise((r) => child.once('exit', r));
    assert.match(out, new RegExp(`LIVE ${v1.candidate_version}`));
    assert.match(out, /STEP activate/);
    assert.doesNotMatch(out, /FINISHED/);

    const kit = fakeKit();
    const again = await testDeps({ file, kit });
    try {
      const w = again.deps.warehouse;
      const before = await listVersions(w);
      assert.equal(before.filter((v) => v.status === 'live').length, 1, 'exactly one live version after the crash');
      assert.equal(before.find((v) => v.status === 'live')!.version, v1.candidate_version);
      const stored = await w.query<{ model_version: string }>(`SELECT DISTINCT model_version FROM ${w.dialect.table('freelancer_scores')}`);
      assert.notEqual(stored[0].model_version, v1.candidate_version, 'the killed run had written its scores');

      const loaded = await loadLiveModelAtStartup(again.deps);
      assert.equal(loaded?.model.version, v1.candidate_version);
      assert.equal(loaded?.scores.modelVersion, v1.candidate_version, 'scores re-materialised with the live version');
      assert.equal(kit.materialized, 1);
      const runs = await listRuns(w);
      const killed = runs.find((r) => r.triggered_by === 'child')!;
      assert.equal(killed.status, 'failed');
      assert.match(killed.error ?? '', /interrupted/);
      const cand = await getVersion(w, (await getRun(w, killed.run_id))!.candidate_version!);
      assert.equal(cand?.status, 'failed', 'the half-done candidate is failed, never live');
      const after = await w.query<{ model_version: string }>(`SELECT DISTINCT model_version FROM ${w.dialect.table('freelancer_scores')}`);
      assert.deepEqual(after.map((r) => r.model_version), [v1.candidate_version]);
    } finally {
      await again.deps.warehouse.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('if the live model fails to load at start-up, the previous valid version is served and the failure logged loudly', async () => {
  const c = clock();
  const { deps, lines } = await testDeps({ clock: c });
  const fl = await seedFreelancers(deps.warehouse, 200, 41);
  await addAnnotations(deps.warehouse, makeAnnotations(fl, { seed: 42, shuffled: true, createdAt: c.iso(), idPrefix: 'b' }));
  const v1 = await runTraining(deps, { by: 'test' });
  c.advance(86_400_000);
  const more = await seedFreelancers(deps.warehouse, 500, 43, 1000);
  await addAnnotations(deps.warehouse, makeAnnotations(more, { seed: 44, createdAt: c.iso(), idPrefix: 'g' }));
  const v2 = await runTraining(deps, { by: 'test' });
  assert.equal(v2.decision, 'promoted');
  // Corrupt the stored live model (checksum no longer matches).
  const row = await getVersion(deps.warehouse, v2.candidate_version!);
  const broken = { ...(row!.model as any), intercept: 99 };
  await deps.warehouse.execute(`UPDATE ${deps.warehouse.dialect.table('model_versions')} SET model = CAST(@m AS JSON) WHERE version = @v`, { m: JSON.stringify(broken), v: v2.candidate_version! });

  const restarted = { ...deps, live: new (deps.live.constructor as any)() };
  const loaded = await loadLiveModelAtStartup(restarted);
  assert.equal(loaded?.model.version, v1.candidate_version);
  assert.equal(restarted.live.current.model.version, v1.candidate_version);
  assert.ok(lines.some((l) => l.includes('"severity":"CRITICAL"') && l.includes('FAILED TO LOAD')));
  assert.equal((await getVersion(deps.warehouse, v2.candidate_version!))?.status, 'failed');
  assert.equal((await getVersion(deps.warehouse, v1.candidate_version!))?.status, 'live');
});
