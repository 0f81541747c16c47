/**
 * The sidebar in headless Chromium (Debian's), served by GET /dev/sidebar from the real service:
 * keyboard-only annotation with prefetch, comments, undo, and a network that fails mid-submit.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { writeSidebar, repoRoot } from '../../scripts/build-sidebar.ts';
import { startSidebarService, type SidebarService } from './service-env.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Issue 4: the next profile appears within 300 ms of submitting (prefetched, rendered locally). */
const NEXT_PROFILE_BUDGET_MS = 300;

let svc: SidebarService;
let context: BrowserContext;
let page: Page;
let userDataDir: string;

before(async () => {
  await writeSidebar();
  svc = await startSidebarService();
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  // A fresh profile directory per run (playwright passes it as --user-data-dir).
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 320, height: 1000 }, deviceScaleFactor: 2, locale: 'ja-JP' });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${svc.url}/dev/sidebar`);
  await page.locator('#task[data-freelancer-id]').waitFor({ state: 'visible', timeout: 15_000 });
});

after(async () => {
  await context?.close();
  await svc?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

const currentId = () => page.locator('#task').getAttribute('data-freelancer-id');

async function mine(): Promise<any[]> {
  const r = await svc.call('GET', '/v1/annotations?mine=1', svc.tokens.annotator);
  assert.equal(r.status, 200);
  return r.body.items;
}

async function outboxDrained(timeout = 15_000): Promise<void> {
  await page.waitForFunction(() => !localStorage.getItem('workship.annotation.outbox.v1') || localStorage.getItem('workship.annotation.outbox.v1') === '[]', null, { timeout });
}

/**
 * Presses Ctrl+Enter and measures, inside the page, how long until another profile is shown.
 * An annotator reads a profile for seconds, time in which the sidebar tops up its queue; the test
 * waits for that (bounded) instead of reading, so the measure is the submit-to-next-profile path.
 */
async function submitAndTime(prev: string): Promise<number> {
  await page.waitForFunction(() => Number(document.getElementById('app')!.dataset.queued) > 0, null, { timeout: 5_000 });
  await page.evaluate((prevId) => {
    const w = window as any;
    w.__t1 = undefined;
    w.__t0 = undefined;
    document.addEventListener('keydown', () => (w.__t0 ??= performance.now()), { capture: true, once: true });
    const task = document.getElementById('task')!;
    const obs = new MutationObserver(() => {
      if (task.dataset.freelancerId !== prevId && !task.hidden) {
        w.__t1 = performance.now();
        obs.disconnect();
      }
    });
    obs.observe(task, { attributes: true, attributeFilter: ['data-freelancer-id', 'hidden'] });
  }, prev);
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => (window as any).__t1 !== undefined, null, { timeout: 5_000 });
  return page.evaluate(() => (window as any).__t1 - (window as any).__t0);
}

test('annotates 10 profiles by keyboard alone, each next profile within 300 ms, comment saved', async () => {
  const seen: string[] = [];
  const timings: number[] = [];
  for (let i = 0; i < 10; i++) {
    const id = await currentId();
    assert.ok(id && !seen.includes(id), `profile ${id} shown twice`);
    seen.push(id);
    await page.keyboard.press(String((i % 5) + 1));
    assert.equal(await page.locator('.score-btn[aria-checked="true"]').getAttribute('data-score'), String((i % 5) + 1));
    if (i === 0) {
      await page.keyboard.press('c');
      await page.keyboard.type('ポートフォリオの実績が具体的');
    }
    timings.push(await submitAndTime(id));
  }
  assert.ok(Math.max(...timings) <= NEXT_PROFILE_BUDGET_MS, `next-profile latencies ${timings.map((t) => t.toFixed(0)).join(', ')} ms`);
  await outboxDrained();
  const items = await mine();
  assert.equal(items.length, 10);
  assert.deepEqual(new Set(items.map((a) => a.freelancer_id)), new Set(seen));
  const first = items.find((a) => a.freelancer_id === seen[0]);
  assert.equal(first.comment, 'ポートフォリオの実績が具体的');
  assert.equal(first.score, 1);
  assert.ok(first.rubric_version, 'the rubric version is recorded');
  assert.equal(await page.locator('#today-count').textContent(), '10');
});

test('undo brings the last profile back with its score and comment; re-scoring replaces it', async () => {
  const before = await mine();
  const last = before.reduce((a, b) => (a.created_at >= b.created_at ? a : b));
  await page.keyboard.press('z');
  await page.waitForFunction((id) => document.getElementById('task')!.dataset.freelancerId === id, last.freelancer_id, { timeout: 5_000 });
  assert.equal(await page.locator('.score-btn[aria-checked="true"]').getAttribute('data-score'), String(last.score));
  await page.locator('#toast').waitFor({ state: 'visible' });
  assert.match((await page.locator('#toast').textContent()) ?? '', /取り消しました/);
  const afterUndo = await mine();
  assert.equal(afterUndo.length, 9);
  assert.ok(!afterUndo.some((a) => a.annotation_id === last.annotation_id));
  await page.keyboard.press('4');
  await page.keyboard.press('Control+Enter');
  await outboxDrained();
  const after = await mine();
  assert.equal(after.length, 10);
  assert.equal(after.find((a) => a.freelancer_id === last.freelancer_id).score, 4);
});

test('the network failing mid-submit, then recovering: no submission lost, none doubled', async () => {
  const before = await mine();
  let posts = 0;
  let aborted = 0;
  let lostResponses = 0;
  await page.route('**/v1/annotations', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts++;
    if (posts === 1 || posts === 2) {
      aborted++;
      return route.abort('internetdisconnected');
    }
    if (posts === 3) {
      // The service stores it, but the answer never arrives: the retry must not store it twice.
      await route.fetch();
      lostResponses++;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const id = (await currentId())!;
    ids.push(id);
    await page.keyboard.press('3');
    const ms = await submitAndTime(id);
    assert.ok(ms <= NEXT_PROFILE_BUDGET_MS, `the sidebar keeps going while offline (${ms.toFixed(0)} ms)`);
  }
  await page.locator('#outbox-bar').waitFor({ state: 'visible', timeout: 5_000 });
  await outboxDrained(30_000);
  await page.unroute('**/v1/annotations');
  assert.equal(aborted, 2);
  assert.equal(lostResponses, 1);
  const after = await mine();
  assert.equal(after.length, before.length + 3);
  for (const id of ids) assert.equal(after.filter((a) => a.freelancer_id === id).length, 1, `profile ${id} stored exactly once`);
  assert.equal(new Set(after.map((a) => a.client_request_id)).size, after.length);
  await page.locator('#outbox-bar').waitFor({ state: 'hidden' });
});

test('an outage at load shows an inline Japanese error with retry', async () => {
  const p2 = await context.newPage();
  let fail = true;
  await p2.route('**/v1/annotation/settings', (route) => (fail ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid_argument', message: 'bad', details: { field: 'x' } } }) }) : route.continue()));
  await p2.goto(`${svc.url}/dev/sidebar`);
  await p2.locator('#error').waitFor({ state: 'visible' });
  assert.match((await p2.locator('#error-text').textContent()) ?? '', /入力内容に誤りがあります（x）/);
  fail = false;
  await p2.locator('#error-retry').click();
  await p2.locator('#task[data-freelancer-id]').waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await p2.locator('#error').isHidden(), true);
  await p2.close();
});

test('screenshot of the sidebar is kept as an artefact', async () => {
  await page.keyboard.press('4');
  await page.keyboard.press('c');
  await page.keyboard.type('スキルが職種に合っていて、実績も具体的');
  await page.keyboard.press('Escape');
  const file = path.join(repoRoot, 'artifacts', 'sidebar.png');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The whole sidebar in one frame (a full-page capture would repeat the sticky header).
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 320, height });
  await page.screenshot({ path: file });
  assert.ok(fs.statSync(file).size > 10_000);
});

test('skip with a reason by keyboard: the next profile shows and the skip is stored with its reason', async () => {
  const id = (await currentId())!;
  await page.keyboard.press('s');
  await page.locator('#skip-form').waitFor({ state: 'visible' });
  await page.keyboard.press('Tab');
  await page.keyboard.type('職歴が読み取れない');
  await page.keyboard.press('Enter');
  await page.waitForFunction((prev) => document.getElementById('task')!.dataset.freelancerId !== prev, id, { timeout: 2_000 });
  await page.locator('#toast', { hasText: 'スキップしました' }).waitFor({ state: 'visible', timeout: 5_000 });
  const w = svc.running.ctx.warehouse;
  const rows = await w.query(`SELECT freelancer_id, reason FROM ${w.dialect.table('annotation_skips')} WHERE freelancer_id = @id`, { id });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].reason, 'insufficient_info: 職歴が読み取れない');
});

test('an annotator sees the rubric but no admin controls', async () => {
  await page.keyboard.press('g');
  await page.locator('#guide').waitFor({ state: 'visible' });
  assert.match((await page.locator('#rubric').textContent()) ?? '', /採点基準/);
  assert.match((await page.locator('#rubric-version').textContent()) ?? '', /版 v1/);
  assert.equal(await page.locator('#admin').isHidden(), true);
  await page.keyboard.press('g');
});

test('an admin edits the rubric into a new version and switches blind mode, which hides predictions', async () => {
  const admin = await context.newPage();
  await admin.goto(`${svc.url}/dev/sidebar?as=admin`);
  await admin.locator('#task[data-freelancer-id]').waitFor({ state: 'visible', timeout: 10_000 });
  assert.match((await admin.locator('#prediction').textContent()) ?? '', /モデルの予測スコア/);
  // Reasons name profile attributes (summed over the model's columns), against an average profile.
  assert.match((await admin.locator('#prediction .reasons-caption').textContent()) ?? '', /平均的なプロフィールと比べた主な要因/);
  const reasons = await admin.locator('#prediction .reasons li').allTextContents();
  assert.ok(reasons.length > 0, 'reasons shown');
  for (const r of reasons) assert.doesNotMatch(r, /スプライン|基底|超の部分|対数/, r);
  await admin.keyboard.press('g');
  await admin.locator('#admin').waitFor({ state: 'visible' });
  await admin.locator('#rubric-edit-btn').click();
  await admin.locator('#rubric-text').fill('# 採点基準 第2版\n- 5: 実績が具体的\n- 1: 情報がない');
  await admin.keyboard.press('Control+Enter');
  await admin.locator('#rubric-version', { hasText: '版 v2' }).waitFor({ timeout: 5_000 });
  assert.match((await admin.locator('#rubric').textContent()) ?? '', /第2版/);
  await admin.locator('#guide').screenshot({ path: path.join(repoRoot, 'artifacts', 'sidebar-guide.png') });
  // The annotation made next records the version the annotator was shown.
  const id = (await admin.locator('#task').getAttribute('data-freelancer-id'))!;
  await admin.keyboard.press('5');
  await admin.keyboard.press('Control+Enter');
  await admin.waitForFunction(() => localStorage.getItem('workship.annotation.outbox.v1') === '[]', null, { timeout: 10_000 });
  const r = await svc.call('GET', '/v1/annotations?mine=1', svc.tokens.admin);
  assert.equal(r.body.items.find((a: any) => a.freelancer_id === id).rubric_version, 'v2');

  await admin.locator('#blind-mode').check();
  await admin.locator('#toast', { hasText: 'ブラインドモードをオン' }).waitFor({ timeout: 5_000 });
  assert.match((await admin.locator('#prediction').textContent()) ?? '', /ブラインドモード/);
  // A fresh annotator session gets tasks without predictions.
  const blind = await context.newPage();
  await blind.goto(`${svc.url}/dev/sidebar`);
  await blind.locator('#task[data-freelancer-id]').waitFor({ state: 'visible', timeout: 10_000 });
  assert.match((await blind.locator('#prediction').textContent()) ?? '', /ブラインドモード/);
  assert.equal(await blind.locator('#prediction .pred-score').count(), 0);
  await admin.locator('#blind-mode').uncheck();
  await admin.locator('#toast', { hasText: 'オフ' }).waitFor({ timeout: 5_000 });
  await blind.close();
  await admin.close();
});

test('English is available: ?lang=en, and the EN / 日本語 switch', async () => {
  const en = await context.newPage();
  await en.goto(`${svc.url}/dev/sidebar?lang=en`);
  await en.locator('#task[data-freelancer-id]').waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await en.locator('html').getAttribute('lang'), 'en');
  assert.match((await en.locator('.score-label').textContent()) ?? '', /Your score/);
  assert.match((await en.locator('#submit').textContent()) ?? '', /Submit/);
  assert.match((await en.locator('#prediction').textContent()) ?? '', /Predicted score/);
  assert.match((await en.locator('#prediction .reasons-caption').textContent()) ?? '', /compared with an average profile/);
  assert.equal(await en.locator('.score-btn[data-score="4"] small').textContent(), 'good');
  await en.locator('#lang').click();
  assert.match((await en.locator('.score-label').textContent()) ?? '', /あなたの評価/);
  assert.equal(await en.locator('.score-btn[data-score="4"] small').textContent(), '良い');
  await en.close();
});
