/** GET /dev/sidebar's guards: off unless dev pages are on, and a token only from DATA_DIR's generated ones. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../scoring-service/src/config.ts';
import { devSidebarRoutes, injectShim } from '../../scoring-service/src/http/routes/dev-sidebar.ts';
import { loadOrCreateTokens } from '../../scoring-service/src/http/auth.ts';
import type { ServiceContext } from '../../scoring-service/src/http/context.ts';

async function get(env: Record<string, string>): Promise<{ status: number; text: string; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devsb-'));
  const ctx = { config: loadConfig({ DATA_DIR: dataDir, ...env }) } as ServiceContext;
  const app = express().use(devSidebarRoutes(ctx));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/dev/sidebar`);
    return { status: res.status, text: await res.text(), dataDir };
  } finally {
    server.close();
  }
}

test('dev pages default to off on Cloud Run and on locally', () => {
  assert.equal(loadConfig({ K_SERVICE: 'workship-ml' }).devPages, false);
  assert.equal(loadConfig({}).devPages, true);
});

test('with dev pages off, /dev/sidebar does not exist', async () => {
  const r = await get({ DEV_PAGES: 'false' });
  assert.equal(r.status, 404);
});

test('serves the built sidebar with the shim first and the locally generated annotator token', async () => {
  const r = await get({ DEV_PAGES: 'true' });
  assert.equal(r.status, 200);
  const token = loadOrCreateTokens(r.dataDir).tokens.annotator;
  assert.ok(r.text.includes(JSON.stringify(token)));
  assert.ok(r.text.indexOf('__WORKSHIP_DEV__') < r.text.indexOf('<script>/*') || !r.text.includes('<script>/*'));
  assert.match(r.text, /アノテーション/);
});

test('with configured API_TOKENS no token is ever embedded', async () => {
  const r = await get({ DEV_PAGES: 'true', API_TOKENS: 'secret-annotator-token=annotator:a@x' });
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes('secret-annotator-token'));
  assert.match(r.text, /"token":""/);
});

test('injected values cannot close the script element', () => {
  const out = injectShim('<html><script>app()</script></html>', 'shim()', { baseUrl: '', token: '</script><b>' });
  assert.ok(!out.includes('</script><b>'));
  assert.ok(out.indexOf('shim()') < out.indexOf('app()'));
});
