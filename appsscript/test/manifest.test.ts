/** appsscript.json and the .clasp files against SchemaStore's schemas (../shared/schemas, read offline). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const schemas = path.resolve(repoRoot, '../shared/schemas');
const read = (p: string): any => JSON.parse(fs.readFileSync(p, 'utf8'));

const manifest = read(path.join(repoRoot, 'appsscript/appsscript.json'));

/**
 * The schema types oauthScopes as `format: uri`, but Google's own OIDC scope names `openid`,
 * `email` and `profile` are bare words (Apps Script needs `openid` for getIdentityToken), so the
 * check accepts an absolute URI or exactly those three.
 */
function manifestValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const uri = /^[a-z][a-z0-9+.-]*:[^\s]*$/i;
  ajv.addFormat('uri', (s: string) => uri.test(s) || ['openid', 'email', 'profile'].includes(s));
  return ajv.compile(read(path.join(schemas, 'appsscript.schema.json')));
}

test('appsscript.json is valid against SchemaStore appsscript.schema.json', () => {
  const validate = manifestValidator();
  assert.ok(validate(manifest), JSON.stringify(validate.errors));
});

test('the schema check is real: it rejects a bad runtime and a non-URI scope', () => {
  const validate = manifestValidator();
  assert.equal(validate({ ...manifest, runtimeVersion: 'V9' }), false);
  assert.equal(validate({ ...manifest, oauthScopes: ['spreadsheets'] }), false);
});

test('appsscript.json: V8, Asia/Tokyo, the explicit scopes and the BigQuery advanced service', () => {
  assert.equal(manifest.runtimeVersion, 'V8');
  assert.equal(manifest.timeZone, 'Asia/Tokyo');
  const g = (s: string) => `https://www.googleapis.com/auth/${s}`;
  for (const scope of [g('spreadsheets.currentonly'), g('script.container.ui'), g('script.external_request'), 'openid', g('userinfo.email'), g('bigquery'), g('script.scriptapp'), g('script.send_mail')])
    assert.ok(manifest.oauthScopes.includes(scope), `missing scope ${scope}`);
  // Least privilege: the add-on never asks for every spreadsheet of the user.
  assert.ok(!manifest.oauthScopes.includes(g('spreadsheets')));
  assert.deepEqual(manifest.dependencies.enabledAdvancedServices, [{ userSymbol: 'BigQuery', serviceId: 'bigquery', version: 'v2' }]);
});

function claspValidator() {
  const ajv = new Ajv04({ strict: false, allErrors: true });
  ajv.addSchema(read(path.join(schemas, 'base-04.json')), 'base-04.json');
  return ajv.compile(read(path.join(schemas, 'clasp.schema.json')));
}

for (const file of ['.clasp.json', '.clasp.prod.json']) {
  test(`${file} is valid against SchemaStore clasp.schema.json, with rootDir inside the repository`, () => {
    const validate = claspValidator();
    const c = read(path.join(repoRoot, file));
    assert.equal(validate(c), true, JSON.stringify(validate.errors));
    const root = path.resolve(repoRoot, c.rootDir);
    assert.ok(root.startsWith(repoRoot + path.sep), `rootDir ${c.rootDir} leaves the repository`);
    assert.equal(path.relative(repoRoot, root), path.join('appsscript', 'build'));
  });
}

test('dev and prod push to different script ids; the clasp schema rejects a short id', () => {
  const dev = read(path.join(repoRoot, '.clasp.json'));
  const prod = read(path.join(repoRoot, '.clasp.prod.json'));
  assert.notEqual(dev.scriptId, prod.scriptId);
  assert.equal(claspValidator()({ scriptId: 'short' }), false);
});
