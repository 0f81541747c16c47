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

/**
 * Starts the queue's first rebuild in the background (featurizing every profile takes
 * seconds), so the first annotator of the day gets the active order at once. For main.ts,
 * after the live model is loaded; errors are kept on the queue (`lastError`), never thrown.
 */
export function warmAnnotationQueue(ctx: ServiceContext): void {
  const s = annotationServiceFor(ctx);
  void s.queue.view(ctx.now(), ctx.live.current.model?.version ?? null).catch(() => undefined);
}
