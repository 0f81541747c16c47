/**
 * Training runs: POST /v1/train (admin; Cloud Scheduler calls it daily), GET /v1/runs,
 * GET /v1/runs/{id}, GET /v1/runs/{id}/report (the run's self-contained HTML report).
 */
import { Router } from 'express';
import type { ServiceContext } from '../context.ts';
import { principalOf, role } from '../app.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { startTraining } from '../../training/run.ts';
import { getRun, listRuns } from '../../training/runs.ts';
import { trainingDeps } from '../../training/schedule.ts';

function parseLimit(raw: unknown): number {
  if (raw === undefined) return 50;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < 1 || n > 500) throw new ValidationError('limit', 'limit must be an integer from 1 to 500');
  return n;
}

export function trainingRoutes(ctx: ServiceContext): Router {
  const r = Router();

  r.post('/train', role('admin'), async (req, res) => {
    const body = (req.body ?? {}) as { reason?: unknown };
    if (body.reason !== undefined && typeof body.reason !== 'string') throw new ValidationError('reason', 'reason must be a string');
    const wait = req.query.wait === 'true' || req.query.wait === '1';
    const p = principalOf(req);
    const { runId, done } = await startTraining(trainingDeps(ctx), { by: `${p.via}:${p.identity}`, reason: body.reason as string | undefined });
    if (wait) {
      const result = await done;
      res.status(200).json(result);
      return;
    }
    done.catch((e) => ctx.log.error('training run crashed', { run_id: runId, error: String(e) }));
    res.status(202).location(`/v1/runs/${runId}`).json({ run_id: runId, status: 'running', links: { run: `/v1/runs/${runId}`, report: `/v1/runs/${runId}/report` } });
  });

  r.get('/runs', role('annotator'), async (req, res) => {
    res.json({ items: await listRuns(ctx.warehouse, parseLimit(req.query.limit)) });
  });

  r.get('/runs/:id', role('annotator'), async (req, res) => {
    const run = await getRun(ctx.warehouse, String(req.params.id));
    if (!run) throw new NotFoundError('run', String(req.params.id));
    res.json({ ...run, links: { report: `/v1/runs/${run.run_id}/report` } });
  });

  r.get('/runs/:id/report', role('annotator'), async (req, res) => {
    const run = await getRun(ctx.warehouse, String(req.params.id), true);
    if (!run) throw new NotFoundError('run', String(req.params.id));
    if (!run.report_html) throw new NotFoundError('report', run.run_id);
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    res.type('text/html; charset=utf-8').send(run.report_html);
  });

  return r;
}
