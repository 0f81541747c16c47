/**
 * The KPI globals bundled the way the Apps Script build bundles them (esbuild IIFE, ES2020,
 * platform neutral) and run in node:vm with fakes standing in for SpreadsheetApp, BigQuery,
 * LockService, MailApp, ScriptApp, PropertiesService, Utilities and Session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import vm from 'node:vm';
import { build } from 'esbuild';
import { KPIS } from '../../scoring-service/src/kpi/definitions.ts';
import { FakeSpreadsheet, fakeBigQuery, fakeLock, fakeMail, fakeScriptApp } from './kpi-fakes.ts';

async function bundle(): Promise<string> {
  const r = await build({
    entryPoints: [path.resolve(import.meta.dirname, '../src/kpi/globals.ts')],
    bundle: true, write: false, format: 'iife', globalName: 'K', target: 'es2020', platform: 'neutral', logLevel: 'silent',
  });
  return r.outputFiles[0].text;
}

test('bundled globals: KPI を更新 fills the sheets from BigQuery; 毎日の自動更新 toggles the 08:00 trigger', async () => {
  const code = await bundle();
  assert.doesNotMatch(code, /require\(|import\(|process\.env|node:/, 'the bundle must not need Node');
  const ss = new FakeSpreadsheet();
  Object.assign(ss, { getOwner: () => ({ getEmail: () => 'owner@example.com' }) });
  const fields = [{ name: 'date', type: 'DATE' }, ...KPIS.map((k) => ({ name: k.id, type: k.unit === 'version' ? 'STRING' : 'FLOAT' }))];
  const bq = fakeBigQuery((req) => {
    const p = Object.fromEntries(req.queryParameters.map((q) => [q.name, q.parameterValue.value]));
    const rows: Record<string, unknown>[] = [];
    for (let t = Date.parse(p.from); t <= Date.parse(p.to); t += 86_400_000) {
      const r: Record<string, unknown> = { date: new Date(t).toISOString().slice(0, 10) };
      KPIS.forEach((k, i) => (r[k.id] = k.unit === 'version' ? 'm1' : 10 + i + ((t / 86_400_000) % 7)));
      rows.push(r);
    }
    return { fields, rows };
  });
  const lock = fakeLock();
  const mail = fakeMail();
  const script = fakeScriptApp();
  const alerts: string[] = [];
  const ctx = vm.createContext({
    Date, console,
    SpreadsheetApp: {
      getActiveSpreadsheet: () => ss,
      getUi: () => ({ alert: (m: string) => alerts.push(m) }),
      ProtectionType: { RANGE: 'RANGE' },
    },
    Charts: { ChartType: { LINE: 'LINE' } },
    BigQuery: { Jobs: bq.jobs },
    LockService: { getScriptLock: () => lock.lock },
    MailApp: mail.mail,
    ScriptApp: script.app,
    PropertiesService: { getScriptProperties: () => ({ getProperty: (k: string) => ({ BQ_PROJECT: 'proj' } as Record<string, string>)[k] ?? null }) },
    Utilities: { sleep: () => undefined },
    Session: { getEffectiveUser: () => ({ getEmail: () => 'me@example.com' }) },
  });
  new vm.Script(code).runInContext(ctx);
  const K = (ctx as unknown as { K: Record<string, (...a: unknown[]) => unknown> }).K;
  assert.deepEqual(Object.keys(K).sort(), ['kpiBackfill', 'kpiDailyTrigger', 'kpiMenuItems', 'kpiRefresh', 'kpiToggleDailyRefresh']);

  K.kpiRefresh();
  assert.equal(bq.requests.length, 1);
  assert.equal(bq.requests[0].location, 'asia-northeast1');
  assert.match(bq.requests[0].query, /`proj\.workship\.events`/);
  assert.deepEqual(ss.sheets.map((s) => s.name), ['ダッシュボード', 'KPI_daily', '予測', '説明', 'ログ']);
  assert.equal(ss.getSheetByName('KPI_daily')!.values.length, 401);
  assert.match(ss.toasts[0], /400 日分を更新しました/);

  K.kpiToggleDailyRefresh();
  assert.deepEqual(script.triggers, [{ handler: 'kpiDailyTrigger', everyDays: 1, atHour: 8, nearMinute: 0, timeZone: 'Asia/Tokyo' }]);
  K.kpiToggleDailyRefresh();
  assert.equal(script.triggers.length, 0);
  assert.equal(alerts.length, 2);

  K.kpiDailyTrigger(); // the same day again: nothing new, no query
  assert.equal(bq.requests.length, 1);
  assert.equal(mail.sent.length, 0);
});
