import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, type TestService } from './helpers/http.ts';
import { routeModules, publicRouteModules } from '../src/http/routes/index.ts';
import { openApiDocument } from '../src/http/openapi/index.ts';

let svc: TestService;
before(async () => {
  svc = await startTestService();
});
after(async () => {
  await svc.close();
});

/** express path `/a/:id/b` → OpenAPI `/a/{id}/b`. */
const toOpenApi = (p: string) => p.replace(/:([A-Za-z_]+)/g, '{$1}');

function routesOf(mods: typeof routeModules, prefix: string): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const mod of mods) {
    const router = mod(svc.ctx) as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    for (const layer of router.stack) {
      if (!layer.route || typeof layer.route.path !== 'string') continue;
      for (const m of Object.keys(layer.route.methods)) out.push({ method: m, path: prefix + toOpenApi(layer.route.path) });
    }
  }
  return out;
}

test('GET /openapi.json serves an OpenAPI 3 document without auth', async () => {
  const r = await svc.call('GET', '/openapi.json', { token: null });
  assert.equal(r.status, 200);
  assert.match(r.body.openapi, /^3\./);
  assert.ok(r.body.paths['/v1/freelancers/{id}/score'].get);
});

test('every mounted API route is documented in the OpenAPI document', () => {
  const doc = openApiDocument('test') as { paths: Record<string, Record<string, unknown>> };
  const routes = [...routesOf(publicRouteModules, ''), ...routesOf(routeModules, '/v1')].filter((r) => !r.path.startsWith('/dev/'));
  const missing = routes.filter((r) => !doc.paths[r.path]?.[r.method]);
  assert.deepEqual(missing, [], 'undocumented routes');
});
