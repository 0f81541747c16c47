/**
 * Experiment globals of the Apps Script bundle: a menu target that asks for an experiment
 * id, reads its results and targeting list from the service and redraws the 実験 sheet.
 * Only wiring; the layout is layout.ts.
 */
import { getServiceUrl } from '../annotation/settings.ts';
import { experimentSheetLayout, toGrids, EXPERIMENT_SHEET } from './layout.ts';
import type { SheetResults, SheetUplift } from './types.ts';

function getJson<T>(path: string): T {
  const base = getServiceUrl();
  if (!base) throw new Error('スコアリングサービスの URL が未設定です（Workship ML → 設定）');
  const res = UrlFetchApp.fetch(base + path, { method: 'get', headers: { Authorization: `Bearer ${ScriptApp.getIdentityToken()}` }, muteHttpExceptions: true });
  const status = res.getResponseCode();
  const text = res.getContentText();
  if (status >= 400) {
    let message = text;
    try {
      message = JSON.parse(text).error.message;
    } catch {}
    throw new Error(`サービスのエラー (${status}): ${message}`);
  }
  return JSON.parse(text) as T;
}

/** Menu items for onOpen: the label and the global each runs. */
export function experimentsMenuItems(): { name: string; functionName: string }[] {
  return [{ name: '実験の結果を表示', functionName: 'experimentsRefresh' }];
}

/** Menu: 実験の結果を表示 — asks for the experiment id and redraws the 実験 sheet. */
export function experimentsRefresh(): void {
  const ui = SpreadsheetApp.getUi();
  const props = PropertiesService.getDocumentProperties();
  const last = props.getProperty('EXPERIMENT_ID') ?? '';
  const answer = ui.prompt('実験の結果', `実験 ID を入力してください${last ? `（前回: ${last}、空欄で同じ実験）` : ''}`, ui.ButtonSet.OK_CANCEL);
  if (answer.getSelectedButton() !== ui.Button.OK) return;
  const id = answer.getResponseText().trim() || last;
  if (!id) return;
  try {
    const enc = encodeURIComponent(id);
    const results = getJson<SheetResults>(`/v1/experiments/${enc}/results?cuped=1`);
    const targets = getJson<SheetUplift>(`/v1/experiments/${enc}/targeting?limit=500`);
    const layout = experimentSheetLayout(results, targets);
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const sheet = ss.getSheetByName(EXPERIMENT_SHEET) ?? ss.insertSheet(EXPERIMENT_SHEET);
    sheet.clear();
    const g = toGrids(layout);
    const range = sheet.getRange(1, 1, g.height, g.width);
    range.setValues(g.values);
    range.setNumberFormats(g.formats);
    range.setFontWeights(g.weights);
    range.setBackgrounds(g.backgrounds as string[][]);
    range.setFontColors(g.colors as string[][]);
    layout.columnWidths.forEach((w, i) => sheet.setColumnWidth(i + 1, w));
    sheet.setFrozenRows(layout.frozenRows);
    props.setProperty('EXPERIMENT_ID', id);
    ss.toast(`${results.experiment.name} を更新しました`, '実験', 5);
  } catch (e) {
    ui.alert(e instanceof Error ? e.message : String(e));
  }
}
