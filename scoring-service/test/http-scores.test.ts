import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, TOKENS, type TestService } from './helpers/http.ts';
import { liveWithScores } from './helpers/fake-model.ts';
import { LiveHolder } from '../src/scores/live.ts';

const profile = {
  occupation: 'エンジニア',
  skills: ['TypeScript', 'AWS'],
  years_experience: 5,
  self_intro: 'Webエンジニアとして5年間、TypeScriptでの開発を担当してきました。',
  portfolio_urls: ['https://example.com'],
  hourly_rate_jpy: 4000,
  availability_days_per_week: 3,
  prefecture: '東京都',
  remote_ok: true,
  has_photo: true,
};

describe('scoring API', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ live: liveWithScores(2500) });
  });
  after(async () => {
    await svc.close();
  });

  test('GET /healthz needs no token and reports model version and warehouse kind', async () => {
    const r = await svc.call('GET', '/healthz', { token: null });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'ok', model_version: 'm-test-1', scored_freelancers: 2500, warehouse: 'duckdb' });
  });

  test('GET /v1/freelancers/{id}/score returns the documented shape for a scorer', async () => {
    const r = await svc.call('GET', '/v1/freelancers/f00042/score', { token: TOKENS.scorer });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body).sort(), ['freelancer_id', 'model_version', 'occupation_percentile', 'percentile', 'reasons', 'score', 'scored_at']);
    assert.equal(r.body.freelancer_id, 'f00042');
    assert.equal(r.body.model_version, 'm-test-1');
    assert.deepEqual(r.body.reasons[0], { feature: 'years_experience', label: '経験年数', contribution: 0.3 });
  });

  test('unknown freelancer → 404 naming the id', async () => {
    const r = await svc.call('GET', '/v1/freelancers/nobody/score', { token: TOKENS.scorer });
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
    assert.equal(r.body.error.details.freelancer, 'nobody');
  });

  test('missing token → 401; wrong token → 401; both JSON errors without stack traces', async () => {
    const a = await svc.call('GET', '/v1/scores', { token: null });
    assert.equal(a.status, 401);
    assert.equal(a.body.error.code, 'unauthenticated');
    const b = await svc.call('GET', '/v1/scores', { token: 'not-a-token' });
    assert.equal(b.status, 401);
    assert.doesNotMatch(b.text, /at .*\.ts:\d+/);
  });

  test('GET /v1/scores pages through every freelancer exactly once with cursors', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await svc.call('GET', `/v1/scores?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { token: TOKENS.scorer });
      assert.equal(r.status, 200);
      assert.equal(r.body.total, 2500);
      seen.push(...r.body.items.map((x: { freelancer_id: string }) => x.freelancer_id));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.equal(seen.length, 2500);
    assert.equal(new Set(seen).size, 2500);
  });

  test('GET /v1/scores streams NDJSON when asked', async () => {
    const r = await svc.call('GET', '/v1/scores', { token: TOKENS.scorer, headers: { accept: 'application/x-ndjson' } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/x-ndjson/);
    const lines = r.text.trim().split('\n');
    assert.equal(lines.length, 2500);
    assert.equal(JSON.parse(lines[0]).freelancer_id, 'f00000');
  });

  test('limit outside 1..10000 and foreign cursors → 400 naming the field', async () => {
    for (const q of ['limit=0', 'limit=10001', 'limit=abc']) {
      const r = await svc.call('GET', `/v1/scores?${q}`, { token: TOKENS.scorer });
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error.details.field, 'limit');
    }
    const c = await svc.call('GET', '/v1/scores?cursor=%%%', { token: TOKENS.scorer });
    assert.equal(c.status, 400);
    assert.equal(c.body.error.details.field, 'cursor');
  });

  test('POST /v1/score scores an unsaved profile and stores nothing', async () => {
    const r = await svc.call('POST', '/v1/score', { token: TOKENS.scorer, body: { profile } });
    assert.equal(r.status, 200);
    assert.equal(r.body.model_version, 'm-test-1');
    assert.equal(typeof r.body.score, 'number');
    assert.ok(Array.isArray(r.body.reasons));
    const rows = await svc.ctx.warehouse.query<{ n: number }>('SELECT COUNT(*) AS n FROM freelancers');
    assert.equal(rows[0].n, 0);
  });

  test('POST /v1/score rejects bad fields with 400 naming them', async () => {
    const cases: [unknown, string][] = [
      [{}, 'profile'],
      [{ profile: { ...profile, years_experience: 'five' } }, 'profile.years_experience'],
      [{ profile: { ...profile, skills: 'TypeScript' } }, 'profile.skills'],
      [{ profile: { ...profile, occupation: undefined } }, 'profile.occupation'],
      [{ profile, activity: { logins_30d: -1 } }, 'activity.logins_30d'],
      [{ profile, extra: 1 }, 'extra'],
      [[1, 2], 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await svc.call('POST', '/v1/score', { token: TOKENS.scorer, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.details.field, field);
    }
  });

  test('malformed JSON → 400, non-JSON → 415, body over 1 MB → 413', async () => {
    const bad = await svc.call('POST', '/v1/score', { token: TOKENS.scorer, body: '{"profile":', headers: { 'content-type': 'application/json' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.field, 'body');
    const text = await svc.call('POST', '/v1/score', { token: TOKENS.scorer, body: 'profile=1', headers: { 'content-type': 'text/plain' } });
    assert.equal(text.status, 415);
    assert.equal(text.body.error.code, 'unsupported_media_type');
    const huge = await svc.call('POST', '/v1/score', { token: TOKENS.scorer, body: { profile: { ...profile, self_intro: 'あ'.repeat(600_000) } } });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, 'payload_too_large');
  });

  test('unknown routes → 404 JSON', async () => {
    const r = await svc.call('GET', '/v1/nothing-here', { token: TOKENS.scorer });
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
  });

  test('request logs are Cloud Logging JSON and never contain a token', async () => {
    await svc.call('GET', '/v1/freelancers/f00001/score', { token: TOKENS.scorer, headers: { 'x-cloud-trace-context': 'abc123/1;o=1' } });
    const line = svc.logLines.map((l) => JSON.parse(l)).find((l) => l.httpRequest?.requestUrl === '/v1/freelancers/f00001/score');
    assert.ok(line);
    assert.equal(line.severity, 'INFO');
    assert.equal(line.httpRequest.status, 200);
    for (const t of Object.values(TOKENS)) assert.ok(!svc.logLines.join('\n').includes(t));
  });
});

describe('scoring API without a live model', () => {
  test('score endpoints answer 503 with a hint to train', async () => {
    const svc = await startTestService({ live: new LiveHolder() });
    try {
      const r = await svc.call('GET', '/v1/freelancers/f1/score', { token: TOKENS.scorer });
      assert.equal(r.status, 503);
      assert.equal(r.body.error.code, 'unavailable');
      const h = await svc.call('GET', '/healthz', { token: null });
      assert.equal(h.body.model_version, null);
    } finally {
      await svc.close();
    }
  });
});
