/**
 * The KPI sheet refresh, run from the menu or the 08:00 trigger. It reads BigQuery directly
 * (works while the scoring service is down): only the days after the last row of KPI_daily,
 * or a backfill range; merges them by date; recomputes forecasts; redraws the sheets.
 * A lock keeps two refreshes from overlapping; failures go to the ログ sheet and by mail
 * to the owner.
 */
import { bigqueryDialect } from '../../../scoring-service/src/warehouse/dialects/bigquery.ts';
import { kpiParams, kpiQuery, tokyoDate } from '../../../scoring-service/src/kpi/query.ts';
import { kpiForecasts } from '../../../scoring-service/src/kpi/forecasts.ts';
import { buildKpiLayout } from '../../../scoring-service/src/kpi/layout.ts';
import { SHEET_NAMES } from '../../../scoring-service/src/kpi/layout-types.ts';
import { addDays } from '../../../scoring-service/src/forecast/series.ts';
import { runQuery, type BigQueryJobs } from './bigquery-jobs.ts';
import { applyLayout, type SheetEnums } from './apply-layout.ts';
import { mergeRows, rowFromQuery, rowsFromValues } from './sheet-rows.ts';

export interface KpiSettings {
  projectId: string;
  dataset: string;
  location: string;
}

export interface KpiEnv {
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet;
  bigquery: BigQueryJobs;
  lock: Pick<GoogleAppsScript.Lock.Lock, 'tryLock' | 'releaseLock'>;
  mail: Pick<GoogleAppsScript.Mail.MailApp, 'sendEmail'>;
  enums: SheetEnums;
  settings: () => KpiSettings;
  ownerEmail: () => string | null;
  sleep: (ms: number) => void;
  now: () => Date;
}

export type RefreshRequest = { mode: 'incremental' } | { mode: 'backfill'; from: string; to: string };

export interface RefreshOutcome {
  ok: boolean;
  /** Days read from BigQuery (0 when nothing was new). */
  days: number;
  from: string | null;
  to: string | null;
  message: string;
}

/** A first refresh (empty sheet) reaches this far back. */
export const INITIAL_SHEET_DAYS = 400;
export const LOCK_WAIT_MS = 10_000;

export function writeLog(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, at: Date, level: 'INFO' | 'ERROR', message: string): void {
  let sheet = ss.getSheetByName(SHEET_NAMES.log);
  if (!sheet) {
    sheet = ss.insertSheet(SHEET_NAMES.log);
    sheet.appendRow(['日時 (time)', 'レベル (level)', '内容 (message)']);
    sheet.setFrozenRows(1);
  }
  sheet.appendRow([at.toISOString(), level, message]);
}

export function refreshKpiSheet(env: KpiEnv, req: RefreshRequest): RefreshOutcome {
  if (!env.lock.tryLock(LOCK_WAIT_MS)) {
    return { ok: false, days: 0, from: null, to: null, message: '別の更新が実行中です。しばらくしてから再実行してください。 (another refresh is running)' };
  }
  const ss = env.spreadsheet;
  try {
    const now = env.now();
    const dailySheet = ss.getSheetByName(SHEET_NAMES.daily);
    const stored = dailySheet ? rowsFromValues(dailySheet.getDataRange().getValues()) : [];
    let from: string;
    let to: string;
    if (req.mode === 'backfill') {
      ({ from, to } = req);
    } else {
      to = addDays(tokyoDate(now), -1);
      from = stored.length ? addDays(stored[stored.length - 1].date, 1) : addDays(to, -(INITIAL_SHEET_DAYS - 1));
    }
    if (from > to) {
      if (req.mode === 'backfill') throw new RangeError(`開始日 ${from} が終了日 ${to} より後です (from is after to)`);
      return { ok: true, days: 0, from: null, to: null, message: `新しい日はありません（最新 ${stored[stored.length - 1]?.date ?? '—'}）。` };
    }
    const s = env.settings();
    const params = kpiParams(from, to);
    const fresh = runQuery(env.bigquery, kpiQuery(bigqueryDialect(s.projectId, s.dataset)), params, {
      projectId: s.projectId,
      location: s.location,
      timeoutMs: 60_000,
      sleep: env.sleep,
      now: () => env.now().getTime(),
    }).map(rowFromQuery);
    const rows = mergeRows(stored, fresh);
    const layout = buildKpiLayout({ rows, forecasts: kpiForecasts(rows), generatedAt: now.toISOString() });
    applyLayout(ss, layout, env.enums);
    const message = `${from} 〜 ${to} の ${fresh.length} 日分を更新しました。`;
    writeLog(ss, now, 'INFO', message);
    return { ok: true, days: fresh.length, from, to, message };
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    reportFailure(env, message);
    return { ok: false, days: 0, from: null, to: null, message: `KPI の更新に失敗しました: ${message}` };
  } finally {
    env.lock.releaseLock();
  }
}

function reportFailure(env: KpiEnv, message: string): void {
  const at = env.now();
  try {
    writeLog(env.spreadsheet, at, 'ERROR', message);
  } catch {
    // the mail below still reports it
  }
  const owner = env.ownerEmail();
  if (owner) {
    env.mail.sendEmail(
      owner,
      '[Workship KPI] 更新に失敗しました (KPI refresh failed)',
      `KPI シートの更新に失敗しました。\n\n時刻: ${at.toISOString()}\n内容: ${message}\n\nシート: ${env.spreadsheet.getUrl()}\n詳細は「${SHEET_NAMES.log}」シートを見てください。`,
    );
  }
}
