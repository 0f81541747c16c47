/**
 * Fakes of SpreadsheetApp (spreadsheet, sheets, ranges, protections, charts), BigQuery.Jobs,
 * LockService, MailApp and ScriptApp for the KPI shell. They keep state that tests read back.
 * Like Sheets, a 'YYYY-MM-DD' string written to a cell reads back as a Date (midnight in
 * the spreadsheet's zone, Asia/Tokyo).
 */
import type { BigQueryJobs, QueryRequest, QueryResponse } from '../src/kpi/bigquery-jobs.ts';

export interface FakeChart {
  type: unknown;
  ranges: string[];
  position: number[];
  options: Record<string, unknown>;
}

export interface FakeProtection {
  range: string;
  description: string;
  warningOnly: boolean;
}

export class FakeSheet {
  values: unknown[][] = [];
  formats: string[][] = [];
  backgrounds: (string | null)[][] = [];
  fontColors: (string | null)[][] = [];
  weights: string[][] = [];
  notes: string[][] = [];
  frozenRows = 0;
  frozenColumns = 0;
  widths: Record<number, number> = {};
  tabColor: string | null = null;
  protections: FakeProtection[] = [];
  charts: FakeChart[] = [];
  constructor(readonly name: string, private readonly ss: FakeSpreadsheet) {}

