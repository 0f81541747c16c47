import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTrainingSchedule } from '../src/training/schedule.ts';
import { listRuns } from '../src/training/runs.ts';
import { useModelKit } from '../src/training/model-kit.ts';
import { loadConfig, ConfigError } from '../src/config.ts';
import type { ServiceContext } from '../src/http/context.ts';
import { addAnnotations, fakeKit, makeAnnotations, seedFreelancers, testDeps } from './training-helpers.ts';

test('the in-process schedule runs training on its cron in the configured time zone, and can be stopped', async () => {
  const { deps, lines } = await testDeps({ env: { TRAIN_CRON: '* * * * * *', TRAIN_TIMEZONE: 'Asia/Tokyo' } });
  useModelKit(deps.warehouse, fakeKit());
  const fl = await seedFreelancers(deps.warehouse, 60, 61);
  await addAnnotations(deps.warehouse, makeAnnotations(fl, { seed: 62, createdAt: '2026-10-01T00:00:00.000Z', idPrefix: 'a' }));
  const ctx = { ...deps, auth: {} } as unknown as ServiceContext;
  const stop = startTrainingSchedule(ctx);
  assert.ok(stop);
  try {
    let runs: Awaited<ReturnType<typeof listRuns>> = [];
    for (let i = 0; i < 100 && !runs.some((r) => r.status === 'succeeded'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      runs = await listRuns(deps.warehouse);
    }
    const done = runs.find((r) => r.status === 'succeeded');
    assert.ok(done, 'a scheduled run finished');
    assert.equal(done!.triggered_by, 'schedule');
    assert.match(done!.trigger_reason ?? '', /Asia\/Tokyo/);
    assert.ok(lines.some((l) => l.includes('daily training scheduled')));
  } finally {
    stop!();
  }
  await new Promise((r) => setTimeout(r, 300));
  const n = (await listRuns(deps.warehouse)).length;
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await listRuns(deps.warehouse)).length, n, 'no run after stop');
});

test('the schedule is off when disabled; bad cron or time zone fail at configuration', async () => {
  const { deps } = await testDeps({ env: { TRAIN_SCHEDULE_ENABLED: 'false' } });
  assert.equal(startTrainingSchedule({ ...deps, auth: {} } as unknown as ServiceContext), undefined);
  assert.equal(loadConfig({}).training.cron, '0 4 * * *');
  assert.equal(loadConfig({}).training.timeZone, 'Asia/Tokyo');
  assert.throws(() => loadConfig({ TRAIN_CRON: 'every day' }), (e: unknown) => e instanceof ConfigError && /TRAIN_CRON/.test(e.message));
  assert.throws(() => loadConfig({ TRAIN_TIMEZONE: 'Mars/Olympus' }), (e: unknown) => e instanceof ConfigError && /TRAIN_TIMEZONE/.test(e.message));
});
