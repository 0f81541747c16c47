/**
 * KPI globals of the Apps Script bundle (menu targets and the trigger handler). Only wiring:
 * the logic lives in refresh.ts, triggers.ts and the scoring-service's pure KPI modules.
 */
import { refreshKpiSheet, type KpiEnv, type KpiSettings, type RefreshOutcome } from './refresh.ts';
import { toggleDailyTrigger } from './triggers.ts';
import { parseBackfillInput } from './sheet-rows.ts';

const PROPS = { project: 'BQ_PROJECT', dataset: 'BQ_DATASET', location: 'BQ_LOCATION' };

function settings(): KpiSettings {
  const p = PropertiesService.getScriptProperties();
  const projectId = p.getProperty(PROPS.project);
  if (!projectId) throw new Error(`スクリプト プロパティ ${PROPS.project}（BigQuery のプロジェクト ID）を設定してください`);
  return { projectId, dataset: p.getProperty(PROPS.dataset) || 'workship', location: p.getProperty(PROPS.location) || 'asia-northeast1' };
}

function env(): KpiEnv {
  if (!BigQuery) throw new Error('BigQuery の拡張サービスが有効ではありません (enable the BigQuery advanced service)');
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  return {
    spreadsheet: ss,
    bigquery: BigQuery.Jobs as unknown as KpiEnv['bigquery'],
    lock: LockService.getScriptLock(),
    mail: MailApp,
    enums: { protectionRange: SpreadsheetApp.ProtectionType.RANGE, lineChart: Charts.ChartType.LINE },
    settings,
    ownerEmail: () => ss.getOwner()?.getEmail() || Session.getEffectiveUser().getEmail() || null,
    sleep: (ms) => Utilities.sleep(ms),
    now: () => new Date(),
  };
}

function tell(o: RefreshOutcome): void {
  SpreadsheetApp.getActiveSpreadsheet().toast(o.message, o.ok ? 'KPI' : 'KPI エラー', 10);
}

/** Menu items for onOpen: the label and the global each runs. */
export function kpiMenuItems(): { name: string; functionName: string }[] {
  return [
    { name: 'KPI を更新', functionName: 'kpiRefresh' },
    { name: '毎日の自動更新（08:00）のオン/オフ', functionName: 'kpiToggleDailyRefresh' },
    { name: 'KPI の backfill（期間を作り直す）', functionName: 'kpiBackfill' },
  ];
}

/** Menu: KPI を更新. */
export function kpiRefresh(): void {
  tell(refreshKpiSheet(env(), { mode: 'incremental' }));
}

/** Menu: 毎日の自動更新 — installs the 08:00 Asia/Tokyo trigger, or removes it when present. */
export function kpiToggleDailyRefresh(): void {
  const state = toggleDailyTrigger(ScriptApp);
  SpreadsheetApp.getUi().alert(state === 'installed' ? '毎日 08:00（日本時間）に KPI を自動更新します。' : '毎日の自動更新を止めました。');
}

/** Menu: backfill — asks for a date range and rebuilds it. */
export function kpiBackfill(): void {
  const ui = SpreadsheetApp.getUi();
  const answer = ui.prompt('KPI の backfill', '作り直す期間（日本時間）: 2026-01-01 2026-03-31', ui.ButtonSet.OK_CANCEL);
  if (answer.getSelectedButton() !== ui.Button.OK) return;
  let range: { from: string; to: string };
  try {
    range = parseBackfillInput(answer.getResponseText());
  } catch (e) {
    ui.alert(e instanceof Error ? e.message : String(e));
    return;
  }
  tell(refreshKpiSheet(env(), { mode: 'backfill', ...range }));
}

/** Time-driven trigger handler (installed by kpiToggleDailyRefresh). */
export function kpiDailyTrigger(): void {
  const outcome = refreshKpiSheet(env(), { mode: 'incremental' });
  if (!outcome.ok) console.error(outcome.message);
}
