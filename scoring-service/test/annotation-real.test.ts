/**
 * The annotation service with its real collaborators: demo data (seedDemo), the real
 * featurizer (kuromoji), the production model (fitScoringModel → createLiveModel) and
 * activity summaries; the stored annotation is then read by the training batch's loader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { seedDemo } from '../src/demo/generator.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { fitScoringModel } from '../src/model/scoring-model.ts';
import { createLiveModel } from '../src/model/live-model.ts';
import { LiveHolder } from '../src/scores/live.ts';
import { productionDeps } from '../src/annotation/deps.ts';
import { attachAnnotationService } from '../src/annotation/registry.ts';
import { mulberry32 } from '../src/demo/rng.ts';
import { buildTrainingSet, loadAnnotations } from '../src/training/dataset.ts';
import { startTestService, TOKENS } from './helpers/http.ts';
import type { ProfileSnapshot } from '../src/domain/types.ts';

test('with the real featurizer, model and activity: uncertainty-ranked tasks, real reasons, and the training loader reads the annotation', async () => {
  const warehouse = new DuckdbWarehouse({ file: ':memory:' });
  const now = new Date('2026-11-01T03:00:00.000Z');
  const svc = await startTestService({ warehouse, now: () => now, env: { DOUBLE_ANNOTATION_SHARE: '0' } });
  try {
    await seedDemo(warehouse, { freelancers: 80, annotations: 40, seed: 3 });
    const featurizer = await loadFeaturizer();
    const rows = await warehouse.query<{ profile_snapshot: ProfileSnapshot; score: number }>(`SELECT profile_snapshot, score FROM annotations`);
    const { model } = fitScoringModel(rows.map((r) => featurizer.featurize(r.profile_snapshot)), rows.map((r) => r.score), featurizer.spec, { seed: 1, version: 'm-real-1' });
    const live = svc.ctx.live as LiveHolder;
    live.swap({ model: createLiveModel(model, featurizer), scores: null });
    Object.assign(svc.ctx.config.annotation, { poolWaitMs: 120_000 });
    attachAnnotationService(svc.ctx, productionDeps(mulberry32(5)));

    const r = await svc.call('GET', '/v1/annotation/next?count=3', { token: TOKENS.annotator });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.tasks.length, 3);
    for (const t of r.body.tasks) {
      assert.equal(t.prediction.model_version, 'm-real-1');
      assert.ok(t.prediction.score >= 1 && t.prediction.score <= 5);
      assert.ok(t.prediction.reasons.length > 0 && typeof t.prediction.reasons[0].label === 'string');
      assert.ok(t.activity && typeof t.activity.logins_30d === 'number');
      assert.ok(typeof t.why.details.uncertainty === 'number' && t.why.details.uncertainty > 0, 'the real ensemble gives a spread');
    }
    const task = r.body.tasks[0];
    const posted = await svc.call('POST', '/v1/annotations', {
      token: TOKENS.annotator,
      body: { lease_id: task.lease_id, freelancer_id: task.freelancer_id, score: 5, comment: '実績が具体的', rubric_version: task.rubric_version, client_request_id: 'real-1' },
    });
    assert.equal(posted.status, 201, posted.text);

    const annotations = await loadAnnotations(warehouse);
    const mine = annotations.find((a) => a.annotation_id === posted.body.annotation_id);
    assert.ok(mine, 'the training loader sees the new annotation');
    assert.deepEqual(mine.profile_snapshot, { profile: task.profile, activity: task.activity });
    const set = buildTrainingSet(annotations);
    assert.ok(set.examples.some((e) => e.freelancerId === task.freelancer_id));
  } finally {
    await svc.close();
  }
});
