/**
 * Route modules. Each is `(ctx) => Router`; /v1 modules run behind authentication and
 * declare their own role guards. Add a module here to mount it.
 */
import type { Router } from 'express';
import type { ServiceContext } from '../context.ts';
import { healthRoutes } from './health.ts';
import { scoreRoutes } from './scores.ts';
import { annotationRoutes } from './annotation.ts';
import { devSidebarRoutes } from './dev-sidebar.ts';

export type RouteModule = (ctx: ServiceContext) => Router;

/** Mounted at the root without authentication (health, OpenAPI, local dev pages). */
export const publicRouteModules: RouteModule[] = [healthRoutes, devSidebarRoutes];

/** Mounted under /v1 behind authentication. */
export const routeModules: RouteModule[] = [scoreRoutes, annotationRoutes];
