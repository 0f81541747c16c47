/**
 * The Apps Script shell of the 実験 sheet (appsscript/src/experiments/globals.ts) run in Node
 * against minimal fakes of SpreadsheetApp, UrlFetchApp, ScriptApp and PropertiesService.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeResults } from '../src/experiments/results.ts';
import { rankTargets } from '../src/uplift/targeting.ts';
import type { Experiment } from '../src/experiments/types.ts';
import { experimentSheetLayout, toGrids } from '../../appsscript/src/experiments/layout.ts';

const e: Experiment = {
  id: 'exp-1', name: '求人メール', hypothesis: null, unit_type: 'freelancer', goal_metric: 'match', secondary_metrics: [],
  arms: [{ name: 'control', weight: 1 }, { name: 'mail', weight: 1 }], salt: 's', start_at: '2026-10-01T00:00:00.000Z', end_at: null,
  status: 'running', pre_period_days: 28, created_by: 't', created_at: '2026-09-01T00:00:00.000Z', updated_at: '2026-09-01T00:00:00.000Z',
};
const outcomes = Array.from({ length: 400 }, (_, i) => ({ unit_id: `u${i}`, arm: i % 2 ? 'mail' : 'control', y: [i % 7 === 0 ? 1 : 0], x: [0] }));
const results = JSON.parse(JSON.stringify(computeResults(e, outcomes, { now: new Date('2026-11-01T00:00:00Z') })));
const targets = { run_id: 'u-1', items: rankTargets(['a', 'b'], { uplift: [0.05, 0.2], pTreatment: [0.2, 0.3], pControl: [0.15, 0.1], pConvert: [0.15, 0.1] }) };

// A computed specifier keeps the service's type-check (Node types) out of the Apps Script file,
// which the appsscript project type-checks with the Apps Script types.
const loadGlobals = (): Promise<{ experimentsRefresh: () => void }> => import(new URL('../../appsscript/src/experiments/globals.ts', import.meta.url).href);

function install(respond: (url: string) => { status: number; body: unknown }) {
  const fetches: { url: string; headers: Record<string, string> }[] = [];
  const alerts: string[] = [];
  const docProps = new Map<string, string>();
  const sheets = new Map<string, any>();
  const makeSheet = (name: string) => {
    const s: any = { name, values: null, formats: null, widths: [] as number[], frozen: 0, cleared: 0 };
    s.clear = () => s.cleared++;
    s.getRange = (_r: number, _c: number, h: number, w: number) => ({
      setValues: (v: unknown[][]) => {
        assert.equal(v.length, h);
        assert.ok(v.every((row) => row.length === w));
        s.values = v;
      },
      setNumberFormats: (f: string[][]) => (s.formats = f),
      setFontWeights: () => {},
      setBackgrounds: () => {},
      setFontColors: () => {},
    });
    s.setColumnWidth = (i: number, px: number) => (s.widths[i - 1] = px);
    s.setFrozenRows = (n: number) => (s.frozen = n);
    return s;
  };
  const g = globalThis as any;
  g.PropertiesService = {
    getScriptProperties: () => ({ getProperty: (k: string) => (k === 'WORKSHIP_SERVICE_URL' ? 'https://svc.example' : null) }),
    getDocumentProperties: () => ({ getProperty: (k: string) => docProps.get(k) ?? null, setProperty: (k: string, v: string) => docProps.set(k, v) }),
  };
  g.ScriptApp = { getIdentityToken: () => 'id-token' };
  const sleeps: number[] = [];
  g.Utilities = { sleep: (ms: number) => sleeps.push(ms) };
  g.UrlFetchApp = {
    fetch(url: string, params: { headers: Record<string, string>; muteHttpExceptions?: boolean }) {
      assert.equal(params.muteHttpExceptions, true);
      fetches.push({ url, headers: params.headers });
      const r = respond(url);
      return { getResponseCode: () => r.status, getContentText: () => JSON.stringify(r.body), getAllHeaders: () => ({}) };
    },
  };
  const ui = {
    ButtonSet: { OK_CANCEL: 'OK_CANCEL' },
    Button: { OK: 'OK' },
    prompt: () => ({ getSelectedButton: () => 'OK', getResponseText: () => ' exp-1 ' }),
    alert: (m: string) => alerts.push(m),
  };
  g.SpreadsheetApp = {
    getUi: () => ui,
    getActiveSpreadsheet: () => ({ getSheetByName: (n: string) => sheets.get(n) ?? null, insertSheet: (n: string) => (sheets.set(n, makeSheet(n)), sheets.get(n)), toast: () => {} }),
  };
  return { fetches, alerts, docProps, sheets, sleeps };
}

test('experimentsRefresh reads results and targets with the identity token and draws the 実験 sheet', async () => {
  const fx = install((url) => ({ status: 200, body: url.includes('/targeting') ? targets : results }));
  const { experimentsRefresh } = await loadGlobals();
  experimentsRefresh();
  assert.deepEqual(fx.alerts, []);
  assert.deepEqual(fx.fetches.map((f) => f.url), ['https://svc.example/v1/experiments/exp-1/results?cuped=1', 'https://svc.example/v1/experiments/exp-1/targeting?limit=500']);
  assert.ok(fx.fetches.every((f) => f.headers.Authorization === 'Bearer id-token'));
  const sheet = fx.sheets.get('実験');
  assert.deepEqual(sheet.values, toGrids(experimentSheetLayout(results, targets)).values);
  assert.equal(sheet.frozen, 1);
  assert.equal(fx.docProps.get('EXPERIMENT_ID'), 'exp-1');
});

test('a service error is shown to the user with its message, and nothing is drawn', async () => {
  const fx = install(() => ({ status: 404, body: { error: { code: 'not_found', message: "experiment 'exp-1' was not found" } } }));
  const { experimentsRefresh } = await loadGlobals();
  experimentsRefresh();
  assert.deepEqual(fx.alerts, ["サービスのエラー (404): 対象が見つかりませんでした。 experiment 'exp-1' was not found"]);
  assert.equal(fx.sheets.size, 0);
  assert.equal(fx.fetches.length, 1, 'a 404 is not retried');
});

test('a 503 is retried with back-off through the shared client, then the sheet is drawn', async () => {
  let failures = 2;
  const fx = install((url) => (failures-- > 0 ? { status: 503, body: { error: { code: 'unavailable', message: 'busy' } } } : { status: 200, body: url.includes('/targeting') ? targets : results }));
  const { experimentsRefresh } = await loadGlobals();
  experimentsRefresh();
  assert.deepEqual(fx.alerts, []);
  assert.equal(fx.fetches.length, 4, 'two failures, then results and targets');
  assert.equal(fx.sleeps.length, 2);
  assert.ok(fx.sleeps[1] >= fx.sleeps[0], `back-off grows: ${fx.sleeps}`);
  assert.ok(fx.sheets.get('実験').values, 'drawn');
});
