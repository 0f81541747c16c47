/** In-memory fakes of the Apps Script services the bundle uses, recording every call. */

export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RecordedFetch {
  url: string;
  params: { method?: string; headers?: Record<string, string>; payload?: string; muteHttpExceptions?: boolean; contentType?: string };
}

export interface MenuRecord {
  title: string;
  items: { label: string; fn: string }[];
  added: boolean;
}

export function createGasFakes(o: { responses?: (req: RecordedFetch) => FakeResponse; properties?: Record<string, string>; identityToken?: string; promptAnswers?: { button: string; text: string }[] } = {}) {
  const fetches: RecordedFetch[] = [];
  const sleeps: number[] = [];
  const menus: MenuRecord[] = [];
  const sidebars: { file: string; title: string }[] = [];
  const alerts: string[] = [];
  const prompts: string[] = [];
  const props = new Map(Object.entries(o.properties ?? {}));
  const answers = [...(o.promptAnswers ?? [])];

  function menuFake(title: string): Record<string, unknown> {
    const rec: MenuRecord = { title, items: [], added: false };
    menus.push(rec);
    const m: Record<string, unknown> = {
      addItem(label: string, fn: string) {
        rec.items.push({ label, fn });
        return m;
      },
      addSeparator: () => m,
      addSubMenu(sub: { __rec?: MenuRecord }) {
        if (sub.__rec) rec.items.push(...sub.__rec.items);
        return m;
      },
      addToUi() {
        rec.added = true;
      },
      __rec: rec,
    };
    return m;
  }

  const ui = {
    ButtonSet: { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO' },
    Button: { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' },
    createMenu: menuFake,
    createAddonMenu: () => menuFake('add-on'),
    showSidebar(html: { file: string; title: string }) {
      sidebars.push(html);
    },
    showModalDialog() {},
    alert(msg: string) {
      alerts.push(msg);
      return 'OK';
    },
    prompt(title: string, msg: string) {
      prompts.push(`${title}\n${msg}`);
      const a = answers.shift() ?? { button: 'CANCEL', text: '' };
      return { getSelectedButton: () => a.button, getResponseText: () => a.text };
    },
  };

  const globals = {
    SpreadsheetApp: { getUi: () => ui, getActiveSpreadsheet: () => ({ getName: () => 'test' }) },
    HtmlService: {
      createHtmlOutputFromFile(file: string) {
        const h = {
          file,
          title: '',
          setTitle(t: string) {
            h.title = t;
            return h;
          },
          setWidth: () => h,
          setHeight: () => h,
        };
        return h;
      },
    },
    UrlFetchApp: {
      fetch(url: string, params: RecordedFetch['params']) {
        const req = { url, params };
        fetches.push(req);
        const r = o.responses ? o.responses(req) : { status: 200, body: {} };
        return {
          getResponseCode: () => r.status,
          getContentText: () => (typeof r.body === 'string' ? r.body : JSON.stringify(r.body)),
          getAllHeaders: () => r.headers ?? {},
        };
      },
    },
    ScriptApp: { getIdentityToken: () => o.identityToken ?? 'fake-identity-token' },
    PropertiesService: {
      getScriptProperties: () => ({
        getProperty: (k: string) => props.get(k) ?? null,
        setProperty(k: string, v: string) {
          props.set(k, v);
        },
        deleteProperty(k: string) {
          props.delete(k);
        },
      }),
    },
    Utilities: {
      sleep(ms: number) {
        sleeps.push(ms);
      },
    },
    Session: { getActiveUser: () => ({ getEmail: () => 'annotator@example.com' }) },
    Logger: { log() {} },
    console: { log() {}, info() {}, warn() {}, error() {} },
  };
  return { globals, fetches, sleeps, menus, sidebars, alerts, prompts, props };
}
