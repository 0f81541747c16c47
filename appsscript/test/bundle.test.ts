/**
 * The built Apps Script bundle (appsscript/build/Code.js), loaded in node:vm the way Apps Script
 * loads a script file — no module system, no setTimeout, no fetch — with fakes of its services.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { buildAppsScript, appsScriptBuildDir, type AppsScriptBuild } from '../../scripts/build-appsscript.ts';
import { serverOperations } from '../src/annotation/server-functions.ts';
import { SERVICE_URL_PROPERTY } from '../src/annotation/settings.ts';
import { createGasFakes, type FakeResponse, type RecordedFetch } from './gas-fakes.ts';

let built: AppsScriptBuild;
let code: string;

before(async () => {
  built = await buildAppsScript();
  code = fs.readFileSync(path.join(appsScriptBuildDir, 'Code.js'), 'utf8');
});

function load(fakes: ReturnType<typeof createGasFakes>): vm.Context {
  const ctx = vm.createContext({ ...fakes.globals });
  new vm.Script(code, { filename: 'Code.js' }).runInContext(ctx);
  return ctx;
}

const SERVICE = 'https://workship-ml.example.run.app';

test('the clasp rootDir holds exactly the bundle, the manifest and the sidebar', () => {
  assert.deepEqual(built.files, ['Code.js', 'Sidebar.html', 'appsscript.json']);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(appsScriptBuildDir, 'appsscript.json'), 'utf8')), JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../appsscript.json'), 'utf8')));
  const html = fs.readFileSync(path.join(appsScriptBuildDir, 'Sidebar.html'), 'utf8');
  assert.match(html, /<html lang="ja">/);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+stylesheet/, 'the sidebar must be self-contained');
});

test('every trigger, menu target and google.script.run name is a top-level function declaration', () => {
  const fakes = createGasFakes();
  const ctx = load(fakes);
  const required = ['onOpen', 'onInstall', 'showAnnotationSidebar', 'showSettings', ...Object.keys(serverOperations)];
  for (const name of required) {
    assert.equal(typeof ctx[name], 'function', `${name} is not a global function`);
    assert.match(code, new RegExp(`^function ${name}\\(\\)`, 'm'), `${name} needs a top-level declaration for Apps Script to see it`);
    assert.ok(built.globals.includes(name));
  }
  // Menu targets are looked up by name: each must exist.
  ctx.onOpen();
  for (const item of fakes.menus[0].items) assert.equal(typeof ctx[item.fn], 'function', `menu item ${item.label} → ${item.fn} is missing`);
});

test('onOpen builds the Workship ML menu with アノテーション and 設定', () => {
  const fakes = createGasFakes();
  load(fakes).onOpen();
  assert.equal(fakes.menus.length, 1);
  const m = fakes.menus[0];
  assert.equal(m.title, 'Workship ML');
  assert.ok(m.added);
  assert.deepEqual(m.items.slice(0, 2), [
    { label: 'アノテーション', fn: 'showAnnotationSidebar' },
    { label: '設定', fn: 'showSettings' },
  ]);
  // The KPI area's items follow, each naming one of its globals.
  assert.ok(m.items.some((i) => i.fn === 'kpiRefresh'), 'KPI menu items are contributed');
  assert.ok(m.items.some((i) => i.fn === 'experimentsRefresh'), 'experiment menu items are contributed');
});

test('onInstall builds the same menu and アノテーション opens Sidebar.html', () => {
  const fakes = createGasFakes();
  const ctx = load(fakes);
  ctx.onInstall({ authMode: 'FULL' });
  assert.equal(fakes.menus[0].title, 'Workship ML');
  ctx.showAnnotationSidebar();
  assert.equal(fakes.sidebars.length, 1);
  assert.equal(fakes.sidebars[0].file, 'Sidebar');
  assert.match(fakes.sidebars[0].title, /アノテーション/);
});

test('設定 keeps the service URL in script properties and re-asks on a non-https value', () => {
  const fakes = createGasFakes({
    promptAnswers: [
      { button: 'OK', text: 'ftp://nope' },
      { button: 'OK', text: `${SERVICE}/` },
    ],
  });
  load(fakes).showSettings();
  assert.equal(fakes.prompts.length, 2);
  assert.match(fakes.prompts[1], /https:\/\/ で始まる URL/);
  assert.equal(fakes.props.get(SERVICE_URL_PROPERTY), SERVICE);
});

test('server functions call the service with the identity token as Bearer through UrlFetchApp', () => {
  const fakes = createGasFakes({
    properties: { [SERVICE_URL_PROPERTY]: SERVICE },
    identityToken: 'id-token-abc',
    responses: () => ({ status: 200, body: { tasks: [{ task_id: 't1', freelancer_id: 'f1' }], queue_size: 7 } }),
  });
  const r = load(fakes).getNextTasks(2);
  assert.deepEqual(JSON.parse(JSON.stringify(r)), { ok: true, data: { tasks: [{ task_id: 't1', freelancer_id: 'f1' }], queue_size: 7 } });
  assert.equal(fakes.fetches.length, 1);
  const f = fakes.fetches[0];
  assert.equal(f.url, `${SERVICE}/v1/annotation/next?count=2`);
  assert.equal(f.params.method, 'get');
  assert.equal(f.params.headers?.Authorization, 'Bearer id-token-abc');
  assert.equal(f.params.muteHttpExceptions, true);
});

test('submitAnnotation posts the body with its client_request_id and never an annotator field', () => {
  const fakes = createGasFakes({ properties: { [SERVICE_URL_PROPERTY]: SERVICE }, responses: () => ({ status: 201, body: { annotation_id: 'a1' } }) });
  const sub = { lease_id: 'l1', freelancer_id: 'f1', score: 4, comment: '実績が具体的', rubric_version: 'v1', client_request_id: 'c-1' };
  const r = load(fakes).submitAnnotation(sub);
  assert.equal(r.ok, true);
  assert.equal(r.data.annotation_id, 'a1');
  const f = fakes.fetches[0];
  assert.equal(f.params.method, 'post');
  assert.equal(f.params.contentType, 'application/json');
  assert.deepEqual(JSON.parse(f.params.payload ?? ''), sub);
  assert.equal(f.params.headers?.Authorization, 'Bearer fake-identity-token');
});

test('a 503 is retried after Utilities.sleep back-off, then succeeds', () => {
  let n = 0;
  const responses = (_r: RecordedFetch): FakeResponse =>
    ++n <= 2 ? { status: 503, body: { error: { code: 'unavailable', message: 'warming up' } } } : { status: 200, body: { blind_mode: true, double_share: 0.1 } };
  const fakes = createGasFakes({ properties: { [SERVICE_URL_PROPERTY]: SERVICE }, responses });
  const r = load(fakes).getSettings();
  assert.deepEqual(JSON.parse(JSON.stringify(r)), { ok: true, data: { blind_mode: true, double_share: 0.1 } });
  assert.equal(fakes.fetches.length, 3);
  assert.deepEqual(fakes.sleeps, [500, 1000]);
});

test('a 429 honours Retry-After (seconds)', () => {
  let n = 0;
  const responses = (): FakeResponse => (++n === 1 ? { status: 429, body: '', headers: { 'Retry-After': '3' } } : { status: 200, body: { version: 'v2', text: '# 基準' } });
  const fakes = createGasFakes({ properties: { [SERVICE_URL_PROPERTY]: SERVICE }, responses });
  const r = load(fakes).getRubric();
  assert.equal(r.ok, true);
  assert.equal(r.data.version, 'v2');
  assert.deepEqual(fakes.sleeps, [3000]);
});

test('a persistent 503 ends as a retryable Japanese error after the attempt budget', () => {
  const fakes = createGasFakes({ properties: { [SERVICE_URL_PROPERTY]: SERVICE }, responses: () => ({ status: 503, body: 'Service Unavailable' }) });
  const r = load(fakes).getStats();
  assert.equal(r.ok, false);
  assert.equal(r.error.retryable, true);
  assert.match(r.error.message, /スコアリングサービスに接続できません/);
  assert.equal(fakes.fetches.length, 4);
});

test('a 400 is not retried and names the field in Japanese', () => {
  const fakes = createGasFakes({
    properties: { [SERVICE_URL_PROPERTY]: SERVICE },
    responses: () => ({ status: 400, body: { error: { code: 'invalid_argument', message: 'score must be an integer from 1 to 5', details: { field: 'score' } } } }),
  });
  const r = load(fakes).submitAnnotation({ lease_id: 'l', freelancer_id: 'f', score: 9, comment: '', rubric_version: 'v1', client_request_id: 'c' });
  assert.equal(r.ok, false);
  assert.equal(r.error.retryable, false);
  assert.equal(r.error.field, 'score');
  assert.match(r.error.message, /入力内容に誤りがあります（score）/);
  assert.equal(fakes.fetches.length, 1);
});

test('without a service URL the functions answer with the 設定 hint and send nothing', () => {
  const fakes = createGasFakes();
  const r = load(fakes).loadSidebarState(3);
  assert.equal(r.ok, false);
  assert.equal(r.error.code, 'not_configured');
  assert.match(r.error.message, /設定/);
  assert.equal(fakes.fetches.length, 0);
});
