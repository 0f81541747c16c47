/** The service URL, kept in script properties so every user of the sheet shares it. */

export const SERVICE_URL_PROPERTY = 'WORKSHIP_SERVICE_URL';

export function getServiceUrl(): string {
  return PropertiesService.getScriptProperties().getProperty(SERVICE_URL_PROPERTY) ?? '';
}

/** Returns an error message (Japanese) or null when the URL is acceptable. */
export function validateServiceUrl(raw: string): string | null {
  const url = raw.trim();
  if (!url) return 'URL を入力してください。';
  // UrlFetchApp reaches only public hosts; Cloud Run serves HTTPS.
  if (!/^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[^\s?#]*)?$/.test(url)) return 'https:// で始まる URL を入力してください（例: https://workship-ml-xxxx.a.run.app）。';
  return null;
}

export function setServiceUrl(raw: string): void {
  const err = validateServiceUrl(raw);
  if (err) throw new Error(err);
  PropertiesService.getScriptProperties().setProperty(SERVICE_URL_PROPERTY, raw.trim().replace(/\/+$/, ''));
}

/** Menu → 設定: prompt for the URL, show the current one, re-prompt on a bad value. */
export function promptServiceUrl(): void {
  const ui = SpreadsheetApp.getUi();
  const current = getServiceUrl();
  let notice = '';
  for (;;) {
    const res = ui.prompt(
      'Workship ML の設定',
      `${notice}スコアリングサービスの URL を入力してください。\n現在の値: ${current || '（未設定）'}`,
      ui.ButtonSet.OK_CANCEL,
    );
    if (res.getSelectedButton() !== ui.Button.OK) return;
    const err = validateServiceUrl(res.getResponseText());
    if (!err) {
      setServiceUrl(res.getResponseText());
      ui.alert('保存しました。');
      return;
    }
    notice = `${err}\n\n`;
  }
}
