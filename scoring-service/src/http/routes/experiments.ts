/**
 * Experiments API: create and list experiments, deterministic assignment for Workship,
 * imports of assignments and outcomes, results (JSON and an HTML report), uplift training
 * and the targeting list, and the sample-size calculator. Reading and assignment need
 * 'scorer'; creating, importing and training need 'admin'.
 */
import { Router, type Request } from 'express';
import type { ServiceContext } from '../context.ts';
import { principalOf, role } from '../app.ts';
import { ValidationError } from '../../errors.ts';
import { assignUnit, createExperiment, experimentResults, importAssignments, importOutcomes, patchExperiment, type ImportInput } from '../../experiments/service.ts';
import { getExperiment, listExperiments } from '../../experiments/store.ts';
import { latestUpliftRun, readTargets, runUplift } from '../../experiments/uplift-run.ts';
import { renderExperimentReport } from '../../experiments/report.ts';
import { targetsCsv, type Segment } from '../../uplift/targeting.ts';
import { powerFromQuery } from '../../experiments/power-input.ts';

function flag(req: Request, name: string): boolean {
  const v = req.query[name];
  if (v === undefined) return false;
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new ValidationError(name, `${name} must be 1/true or 0/false`);
}

function importInput(body: unknown): ImportInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('body', 'send {"rows": [...]} or {"text": "<NDJSON or CSV>", "format": "ndjson"|"csv"}');
  return body as ImportInput;
}

const SEGMENTS = ['persuadable', 'sure_thing', 'lost_cause', 'sleeping_dog'];

export function experimentRoutes(ctx: ServiceContext): Router {
  const r = Router();
  const w = ctx.warehouse;

  r.get('/power/sample-size', role('scorer'), (req, res) => {
    res.json(powerFromQuery(req.query as Record<string, unknown>));
  });

  r.post('/experiments', role('admin'), async (req, res) => {
    res.status(201).json(await createExperiment(w, req.body, ctx.now(), principalOf(req).identity));
  });

  r.get('/experiments', role('scorer'), async (_req, res) => {
    res.json({ items: await listExperiments(w) });
  });

  r.get('/experiments/:id', role('scorer'), async (req, res) => {
    res.json(await getExperiment(w, String(req.params.id)));
  });

  r.patch('/experiments/:id', role('admin'), async (req, res) => {
    res.json(await patchExperiment(w, String(req.params.id), req.body, ctx.now()));
  });

  r.get('/experiments/:id/assignment', role('scorer'), async (req, res) => {
    res.json(await assignUnit(w, String(req.params.id), req.query.unit, ctx.now()));
  });

  r.post('/experiments/:id/assignments', role('admin'), async (req, res) => {
    res.json(await importAssignments(w, String(req.params.id), importInput(req.body)));
  });

  r.post('/experiments/:id/outcomes', role('admin'), async (req, res) => {
    res.json(await importOutcomes(w, String(req.params.id), importInput(req.body)));
  });

  r.get('/experiments/:id/results', role('scorer'), async (req, res) => {
    res.json(await experimentResults(w, String(req.params.id), { now: ctx.now(), cuped: flag(req, 'cuped') }));
  });

  r.get('/experiments/:id/report', role('scorer'), async (req, res) => {
    const id = String(req.params.id);
    const results = await experimentResults(w, id, { now: ctx.now(), cuped: flag(req, 'cuped') });
    const [uplift, targets] = await Promise.all([latestUpliftRun(w, id), readTargets(w, id, { limit: 20 })]);
    res.status(200).type('text/html; charset=utf-8').send(renderExperimentReport(results, uplift, targets));
  });

  r.post('/experiments/:id/uplift', role('admin'), async (req, res) => {
    const body = (req.body ?? {}) as { arm?: unknown };
    if (body.arm !== undefined && typeof body.arm !== 'string') throw new ValidationError('arm', 'arm must be the name of a variant arm');
    const e = await getExperiment(w, String(req.params.id));
    res.json(await runUplift(w, e, { now: ctx.now(), by: principalOf(req).identity, treatmentArm: body.arm as string | undefined }));
  });

  r.get('/experiments/:id/targeting', role('scorer'), async (req, res) => {
    const id = String(req.params.id);
    await getExperiment(w, id);
    const seg = req.query.segment;
    if (seg !== undefined && (typeof seg !== 'string' || !SEGMENTS.includes(seg))) throw new ValidationError('segment', `segment must be one of ${SEGMENTS.join(', ')}`);
    const limRaw = req.query.limit;
    const limit = limRaw === undefined ? undefined : Number(limRaw);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000)) throw new ValidationError('limit', 'limit must be an integer from 1 to 1000000');
    const sort = req.query.sort ?? 'uplift';
    if (sort !== 'uplift' && sort !== 'p_convert') throw new ValidationError('sort', 'sort must be uplift or p_convert');
    const rows = await readTargets(w, id, { limit, segment: seg as Segment | undefined, sort });
    const format = req.query.format ?? 'json';
    if (format === 'csv') {
      res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="targeting-${id}.csv"`);
      res.send(targetsCsv(rows));
      return;
    }
    if (format !== 'json') throw new ValidationError('format', 'format must be json or csv');
    const run = await latestUpliftRun(w, id);
    res.json({ experiment_id: id, run_id: run?.run_id ?? null, items: rows });
  });

  return r;
}
