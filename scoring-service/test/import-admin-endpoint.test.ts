/** POST /v1/admin/import/:table in-process: auth, roles, line-numbered 400s, its own body limit. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestService, TOKENS, type TestService } from './helpers/http.ts';

const company = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: `株式会社${id}`, industry: 'IT', employees: 12, prefecture: '東京都', registered_at: '2023-05-01T00:00:00Z', ...extra });
const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const ND = { 'content-type': 'application/x-ndjson' };

describe('POST /v1/admin/import/:table', () => {
  let svc: TestService;
  const count = async () => (await svc.ctx.warehouse.query<{ c: number }>('SELECT COUNT(*) AS c FROM companies'))[0].c;
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
  });

  test('401 without a token', async () => {
    const r = await svc.call('POST', '/v1/admin/import/companies', { token: null, body: ndjson([company('c0')]), headers: ND });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'unauthenticated');
  });

  test('403 for a scorer and for an annotator', async () => {
    for (const token of [TOKENS.scorer, TOKENS.annotator]) {
      const r = await svc.call('POST', '/v1/admin/import/companies', { token, body: ndjson([company('c0')]), headers: ND });
      assert.equal(r.status, 403);
      assert.equal(r.body.error.details.required_role, 'admin');
    }
    assert.equal(await count(), 0);
  });

  test('200 for NDJSON, and again for the same ids without duplicating', async () => {
    const body = ndjson([company('c1'), company('c2')]);
    const r = await svc.call('POST', '/v1/admin/import/companies', { body, headers: ND });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { table: 'companies', imported: 2, records: 2 });
    const again = await svc.call('POST', '/v1/admin/import/companies', { body: ndjson([company('c1', { employees: 99 })]), headers: ND });
    assert.equal(again.status, 200);
    assert.deepEqual(await svc.ctx.warehouse.query('SELECT id, employees FROM companies ORDER BY id'), [{ id: 'c1', employees: 99 }, { id: 'c2', employees: 12 }]);
  });

  test('200 for a JSON array body', async () => {
    const r = await svc.call('POST', '/v1/admin/import/companies', { body: [company('c3')] });
    assert.equal(r.status, 200);
    assert.equal(r.body.imported, 1);
  });

  test('400 lists every bad row with its line and field; nothing is written', async () => {
    const before = await count();
    const body = [JSON.stringify(company('c4')), JSON.stringify(company('c5', { employees: 1.5 })), '', JSON.stringify(company('c6', { name: null }))].join('\n');
    const r = await svc.call('POST', '/v1/admin/import/companies', { body, headers: ND });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'invalid_argument');
    assert.deepEqual(r.body.error.details.issues, [
      { line: 2, field: 'employees', message: 'must be an integer' },
      { line: 4, field: 'name', message: 'is required' },
    ]);
    assert.equal(r.body.error.details.field, 'employees');
    assert.equal(await count(), before);
  });

  test('400 for a JSON array names the 1-based element', async () => {
    const r = await svc.call('POST', '/v1/admin/import/companies', { body: [company('c7'), company('c8', { registered_at: 'soon' })] });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.error.details.issues, [{ line: 2, field: 'registered_at', message: 'must be an ISO-8601 timestamp' }]);
  });

  test('404 for a table that cannot be imported, 415 for another media type', async () => {
    assert.equal((await svc.call('POST', '/v1/admin/import/model_versions', { body: '[]' })).status, 404);
    const r = await svc.call('POST', '/v1/admin/import/companies', { body: 'id,name', headers: { 'content-type': 'text/csv' } });
    assert.equal(r.status, 415);
  });

  test('accepts bodies above the app-wide 1 MB limit (its own limit is 200 MB)', async () => {
    const rows = Array.from({ length: 6000 }, (_, i) => company(`big${i}`, { industry: 'x'.repeat(200) }));
    const body = ndjson(rows);
    assert.ok(Buffer.byteLength(body) > 1_048_576);
    const r = await svc.call('POST', '/v1/admin/import/companies', { body, headers: ND });
    assert.equal(r.status, 200);
    assert.equal(r.body.imported, 6000);
  });

  test('413 when the declared body is over 200 MB, answered before reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${svc.url}/v1/admin/import/companies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/x-ndjson', 'content-length': String(250 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', (e) => (String(e).includes('ECONNRESET') ? undefined : reject(e)));
      req.write('{}\n');
    });
    assert.equal(status, 413);
  });

  test('other routes keep the 1 MB JSON limit', async () => {
    const r = await svc.call('POST', '/v1/score', { token: TOKENS.scorer, body: { profile: { self_intro: 'x'.repeat(1_100_000) } } });
    assert.equal(r.status, 413);
  });
});
