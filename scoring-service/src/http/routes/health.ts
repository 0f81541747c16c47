import { Router } from 'express';
import type { ServiceContext } from '../context.ts';
import { openApiDocument } from '../openapi/index.ts';

export function healthBody(ctx: ServiceContext) {
  const live = ctx.live.current;
  return {
    status: 'ok',
    model_version: live.model?.version ?? null,
    scored_freelancers: live.scores?.byId.size ?? 0,
    warehouse: ctx.warehouse.kind,
  };
}

export function healthRoutes(ctx: ServiceContext): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json(healthBody(ctx));
  });
  r.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument(ctx.config.codeVersion));
  });
  return r;
}
