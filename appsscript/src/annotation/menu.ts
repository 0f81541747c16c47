/** The "Workship ML" menu. Other areas contribute items through MenuContribution. */

export const MENU_TITLE = 'Workship ML';
export const SIDEBAR_FILE = 'Sidebar';

/** Adds items (and separators/submenus) to the menu; each item names a top-level function. */
export type MenuContribution = (menu: GoogleAppsScript.Base.Menu, ui: GoogleAppsScript.Base.Ui) => void;

export function buildMenu(ui: GoogleAppsScript.Base.Ui, contributions: MenuContribution[] = []): void {
  const menu = ui.createMenu(MENU_TITLE).addItem('アノテーション', 'showAnnotationSidebar').addItem('設定', 'showSettings');
  for (const contribute of contributions) {
    menu.addSeparator();
    contribute(menu, ui);
  }
  menu.addToUi();
}

export function openSidebar(): void {
  const html = HtmlService.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle('Workship ML アノテーション');
  SpreadsheetApp.getUi().showSidebar(html);
}
