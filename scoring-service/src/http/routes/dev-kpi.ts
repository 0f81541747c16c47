/**
 * GET /dev/kpi: the KPI dashboard as an HTML page (the same layout the Google Sheet shows),
 * and GET /dev/kpi.xlsx as a workbook. Public local dev pages, mounted only when
 * config.devPages is on (never on Cloud Run by default).
 */
import { Router } from 'express';
import type { ServiceContext } from '../context.ts';
import { kpiLayout } from '../../kpi/service.ts';
import { renderKpiHtml } from '../../kpi/render-html.ts';
import { layoutToXlsx } from '../../kpi/render-xlsx.ts';

export function devKpiRoutes(ctx: ServiceContext): Router {
  const r = Router();
  if (!ctx.config.devPages) return r;
  r.get('/dev/kpi', async (_req, res) => {
    const layout = await kpiLayout(ctx.warehouse, ctx.now());
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.type('html').send(renderKpiHtml(layout, { xlsxHref: '/dev/kpi.xlsx' }));
  });
  r.get('/dev/kpi.xlsx', async (_req, res) => {
    const layout = await kpiLayout(ctx.warehouse, ctx.now());
    res.set({ 'Cache-Control': 'no-store', 'Content-Disposition': `attachment; filename="workship-kpi-${layout.generatedAt.slice(0, 10)}.xlsx"` });
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await layoutToXlsx(layout));
  });
  return r;
}
