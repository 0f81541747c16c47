/** One AnnotationService per service context (its caches live as long as the process). */
import type { ServiceContext } from '../http/context.ts';
import { productionDeps } from './deps.ts';
import { AnnotationService, type AnnotationDeps } from './service.ts';

const services = new WeakMap<ServiceContext, AnnotationService>();

/** Tests and benchmarks attach a service with their own collaborators before the first request. */
export function attachAnnotationService(ctx: ServiceContext, deps: AnnotationDeps): AnnotationService {
  const s = new AnnotationService(ctx.warehouse, ctx.config, ctx.live, deps, ctx.now);
  services.set(ctx, s);
  return s;
}

export function annotationServiceFor(ctx: ServiceContext): AnnotationService {
  return services.get(ctx) ?? attachAnnotationService(ctx, productionDeps());
}
