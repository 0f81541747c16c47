/**
 * The model registry over HTTP: GET /v1/models, GET /v1/models/history,
 * GET /v1/models/{version}, POST /v1/models/{version}/activate (admin, reason required) for
 * manual rollback and roll-forward.
 */
import { Router } from 'express';
import type { ServiceContext } from '../context.ts';
import { principalOf, role } from '../app.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { activateVersion, activationHistory, getVersion, listVersions } from '../../training/registry.ts';
import { withTrainingLock } from '../../training/run.ts';
import { trainingDeps } from '../../training/schedule.ts';

export function modelRoutes(ctx: ServiceContext): Router {
  const r = Router();

  r.get('/models', role('annotator'), async (_req, res) => {
    res.json({ live_version: ctx.live.current.model?.version ?? null, items: await listVersions(ctx.warehouse) });
  });

  r.get('/models/history', role('annotator'), async (_req, res) => {
    res.json({ items: await activationHistory(ctx.warehouse) });
  });

  r.get('/models/:version', role('annotator'), async (req, res) => {
    const v = await getVersion(ctx.warehouse, String(req.params.version));
    if (!v) throw new NotFoundError('version', String(req.params.version));
    res.json(v);
  });

  r.post('/models/:version/activate', role('admin'), async (req, res) => {
    const body = (req.body ?? {}) as { reason?: unknown };
    if (typeof body.reason !== 'string' || !body.reason.trim()) throw new ValidationError('reason', 'reason is required: say why this version should be live / 理由（reason）は必須です');
    const p = principalOf(req);
    const version = String(req.params.version);
    const reason = body.reason.trim();
    const { model, scores } = await withTrainingLock(ctx, `activation:${version}`, () => activateVersion(trainingDeps(ctx), version, { kind: 'manual', actor: p.identity, reason }));
    res.json({ version: model.version, live: true, scored_freelancers: scores.byId.size, activated_by: p.identity, reason });
  });

  return r;
}
