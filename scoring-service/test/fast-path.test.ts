import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestService, TOKENS } from './helpers/http.ts';
import { liveWithScores } from './helpers/fake-model.ts';
import { createApp } from '../src/http/app.ts';

test('the read fast path answers exactly what the express route answers, and logs the request', async () => {
  const svc = await startTestService({ live: liveWithScores(50) });
  const plain = http.createServer(createApp(svc.ctx));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
  const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  try {
    const headers = { authorization: `Bearer ${TOKENS.scorer}` };
    for (const path of ['/healthz', '/v1/freelancers/f00007/score', '/v1/freelancers/%66%30%30%30%30%38/score', '/v1/freelancers/f00009/score?x=1']) {
      const [a, b] = await Promise.all([fetch(svc.url + path, { headers }), fetch(plainUrl + path, { headers })]);
      assert.equal(a.status, 200, path);
      assert.equal(b.status, 200, path);
      assert.deepEqual(await a.json(), await b.json(), path);
      assert.match(a.headers.get('content-type') ?? '', /application\/json/);
    }
    // Paths near the score route's shape: whatever express answers, the fast path answers too.
    for (const path of ['/v1/freelancers//score', '/v1/freelancers/score', '/v1/freelancers/a/b/score', '/v1/freelancers/f00007/scores', '/v1/freelancers/%E0%A4%A/score', '/v1/freelancers/f00007/score/']) {
      // (express's non-strict routing answers the trailing slash with the score too.)
      const [a, b] = await Promise.all([fetch(svc.url + path, { headers }), fetch(plainUrl + path, { headers })]);
      assert.equal(a.status, b.status, path);
      if (!path.endsWith('/')) assert.notEqual(a.status, 200, path);
      assert.deepEqual(await a.json(), await b.json(), path);
    }
    assert.ok(svc.logLines.some((l) => l.includes('"requestUrl":"/v1/freelancers/f00007/score"')));
    // Everything but the success case falls through to express: same errors as before.
    const unknown = await svc.call('GET', '/v1/freelancers/nobody/score', { token: TOKENS.scorer });
    assert.equal(unknown.status, 404);
    const noToken = await svc.call('GET', '/v1/freelancers/f00007/score', { token: null });
    assert.equal(noToken.status, 401);
    const jwt = await svc.call('GET', '/v1/freelancers/f00007/score', { token: 'a.b.c' });
    assert.equal(jwt.status, 401);
  } finally {
    plain.close();
    await svc.close();
  }
});
