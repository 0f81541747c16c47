/** The annotation API (issue 4): a thin shell over annotation/service.ts. */
import { Router } from 'express';
import type { ServiceContext } from '../context.ts';
import { principalOf, role } from '../app.ts';
import { hasRole } from '../auth.ts';
import { ForbiddenError, ValidationError } from '../../errors.ts';
import { annotationServiceFor } from '../../annotation/registry.ts';
import { parseCount, parseLimit, parseRubric, parseSettings, parseSkip, parseSubmit } from '../../annotation/requests.ts';
import type { RubricRow } from '../../annotation/store.ts';

function publicRubric(r: RubricRow, versions?: unknown[]) {
  return { version: r.version, text: r.text_ja, text_ja: r.text_ja, text_en: r.text_en, created_at: r.created_at, created_by: r.created_by, ...(versions ? { versions } : {}) };
}

export function annotationRoutes(ctx: ServiceContext): Router {
  const r = Router();
  const svc = () => annotationServiceFor(ctx);

  r.get('/annotation/next', role('annotator'), async (req, res) => {
    const count = parseCount(req.query.count, ctx.config.annotation.maxTasksPerRequest);
    res.json(await svc().next(principalOf(req).identity, count));
  });

  r.post('/annotations', role('annotator'), async (req, res) => {
    const body = parseSubmit(req.body);
    const out = await svc().submit(principalOf(req).identity, body);
    res.status(out.created ? 201 : 200).json(out.annotation);
  });

  r.post('/annotation/skip', role('annotator'), async (req, res) => {
    const body = parseSkip(req.body);
    res.status(201).json(await svc().skip(principalOf(req).identity, body));
  });

  r.get('/annotations', role('annotator'), async (req, res) => {
    const p = principalOf(req);
    const limit = parseLimit(req.query.limit, 1000, 50);
    const mine = req.query.mine;
    if (mine !== undefined && mine !== '1' && mine !== 'true' && mine !== '0' && mine !== 'false') throw new ValidationError('mine', 'mine must be 1 or 0');
    if (mine === '1' || mine === 'true') {
      res.json({ items: await svc().mine(p.identity, limit) });
      return;
    }
    // Everyone's annotations are an admin view; annotators see their own with ?mine=1.
    if (!hasRole(p, 'admin')) throw new ForbiddenError('admin', p.role);
    const annotator = typeof req.query.annotator === 'string' ? req.query.annotator : undefined;
    res.json({ items: await svc().all(limit, annotator) });
  });

  r.delete('/annotations/last', role('annotator'), async (req, res) => {
    res.json(await svc().undoLast(principalOf(req).identity));
  });

  r.get('/annotation/stats', role('annotator'), async (req, res) => {
    const p = principalOf(req);
    res.json(await svc().stats(p.identity, p.role));
  });

  r.get('/annotation/rubric', role('annotator'), async (req, res) => {
    const version = req.query.version;
    if (version !== undefined && (typeof version !== 'string' || !version)) throw new ValidationError('version', 'version must be a rubric version such as v1');
    const s = svc();
    const rubric = await s.rubric(version as string | undefined);
    res.json(publicRubric(rubric, await s.store.rubricVersions()));
  });

  r.put('/annotation/rubric', role('admin'), async (req, res) => {
    const body = parseRubric(req.body);
    const out = await svc().putRubric(principalOf(req).identity, body);
    res.status(out.created ? 201 : 200).json(publicRubric(out.rubric));
  });

  r.get('/annotation/settings', role('annotator'), async (_req, res) => {
    const s = svc();
    res.json(s.publicSettings(await s.settings()));
  });

  r.put('/annotation/settings', role('admin'), async (req, res) => {
    const body = parseSettings(req.body);
    const s = svc();
    res.json(s.publicSettings(await s.putSettings(principalOf(req).identity, body)));
  });

  return r;
}
