/**
 * `kpi refresh | backfill --from D --to D | export --xlsx FILE [--html FILE] | show`:
 * the KPI table from the terminal, through the running service when there is one (DuckDB
 * allows one process per file), otherwise on the warehouse directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliUsageError, parseArgs, type CliCommand } from '../command.ts';
import { callService, findRunningService } from '../service-link.ts';
import { openWarehouse } from '../../warehouse/index.ts';
import { allTables } from '../../domain/all-tables.ts';
import { KPIS, type KpiRow } from '../../kpi/definitions.ts';
import { isIsoDate } from '../../kpi/query.ts';
import { kpiReport, ensureFresh, rebuild, FIT_DAYS } from '../../kpi/service.ts';
import { lastCompleteDay } from '../../kpi/refresh.ts';
import type { KpiForecasts } from '../../kpi/forecasts.ts';
import { buildKpiLayout } from '../../kpi/layout.ts';
import { layoutToXlsx } from '../../kpi/render-xlsx.ts';
import { renderKpiHtml } from '../../kpi/render-html.ts';
import { formatValue } from '../../kpi/format.ts';
import { addDays } from '../../forecast/series.ts';
import type { Config } from '../../config.ts';
import type { Warehouse } from '../../warehouse/port.ts';

const USAGE = `usage: workship-ml kpi <subcommand>
  refresh                          add the days after the last stored one (up to yesterday, Asia/Tokyo)
  backfill --from YYYY-MM-DD --to YYYY-MM-DD   recompute a range (idempotent)
  export --xlsx FILE [--html FILE] write the KPI sheet layout as .xlsx (and/or HTML)
  show                             print the latest day's KPIs`;

async function onWarehouse<T>(config: Config, fn: (w: Warehouse) => Promise<T>): Promise<T> {
  const w = await openWarehouse(config);
  try {
    await w.migrate(allTables);
    return await fn(w);
  } finally {
    await w.close();
  }
}

function dateFlag(flags: Record<string, string | true>, name: string): string {
  const v = flags[name];
  if (typeof v !== 'string' || !isIsoDate(v)) throw new CliUsageError(`--${name} must be a date YYYY-MM-DD`);
  return v;
}

/** History (up to FIT_DAYS) and forecasts, from the service or the warehouse. */
async function report(config: Config): Promise<{ rows: KpiRow[]; forecasts: KpiForecasts }> {
  const now = new Date();
  // From far enough back for the fit; `to` is left to the last stored day.
  const from = addDays(lastCompleteDay(now), -(FIT_DAYS - 1));
  const link = await findRunningService(config);
  if (link) return callService<{ rows: KpiRow[]; forecasts: KpiForecasts }>(link, 'GET', `/v1/kpis?from=${from}`);
  return onWarehouse(config, async (w) => {
    const r = await kpiReport(w, now, { from });
    return { rows: r.history, forecasts: r.forecasts };
  });
}

export const kpiCommand: CliCommand = {
  name: 'kpi',
  summary: 'refresh or backfill daily KPIs, export the KPI sheet as .xlsx',
  usage: USAGE,
  async run(args, config, io) {
    const { flags, positional } = parseArgs(args);
    const sub = positional[0];
    if (sub === 'refresh' || sub === 'backfill') {
      const body = sub === 'backfill' ? { from: dateFlag(flags, 'from'), to: dateFlag(flags, 'to') } : undefined;
      if (body && body.from > body.to) throw new CliUsageError('--from must be on or before --to');
      const link = await findRunningService(config);
      const out = link
        ? await callService(link, 'POST', '/v1/kpis/refresh', body ?? {})
        : await onWarehouse(config, (w) => (body ? rebuild(w, body.from, body.to, new Date()) : ensureFresh(w, new Date())));
      io.out(JSON.stringify(out));
      return 0;
    }
    if (sub === 'export') {
      const xlsx = flags.xlsx;
      const html = flags.html;
      if (xlsx === true || html === true || (!xlsx && !html)) throw new CliUsageError('export needs --xlsx FILE and/or --html FILE');
      const r = await report(config);
      const layout = buildKpiLayout({ rows: r.rows, forecasts: r.forecasts, generatedAt: new Date().toISOString() });
      if (typeof xlsx === 'string') {
        fs.mkdirSync(path.dirname(path.resolve(xlsx)), { recursive: true });
        fs.writeFileSync(xlsx, await layoutToXlsx(layout));
        io.out(`wrote ${xlsx} (${r.rows.length} days, sheets: ${layout.sheets.map((s) => s.name).join(', ')})`);
      }
      if (typeof html === 'string') {
        fs.writeFileSync(html, renderKpiHtml(layout));
        io.out(`wrote ${html}`);
      }
      return 0;
    }
    if (sub === 'show') {
      const r = await report(config);
      const last = r.rows[r.rows.length - 1];
      if (!last) {
        io.out('no KPI rows yet (no events?)');
        return 0;
      }
      io.out(`KPIs for ${last.date} (Asia/Tokyo)`);
      const fmt: Record<string, string> = { count: '#,##0', ratio: '0.0%', score: '0.00' };
      for (const k of KPIS) io.out(`  ${k.label_ja.padEnd(22, '　')} ${formatValue(last[k.id] ?? null, fmt[k.unit])}`);
      return 0;
    }
    throw new CliUsageError(sub ? `unknown subcommand '${sub}'` : 'a subcommand is required');
  },
};
