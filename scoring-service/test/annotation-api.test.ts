import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TOKENS } from './helpers/http.ts';
import { annotationEnv, type AnnotationEnv } from './annotation-fixture.ts';
import { freelancers } from '../src/domain/tables.ts';

const ENDPOINTS: [string, string, unknown?][] = [
  ['GET', '/v1/annotation/next'],
  ['POST', '/v1/annotations', {}],
  ['POST', '/v1/annotation/skip', {}],
  ['GET', '/v1/annotations?mine=1'],
  ['DELETE', '/v1/annotations/last'],
  ['GET', '/v1/annotation/stats'],
  ['GET', '/v1/annotation/rubric'],
  ['PUT', '/v1/annotation/rubric', { text: 'x' }],
  ['GET', '/v1/annotation/settings'],
  ['PUT', '/v1/annotation/settings', { blind_mode: true }],
];

async function next(env: AnnotationEnv, token: string, count = 1) {
  const r = await env.svc.call('GET', `/v1/annotation/next?count=${count}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

function submitBody(task: any, o: Record<string, unknown> = {}) {
  return { lease_id: task.lease_id, freelancer_id: task.freelancer_id, score: 4, comment: 'スキルが職種に合っている', rubric_version: task.rubric_version, client_request_id: `req-${task.lease_id}`, ...o };
}

describe('annotation API: roles', () => {
  let env: AnnotationEnv;
  before(async () => (env = await annotationEnv()));
  after(async () => env.svc.close());

  test('every endpoint answers 401 without a token and 403 to a scorer', async () => {
    for (const [method, path, body] of ENDPOINTS) {
      const anon = await env.svc.call(method, path, { token: null, body });
      assert.equal(anon.status, 401, `${method} ${path}`);
      const scorer = await env.svc.call(method, path, { token: TOKENS.scorer, body });
      assert.equal(scorer.status, 403, `${method} ${path}`);
      assert.equal(scorer.body.error.code, 'permission_denied');
    }
  });

  test('an annotator may not change the rubric or the settings, nor list everyone’s annotations', async () => {
    assert.equal((await env.svc.call('PUT', '/v1/annotation/rubric', { token: TOKENS.annotator, body: { text: '新しい基準' } })).status, 403);
    assert.equal((await env.svc.call('PUT', '/v1/annotation/settings', { token: TOKENS.annotator, body: { blind_mode: true } })).status, 403);
    assert.equal((await env.svc.call('GET', '/v1/annotations', { token: TOKENS.annotator })).status, 403);
    assert.equal((await env.svc.call('GET', '/v1/annotations', { token: TOKENS.admin })).status, 200);
  });
});

describe('annotation API: tasks and submissions', () => {
  let env: AnnotationEnv;
  before(async () => (env = await annotationEnv()));
  after(async () => env.svc.close());

  test('GET /next returns tasks with profile, activity, prediction with reasons, a 15-minute lease and why', async () => {
    const body = await next(env, TOKENS.annotator, 3);
    assert.equal(body.tasks.length, 3);
    assert.equal(body.rubric_version, 'v1');
    assert.equal(body.blind_mode, false);
    assert.equal(typeof body.queue_size, 'number');
    for (const t of body.tasks) {
      assert.equal(t.task_id, t.lease_id);
      assert.equal(t.profile.id, t.freelancer_id);
      assert.equal(t.activity.logins_30d, 3);
      assert.equal(t.prediction.model_version, 'm-test-1');
      assert.ok(t.prediction.reasons.length > 0);
      assert.equal(typeof t.prediction.percentile, 'number');
      assert.equal(Date.parse(t.lease_expires_at) - env.clock.now.getTime(), 15 * 60_000);
      assert.ok(['uncertain', 'rare_occupation', 'representative', 'changed'].includes(t.why.code));
      assert.ok(t.why.label_ja && t.why.label_en);
      assert.equal(t.rubric_version, 'v1');
      assert.equal(t.double, false);
    }
    assert.equal(new Set(body.tasks.map((t: any) => t.freelancer_id)).size, 3);
  });

  test('count must be an integer from 1 to 20: 400 names count', async () => {
    for (const bad of ['0', '21', 'abc', '1.5', '', '-1']) {
      const r = await env.svc.call('GET', `/v1/annotation/next?count=${bad}`, { token: TOKENS.annotator });
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.error.details.field, 'count');
    }
  });

  test('POST /annotations stores the annotation in the core table with the snapshot and prediction served (201)', async () => {
    const [task] = (await next(env, TOKENS.annotator)).tasks;
    const r = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.annotator, 'alice@example.com');
    assert.equal(r.body.score, 4);
    assert.equal(r.body.lease_id, task.lease_id);
    assert.deepEqual(r.body.profile_snapshot, { profile: task.profile, activity: task.activity });
    const [row] = await env.svc.ctx.warehouse.query<any>(`SELECT * FROM annotations WHERE annotation_id = @id`, { id: r.body.annotation_id });
    assert.equal(row.freelancer_id, task.freelancer_id);
    assert.equal(row.comment, 'スキルが職種に合っている');
    assert.equal(row.rubric_version, 'v1');
    assert.equal(row.model_version, 'm-test-1');
    assert.equal(row.predicted_score, task.prediction.score);
    assert.equal(row.client_request_id, `req-${task.lease_id}`);
    assert.deepEqual(row.profile_snapshot, { profile: task.profile, activity: task.activity });
  });

  test('the same client_request_id returns the same annotation without a duplicate; another body is 409', async () => {
    const [task] = (await next(env, TOKENS.annotator)).tasks;
    const body = submitBody(task, { client_request_id: 'retry-me' });
    const first = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body });
    const second = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body });
    assert.equal(first.status, 201);
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, first.body);
    const rows = await env.svc.ctx.warehouse.query<any>(`SELECT COUNT(*) AS n FROM annotations WHERE client_request_id = 'retry-me'`);
    assert.equal(rows[0].n, 1);
    const changed = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: { ...body, score: 2 } });
    assert.equal(changed.status, 409);
    assert.equal(changed.body.error.details.reason, 'idempotency_key_reused');
    const other = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator2, body });
    assert.equal(other.status, 409);
  });

  test('each invalid field is rejected with 400 naming it, and nothing is stored', async () => {
    const [task] = (await next(env, TOKENS.annotator)).tasks;
    const before = (await env.svc.ctx.warehouse.query<any>(`SELECT COUNT(*) AS n FROM annotations`))[0].n;
    const cases: [Record<string, unknown>, string][] = [
      [{ annotator: 'mallory@example.com' }, 'annotator'],
      [{ score: 0 }, 'score'],
      [{ score: 6 }, 'score'],
      [{ score: 2.5 }, 'score'],
      [{ score: '3' }, 'score'],
      [{ score: undefined }, 'score'],
      [{ lease_id: undefined }, 'lease_id'],
      [{ lease_id: '' }, 'lease_id'],
      [{ freelancer_id: 7 }, 'freelancer_id'],
      [{ client_request_id: undefined }, 'client_request_id'],
      [{ client_request_id: 'x'.repeat(201) }, 'client_request_id'],
      [{ comment: 5 }, 'comment'],
      [{ comment: 'あ'.repeat(5001) }, 'comment'],
      [{ rubric_version: 'v99' }, 'rubric_version'],
      [{ rubric_version: 3 }, 'rubric_version'],
      [{ colour: 'blue' }, 'colour'],
    ];
    for (const [patch, field] of cases) {
      const body = JSON.parse(JSON.stringify(submitBody(task, { ...patch, client_request_id: 'client_request_id' in patch ? patch.client_request_id : `bad-${field}` })));
      const r = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body });
      assert.equal(r.status, 400, `${field}: ${r.text}`);
      assert.equal(r.body.error.details.field, field);
    }
    const arr = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: [1] });
    assert.equal(arr.body.error.details.field, 'body');
    const after = (await env.svc.ctx.warehouse.query<any>(`SELECT COUNT(*) AS n FROM annotations`))[0].n;
    assert.equal(after, before);
  });

  test('lease errors: unknown 404, another annotator’s 409, another profile 409, expired 410, used 409', async () => {
    const [task] = (await next(env, TOKENS.annotator)).tasks;
    const unknown = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task, { lease_id: 'nope', client_request_id: 'l1' }) });
    assert.equal(unknown.status, 404);
    const foreign = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator2, body: submitBody(task, { client_request_id: 'l2' }) });
    assert.equal(foreign.status, 409);
    assert.equal(foreign.body.error.details.reason, 'lease_foreign');
    const mismatch = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task, { freelancer_id: 'f9999', client_request_id: 'l3' }) });
    assert.equal(mismatch.status, 409);
    assert.equal(mismatch.body.error.details.reason, 'lease_mismatch');
    const ok = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task, { client_request_id: 'l4' }) });
    assert.equal(ok.status, 201);
    const used = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task, { client_request_id: 'l5' }) });
    assert.equal(used.status, 409);
    assert.equal(used.body.error.details.reason, 'lease_closed');

    const [late] = (await next(env, TOKENS.annotator)).tasks;
    env.clock.advance(16);
    const expired = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(late, { client_request_id: 'l6' }) });
    assert.equal(expired.status, 410);
    assert.equal(expired.body.error.details.reason, 'lease_expired');
    // A retry of an acknowledged submission still answers after its lease expired.
    const replay = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task, { client_request_id: 'l4' }) });
    assert.equal(replay.status, 200);
  });

  test('the stored snapshot is the one served, even when the profile changes before submit', async () => {
    const [task] = (await next(env, TOKENS.annotator)).tasks;
    const live = { ...task.profile, self_intro: '更新後の自己紹介です。', updated_at: new Date(env.clock.now.getTime() + 60_000).toISOString() };
    await env.svc.ctx.warehouse.upsert(freelancers, [live]);
    const r = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task) });
    assert.equal(r.status, 201);
    const [row] = await env.svc.ctx.warehouse.query<any>(`SELECT profile_snapshot FROM annotations WHERE annotation_id = @id`, { id: r.body.annotation_id });
    assert.equal(row.profile_snapshot.profile.self_intro, task.profile.self_intro);
    assert.notEqual(row.profile_snapshot.profile.self_intro, live.self_intro);
  });

  test('skip is recorded with its reason, closes the lease and the profile is not served to that annotator again', async () => {
    const [task] = (await next(env, TOKENS.annotator)).tasks;
    const noReason = await env.svc.call('POST', '/v1/annotation/skip', { token: TOKENS.annotator, body: { lease_id: task.lease_id, freelancer_id: task.freelancer_id } });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.details.field, 'reason');
    const r = await env.svc.call('POST', '/v1/annotation/skip', { token: TOKENS.annotator, body: { lease_id: task.lease_id, freelancer_id: task.freelancer_id, reason: '情報が少なすぎる' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.reason, '情報が少なすぎる');
    const [row] = await env.svc.ctx.warehouse.query<any>(`SELECT * FROM annotation_skips WHERE lease_id = @id`, { id: task.lease_id });
    assert.equal(row.annotator, 'alice@example.com');
    const again = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task, { client_request_id: 'after-skip' }) });
    assert.equal(again.body.error.details.reason, 'lease_closed');
    const all = await next(env, TOKENS.annotator, 20);
    assert.ok(!all.tasks.some((t: any) => t.freelancer_id === task.freelancer_id));
  });

  test('GET /annotations?mine=1 lists only the caller’s annotations, newest first', async () => {
    const mine = await env.svc.call('GET', '/v1/annotations?mine=1', { token: TOKENS.annotator });
    assert.equal(mine.status, 200);
    assert.ok(mine.body.items.length >= 3);
    assert.ok(mine.body.items.every((a: any) => a.annotator === 'alice@example.com'));
    const times = mine.body.items.map((a: any) => a.created_at);
    assert.deepEqual(times, [...times].sort().reverse());
    const bob = await env.svc.call('GET', '/v1/annotations?mine=1', { token: TOKENS.annotator2 });
    assert.deepEqual(bob.body.items, []);
    assert.equal((await env.svc.call('GET', '/v1/annotations?mine=1&limit=0', { token: TOKENS.annotator })).body.error.details.field, 'limit');
  });
});

describe('annotation API: undo', () => {
  let env: AnnotationEnv;
  before(async () => (env = await annotationEnv()));
  after(async () => env.svc.close());

  test('undo within 10 minutes removes the annotation and hands the same snapshot back; after 10 minutes 409', async () => {
    assert.equal((await env.svc.call('DELETE', '/v1/annotations/last', { token: TOKENS.annotator })).status, 404);
    const [task] = (await next(env, TOKENS.annotator)).tasks;
    const posted = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task) });
    env.clock.advance(9);
    const undo = await env.svc.call('DELETE', '/v1/annotations/last', { token: TOKENS.annotator });
    assert.equal(undo.status, 200, undo.text);
    assert.equal(undo.body.undone.annotation_id, posted.body.annotation_id);
    assert.equal(undo.body.task.freelancer_id, task.freelancer_id);
    assert.deepEqual(undo.body.task.profile, task.profile);
    assert.notEqual(undo.body.task.lease_id, task.lease_id);
    const left = await env.svc.ctx.warehouse.query<any>(`SELECT COUNT(*) AS n FROM annotations`);
    assert.equal(left[0].n, 0);
    // The undone request id is not silently re-stored.
    const replay = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task) });
    assert.equal(replay.body.error.details.reason, 'annotation_undone');
    // Re-annotate through the new lease, then wait past the window.
    const redo = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(undo.body.task, { score: 2 }) });
    assert.equal(redo.status, 201);
    env.clock.advance(11);
    const late = await env.svc.call('DELETE', '/v1/annotations/last', { token: TOKENS.annotator });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.details.reason, 'undo_window_passed');
    // Someone else's annotation is never theirs to undo.
    assert.equal((await env.svc.call('DELETE', '/v1/annotations/last', { token: TOKENS.annotator2 })).status, 404);
  });
});

describe('annotation API: rubric and settings', () => {
  let env: AnnotationEnv;
  before(async () => (env = await annotationEnv({ doubleShare: 0.1 })));
  after(async () => env.svc.close());

  test('the rubric starts at v1; an admin edit creates v2; old versions stay readable; stale base_version is 409', async () => {
    const v1 = await env.svc.call('GET', '/v1/annotation/rubric', { token: TOKENS.annotator });
    assert.equal(v1.status, 200);
    assert.equal(v1.body.version, 'v1');
    assert.match(v1.body.text_ja, /採点基準/);
    const put = await env.svc.call('PUT', '/v1/annotation/rubric', { token: TOKENS.admin, body: { text_ja: '# 新しい基準\n実績を重視', base_version: 'v1' } });
    assert.equal(put.status, 201, put.text);
    assert.equal(put.body.version, 'v2');
    assert.equal(put.body.created_by, 'admin@example.com');
    const same = await env.svc.call('PUT', '/v1/annotation/rubric', { token: TOKENS.admin, body: { text_ja: '# 新しい基準\n実績を重視' } });
    assert.equal(same.status, 200);
    assert.equal(same.body.version, 'v2');
    const stale = await env.svc.call('PUT', '/v1/annotation/rubric', { token: TOKENS.admin, body: { text_ja: '別の基準', base_version: 'v1' } });
    assert.equal(stale.status, 409);
    const old = await env.svc.call('GET', '/v1/annotation/rubric?version=v1', { token: TOKENS.annotator });
    assert.equal(old.body.version, 'v1');
    assert.deepEqual(old.body.versions.map((v: any) => v.version), ['v2', 'v1']);
    assert.equal((await env.svc.call('GET', '/v1/annotation/rubric?version=v9', { token: TOKENS.annotator })).status, 404);
    assert.equal((await env.svc.call('PUT', '/v1/annotation/rubric', { token: TOKENS.admin, body: { text_ja: '' } })).body.error.details.field, 'text_ja');
    const [task] = (await next(env, TOKENS.annotator)).tasks;
    assert.equal(task.rubric_version, 'v2');
    const r = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(task) });
    assert.equal(r.body.rubric_version, 'v2');
  });

  test('settings default from config; admins turn blind mode on, which hides the prediction and stores none', async () => {
    const s = await env.svc.call('GET', '/v1/annotation/settings', { token: TOKENS.annotator });
    assert.equal(s.status, 200);
    assert.equal(s.body.blind_mode, false);
    assert.equal(s.body.double_share, 0.1);
    assert.equal(s.body.double_annotation_share, 0.1);
    for (const [body, field] of [[{ blind_mode: 'yes' }, 'blind_mode'], [{ double_share: 1.5 }, 'double_share'], [{ double_annotation_share: -0.1 }, 'double_annotation_share'], [{}, 'body'], [{ annotator: 'x' }, 'annotator']] as const) {
      const r = await env.svc.call('PUT', '/v1/annotation/settings', { token: TOKENS.admin, body });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.details.field, field);
    }
    const put = await env.svc.call('PUT', '/v1/annotation/settings', { token: TOKENS.admin, body: { blind_mode: true, double_annotation_share: 0 } });
    assert.equal(put.status, 200);
    assert.equal(put.body.blind_mode, true);
    assert.equal(put.body.double_share, 0);
    assert.equal(put.body.updated_by, 'admin@example.com');
    const body = await next(env, TOKENS.annotator, 2);
    assert.equal(body.blind_mode, true);
    for (const t of body.tasks) {
      assert.equal(t.prediction, null);
      assert.equal(t.blind, true);
    }
    const r = await env.svc.call('POST', '/v1/annotations', { token: TOKENS.annotator, body: submitBody(body.tasks[0]) });
    assert.equal(r.status, 201);
    assert.equal(r.body.predicted_score, null);
    assert.equal(r.body.model_version, null);
  });
});
