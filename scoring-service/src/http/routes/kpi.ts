/**
 * GET /v1/kpis?from=&to= (scorer or above): daily KPI rows of the range (Asia/Tokyo dates;
 * default: the 90 days ending at the last stored day)
 * with 90-day forecasts, 80% bands, anomaly flags and backtest figures per KPI.
 * POST /v1/kpis/refresh (admin): incremental refresh, or a backfill of {from, to}.
 */
import { Router, type Request } from 'express';
import type { ServiceContext } from '../context.ts';
import { role } from '../app.ts';
import { ValidationError } from '../../errors.ts';
import { KPIS } from '../../kpi/definitions.ts';
import { isIsoDate } from '../../kpi/query.ts';
import { ensureFresh, kpiReport, rebuild } from '../../kpi/service.ts';
import { lastCompleteDay, lastStoredDate } from '../../kpi/refresh.ts';
import { addDays } from '../../forecast/series.ts';

/** The longest range one request may ask for. */
export const MAX_RANGE_DAYS = 3 * 366;

function dateParam(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value)) throw new ValidationError(field, `${field} must be a calendar date YYYY-MM-DD (Asia/Tokyo), got '${String(value)}'`);
  return value;
}

/** `to` defaults to `defaultTo` (the last stored day), `from` to 89 days before `to`. */
export function parseRange(q: Request['query'] | Record<string, unknown>, defaultTo: string): { from: string; to: string } {
  const to = dateParam(q.to, 'to') ?? defaultTo;
  const from = dateParam(q.from, 'from') ?? addDays(to, -89);
  if (from > to) throw new ValidationError('from', `from (${from}) must be on or before to (${to})`);
  if (addDays(from, MAX_RANGE_DAYS) < to) throw new ValidationError('from', `the range may span at most ${MAX_RANGE_DAYS} days`);
  return { from, to };
}

export function kpiRoutes(ctx: ServiceContext): Router {
  const r = Router();

  r.get('/kpis', role('scorer'), async (req, res) => {
    // Validate before touching the warehouse; the default end is resolved after the refresh.
    parseRange(req.query, lastCompleteDay(ctx.now()));
    const refreshed = await ensureFresh(ctx.warehouse, ctx.now());
    const range = parseRange(req.query, (await lastStoredDate(ctx.warehouse)) ?? lastCompleteDay(ctx.now()));
    const report = await kpiReport(ctx.warehouse, ctx.now(), range);
    res.json({
      from: report.from,
      to: report.to,
      time_zone: 'Asia/Tokyo',
      kpis: KPIS.map((k) => ({ id: k.id, label_ja: k.label_ja, label_en: k.label_en, unit: k.unit, good: k.good, main: k.main, definition_ja: k.definition_ja, definition_en: k.definition_en })),
      rows: report.rows,
      forecasts: report.forecasts,
      refreshed,
    });
  });

  r.post('/kpis/refresh', role('admin'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.from === undefined && body.to === undefined) {
      res.json(await ensureFresh(ctx.warehouse, ctx.now()));
      return;
    }
    if (body.from === undefined) throw new ValidationError('from', 'from is required with to');
    if (body.to === undefined) throw new ValidationError('to', 'to is required with from');
    const { from, to } = parseRange(body, lastCompleteDay(ctx.now()));
    res.json(await rebuild(ctx.warehouse, from, to, ctx.now()));
  });

  return r;
}