  getName() { return this.name; }
  clear() {
    this.values = [];
    this.formats = [];
    this.backgrounds = [];
    this.fontColors = [];
    this.weights = [];
    this.notes = [];
    return this;
  }
  getProtections() {
    return this.protections.map((p) => ({ remove: () => this.protections.splice(this.protections.indexOf(p), 1) }));
  }
  getCharts() { return this.charts.slice(); }
  removeChart(c: FakeChart) { this.charts = this.charts.filter((x) => x !== c); }
  insertChart(c: FakeChart) { this.charts.push(c); }
  setColumnWidth(i: number, w: number) { this.widths[i] = w; return this; }
  setFrozenRows(n: number) { this.frozenRows = n; return this; }
  setFrozenColumns(n: number) { this.frozenColumns = n; return this; }
  setTabColor(c: string) { this.tabColor = c; return this; }
  appendRow(row: unknown[]) { this.values.push(row.slice()); return this; }
  getDataRange() {
    return { getValues: () => this.values.map((r) => r.map((v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00+09:00`) : v ?? ''))) };
  }
  getRange(a: number | string, col?: number, nr?: number, nc?: number) {
    if (typeof a === 'string') {
      const protections = this.protections;
      return {
        a1: a,
        protect() {
          const p: FakeProtection = { range: a, description: '', warningOnly: false };
          protections.push(p);
          const api = { setDescription: (d: string) => ((p.description = d), api), setWarningOnly: (w: boolean) => ((p.warningOnly = w), api) };
          return api;
        },
      };
    }
    const r0 = a - 1;
    const c0 = col! - 1;
    const set = (target: unknown[][], grid: unknown[][]) => {
      if (grid.length !== nr || grid.some((g) => g.length !== nc)) throw new Error(`grid ${grid.length}x${grid[0]?.length} does not fit range ${nr}x${nc}`);
      grid.forEach((g, i) => {
        target[r0 + i] = target[r0 + i] ?? [];
        g.forEach((v, j) => (target[r0 + i][c0 + j] = v));
      });
    };
    const range: Record<string, (g: unknown[][]) => unknown> = {
      setValues: (g) => set(this.values, g),
      setNumberFormats: (g) => set(this.formats, g),
      setBackgrounds: (g) => set(this.backgrounds, g),
      setFontColors: (g) => set(this.fontColors, g),
      setFontWeights: (g) => set(this.weights, g),
      setFontStyles: () => range,
      setHorizontalAlignments: () => range,
      setWraps: () => range,
      setNotes: (g) => set(this.notes, g),
    };
    return range;
  }
  newChart() {
    const chart: FakeChart = { type: null, ranges: [], position: [], options: {} };
    const b = {
      setChartType: (t: unknown) => ((chart.type = t), b),
      addRange: (r: { a1: string }) => (chart.ranges.push(r.a1), b),
      setPosition: (...p: number[]) => ((chart.position = p), b),
      setOption: (k: string, v: unknown) => ((chart.options[k] = v), b),
      build: () => chart,
    };
    void this.ss;
    return b;
  }
}

export class FakeSpreadsheet {
  sheets: FakeSheet[] = [];
  timeZone = 'Etc/GMT';
  toasts: string[] = [];
  getSheetByName(n: string) { return this.sheets.find((s) => s.name === n) ?? null; }
  insertSheet(n: string) {
    const s = new FakeSheet(n, this);
    this.sheets.push(s);
    return s;
  }
  getSheets() { return this.sheets.slice(); }
  getRange(a1: string) { return { a1 }; }
  setSpreadsheetTimeZone(tz: string) { this.timeZone = tz; }
  private active: FakeSheet | null = null;
  setActiveSheet(s: FakeSheet) { this.active = s; return s; }
  moveActiveSheet(pos: number) {
    if (!this.active) return;
    this.sheets = this.sheets.filter((s) => s !== this.active);
    this.sheets.splice(pos - 1, 0, this.active);
  }
  getUrl() { return 'https://docs.google.com/spreadsheets/d/fake'; }
  toast(m: string) { this.toasts.push(m); }
}

/** BigQuery.Jobs fake: answers with rows from `answer`, after `pendingPolls` incomplete polls, in pages of `pageSize`. */
export function fakeBigQuery(answer: (req: QueryRequest) => { fields: { name: string; type: string }[]; rows: Record<string, unknown>[] }, o: { pendingPolls?: number; pageSize?: number; fail?: Error } = {}) {
  const requests: QueryRequest[] = [];
  const polls: { jobId: string; args: Record<string, unknown> }[] = [];
  let job: { pages: QueryResponse[]; pending: number; schema: QueryResponse['schema'] } | null = null;
  const toRest = (fields: { name: string; type: string }[], rows: Record<string, unknown>[]) =>
    rows.map((r) => ({ f: fields.map((f) => ({ v: r[f.name] === null || r[f.name] === undefined ? null : String(r[f.name]) })) }));
  const jobs: BigQueryJobs = {
    query(req) {
      requests.push(req);
      if (o.fail) throw o.fail;
      const { fields, rows } = answer(req);
      const size = o.pageSize ?? 1000;
      const pages: QueryResponse[] = [];
      for (let i = 0; i < Math.max(1, rows.length); i += size) pages.push({ rows: toRest(fields, rows.slice(i, i + size)) });
      pages.forEach((p, i) => (p.pageToken = i + 1 < pages.length ? `page-${i + 1}` : undefined));
      job = { pages, pending: o.pendingPolls ?? 0, schema: { fields } };
      const ref = { jobId: `job-${requests.length}`, location: req.location };
      if (job.pending > 0) return { jobComplete: false, jobReference: ref };
      return { jobComplete: true, jobReference: ref, schema: job.schema, ...job.pages[0] };
    },
    getQueryResults(_projectId, jobId, args) {
      polls.push({ jobId, args });
      if (!job) throw new Error('no job');
      if (job.pending > 0 && --job.pending > 0) return { jobComplete: false, jobReference: { jobId } };
      const idx = args.pageToken ? Number(String(args.pageToken).slice(5)) : 0;
      return { jobComplete: true, jobReference: { jobId }, schema: job.schema, ...job.pages[idx] };
    },
  };
  return { jobs, requests, polls };
}

export function fakeLock(o: { busy?: boolean } = {}) {
  const state = { held: false, acquisitions: 0, releases: 0 };
  return {
    state,
    lock: {
      tryLock: () => {
        if (o.busy || state.held) return false;
        state.held = true;
        state.acquisitions++;
        return true;
      },
      releaseLock: () => {
        state.held = false;
        state.releases++;
      },
    },
  };
}

export function fakeMail() {
  const sent: { to: string; subject: string; body: string }[] = [];
  return { sent, mail: { sendEmail: (to: string, subject: string, body: string) => sent.push({ to, subject, body }) } };
}

export interface FakeTrigger {
  handler: string;
  everyDays?: number;
  atHour?: number;
  nearMinute?: number;
  timeZone?: string;
}

export function fakeScriptApp() {
  const triggers: FakeTrigger[] = [];
  const app = {
    getProjectTriggers: () => triggers.map((t) => ({ getHandlerFunction: () => t.handler, t })),
    deleteTrigger: (x: { t: FakeTrigger }) => triggers.splice(triggers.indexOf(x.t), 1),
    newTrigger: (handler: string) => {
      const t: FakeTrigger = { handler };
      const tb = {
        everyDays: (n: number) => ((t.everyDays = n), tb),
        atHour: (h: number) => ((t.atHour = h), tb),
        nearMinute: (m: number) => ((t.nearMinute = m), tb),
        inTimezone: (z: string) => ((t.timeZone = z), tb),
        create: () => (triggers.push(t), t),
      };
      return { timeBased: () => tb };
    },
  };
  return { triggers, app };
}
