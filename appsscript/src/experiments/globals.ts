/**
 * Experiment globals of the Apps Script bundle: a menu target that asks for an experiment
 * id, reads its results and targeting list from the service and redraws the 実験 sheet.
 * Only wiring; the layout is layout.ts.
 */
import { appsScriptEnv, runInAppsScript } from '../annotation/apps-script-io.ts';
import { callService } from '../annotation/http-client.ts';
import { experimentSheetLayout, toGrids, EXPERIMENT_SHEET } from './layout.ts';
import type { SheetResults, SheetUplift } from './types.ts';

/** GET through the shared client: identity token, retry with back-off on 429/5xx, Japanese errors. */
function getJson<T>(path: string): T {
  const r = runInAppsScript(callService<T>(appsScriptEnv(), 'get', path));
  if (!r.ok) {
    const e = r.error;
    throw new Error(e.status ? `サービスのエラー (${e.status}): ${e.message}${e.server_message ? ` ${e.server_message}` : ''}` : e.message);
  }
  return r.data;
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
