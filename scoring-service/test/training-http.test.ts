import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, TOKENS, TOKEN_SPEC } from './helpers/http.ts';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { useModelKit } from '../src/training/model-kit.ts';
import { addAnnotations, fakeKit, makeAnnotations, seedFreelancers } from './training-helpers.ts';

async function service(o: { materializeDelayMs?: number; env?: Record<string, string> } = {}) {
  const warehouse = new DuckdbWarehouse({ file: ':memory:' });
  await warehouse.migrate(allTables);
  useModelKit(warehouse, fakeKit({ materializeDelayMs: o.materializeDelayMs }));
  const fl = await seedFreelancers(warehouse, 200, 21);
  await addAnnotations(warehouse, makeAnnotations(fl, { seed: 22, createdAt: '2026-10-01T00:00:00.000Z', idPrefix: 'a' }));
  return startTestService({ warehouse, env: o.env });
}

test('POST /v1/train: admin only, 202 with the run id, and a second trigger while running gets 409 naming it', async () => {
  const s = await service({ materializeDelayMs: 300 });
  try {
    assert.equal((await s.call('POST', '/v1/train', { token: TOKENS.scorer, body: {} })).status, 403);
    assert.equal((await s.call('POST', '/v1/train', { token: TOKENS.annotator, body: {} })).status, 403);
    const first = await s.call('POST', '/v1/train', { body: { reason: 'daily' } });
    assert.equal(first.status, 202);
    const runId = first.body.run_id;
    assert.match(runId, /^run-/);
    const second = await s.call('POST', '/v1/train', { body: {} });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, 'conflict');
    assert.equal(second.body.error.details.run_id, runId);
    const act = await s.call('POST', '/v1/models/m-any/activate', { body: { reason: 'during a run' } });
    assert.equal(act.status, 409, 'no manual activation while a run is going');
    assert.equal(act.body.error.details.run_id, runId);
    const during = await s.call('GET', `/v1/runs/${runId}`, { token: TOKENS.annotator });
    assert.equal(during.status, 200);
    assert.equal(during.body.status, 'running');
    assert.ok(during.body.progress.step);
    let run;
    for (let i = 0; i < 200; i++) {
      run = (await s.call('GET', `/v1/runs/${runId}`)).body;
      if (run.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(run.status, 'succeeded');
    assert.equal(run.decision, 'promoted');
    assert.equal(run.triggered_by, 'token:admin@example.com');
    assert.equal(run.trigger_reason, 'daily');
    const list = await s.call('GET', '/v1/runs');
    assert.equal(list.body.items[0].run_id, runId);
    assert.equal(list.body.items[0].report_html, undefined, 'lists do not carry reports');
    assert.equal((await s.call('GET', '/v1/runs/nope')).status, 404);
  } finally {
    await s.close();
  }
});

test('models API: list, show, history; activate needs admin and a reason (400 naming reason)', async () => {
  const s = await service();
  try {
    const a = await s.call('POST', '/v1/train?wait=true', { body: {} });
    assert.equal(a.status, 200);
    const b = await s.call('POST', '/v1/train?wait=true', { body: {} });
    assert.equal(b.status, 200);
    const list = await s.call('GET', '/v1/models', { token: TOKENS.annotator });
    assert.equal(list.status, 200);
    assert.equal(list.body.live_version, a.body.candidate_version);
    assert.equal(list.body.items.length, 2);
    assert.equal(list.body.items[0].model, undefined);
    const show = await s.call('GET', `/v1/models/${b.body.candidate_version}`);
    assert.equal(show.body.status, 'rejected', 'the same data again is no improvement');
    assert.equal(show.body.model.type, 'fake.linear');
    assert.equal((await s.call('GET', '/v1/models/nope')).status, 404);

    const noReason = await s.call('POST', `/v1/models/${b.body.candidate_version}/activate`, { body: {} });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.details.field, 'reason');
    assert.equal((await s.call('POST', `/v1/models/${b.body.candidate_version}/activate`, { token: TOKENS.annotator, body: { reason: 'x' } })).status, 403);
    const ok = await s.call('POST', `/v1/models/${b.body.candidate_version}/activate`, { body: { reason: 'roll forward to compare in production' } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.version, b.body.candidate_version);
    const health = await s.call('GET', '/healthz', { token: null });
    assert.equal(health.body.model_version, b.body.candidate_version, 'the in-memory model was swapped');
    const back = await s.call('POST', `/v1/models/${a.body.candidate_version}/activate`, { body: { reason: 'manual rollback' } });
    assert.equal(back.status, 200);
    const hist = await s.call('GET', '/v1/models/history');
    assert.deepEqual(
      hist.body.items.map((h: any) => [h.kind, h.version, h.actor, h.reason]),
      [
        ['manual', a.body.candidate_version, 'admin@example.com', 'manual rollback'],
        ['manual', b.body.candidate_version, 'admin@example.com', 'roll forward to compare in production'],
        ['promotion', a.body.candidate_version, 'training:token:admin@example.com', hist.body.items[2].reason],
      ],
    );
  } finally {
    await s.close();
  }
});

test('the report has every section, is self-contained, and contains no token or key', async () => {
  const secretKey = 'sk-live-ABCDEF1234567890';
  const s = await service({ env: { API_TOKENS: TOKEN_SPEC, GOOGLE_AUDIENCE: 'aud-' + secretKey, GOOGLE_ALLOWLIST: `admin@example.com=admin` } });
  try {
    const first = await s.call('POST', '/v1/train?wait=true', { body: {} });
    const r = await s.call('POST', '/v1/train?wait=true', { body: { reason: `token ${TOKENS.admin}` } });
    assert.equal(r.body.status, 'succeeded');
    for (const id of [first.body.run_id, r.body.run_id]) {
      const rep = await s.call('GET', `/v1/runs/${id}/report`, { token: TOKENS.annotator });
      assert.equal(rep.status, 200);
      assert.match(rep.headers.get('content-type') ?? '', /text\/html/);
      const html = rep.text;
      for (const section of ['decision', 'metrics', 'scatter', 'residuals', 'learning-curve', 'features', 'annotators', 'themes', 'drift', 'lineage']) {
        assert.ok(html.includes(`<section id="${section}">`), `section ${section}`);
      }
      assert.ok(html.includes('<svg'), 'inline SVG charts');
      assert.doesNotMatch(html, /<script|<link |src="http|href="http|@import|url\(/i, 'no external assets or scripts');
      for (const t of Object.values(TOKENS)) assert.ok(!html.includes(t), `token ${t.slice(0, 10)}… must not appear`);
      assert.ok(!html.includes(secretKey));
      assert.match(html, /判定/);
      assert.match(html, /Krippendorff/);
      assert.match(html, /実績/, 'comment themes tokenised with kuromoji');
      assert.match(html, /項目別の重要度/, 'importances per profile attribute (real featurizer: training-real.test.ts)');
    }
    const second = (await s.call('GET', `/v1/runs/${r.body.run_id}/report`)).text;
    assert.ok(second.includes(`前回 / previous run: ${first.body.run_id}`), 'drift compares with the previous run');
  } finally {
    await s.close();
  }
});
