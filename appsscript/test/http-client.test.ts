/** The shared HTTP client's policy: back-off, Retry-After (RFC 9110 §10.2.3), error mapping, both runners. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY, callService, errorFromResponse, retryDelayMs, runAsync, runSync, type HttpRequest, type HttpResponse } from '../src/annotation/http-client.ts';
import { normalizeStats } from '../src/annotation/server-functions.ts';

const env = { baseUrl: 'https://svc.example/', token: () => 'tok' };

test('back-off doubles from 500 ms and is capped at 8 s; Retry-After wins (seconds or HTTP date)', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((a) => retryDelayMs(a, undefined, DEFAULT_RETRY)), [500, 1000, 2000, 4000, 8000, 8000]);
  assert.equal(retryDelayMs(0, '2', DEFAULT_RETRY), 2000);
  assert.equal(retryDelayMs(0, '120', DEFAULT_RETRY), 8000);
  const now = Date.parse('2026-11-29T00:00:00Z');
  assert.equal(retryDelayMs(0, 'Sun, 29 Nov 2026 00:00:03 GMT', DEFAULT_RETRY, now), 3000);
});

test('error bodies map to Japanese messages; details.reason is the more specific code', () => {
  const lease = errorFromResponse({ status: 410, headers: {}, body: JSON.stringify({ error: { code: 'failed_precondition', message: 'expired', details: { reason: 'lease_expired', field: 'lease_id' } } }) });
  assert.equal(lease.code, 'lease_expired');
  assert.equal(lease.retryable, false);
  assert.match(lease.message, /担当期限が切れました/);
  const forbidden = errorFromResponse({ status: 403, headers: {}, body: JSON.stringify({ error: { code: 'permission_denied', message: 'needs admin' } }) });
  assert.match(forbidden.message, /権限がありません/);
  const html = errorFromResponse({ status: 502, headers: {}, body: '<html>Bad Gateway</html>' });
  assert.equal(html.code, 'unavailable');
  assert.equal(html.retryable, true);
});

test('a thrown fetch (DNS, reset) is retried like a 5xx, by both runners, with the same request', async () => {
  const seen: HttpRequest[] = [];
  let n = 0;
  const respond = (r: HttpRequest): HttpResponse => {
    seen.push(r);
    if (++n < 3) throw new Error('ECONNRESET');
    return { status: 201, headers: {}, body: '{"annotation_id":"a"}' };
  };
  const sleeps: number[] = [];
  const sync = runSync(callService(env, 'post', '/v1/annotations', { x: 1 }), { fetch: respond, sleep: (ms) => void sleeps.push(ms) });
  assert.deepEqual(sync, { ok: true, data: { annotation_id: 'a' } });
  assert.deepEqual(sleeps, [500, 1000]);
  n = 0;
  const asyncResult = await runAsync(callService(env, 'post', '/v1/annotations', { x: 1 }), { fetch: async (r) => respond(r), sleep: async () => {} });
  assert.deepEqual(asyncResult, sync);
  assert.equal(new Set(seen.map((r) => r.payload)).size, 1);
  assert.equal(seen[0].url, 'https://svc.example/v1/annotations');
  assert.equal(seen[0].headers.Authorization, 'Bearer tok');
});

test('stats: the caller row gives today and total; is_admin stays unknown unless the service says', () => {
  const s = normalizeStats({ queue_size: 12, today_count: 3, me: { annotator: 'a@x', count: 40, today_count: 3 }, annotators: [{ annotator: 'a@x', count: 40, today_count: 3, bias: 0.2, agreement: 0.7 }] });
  assert.equal(s.today, 3);
  assert.equal(s.total, 40);
  assert.equal(s.queue_size, 12);
  assert.equal(s.me, 'a@x');
  assert.equal(s.is_admin, null);
  assert.equal(normalizeStats({ role: 'admin' }).is_admin, true);
});
