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
import { trainingRoutes } from './training.ts';
import { modelRoutes } from './models.ts';
import { adminImportRoutes } from './admin-import.ts';
import { kpiRoutes } from './kpi.ts';
import { devKpiRoutes } from './dev-kpi.ts';
import { experimentRoutes } from './experiments.ts';

export type RouteModule = (ctx: ServiceContext) => Router;

/** Mounted at the root without authentication (health, OpenAPI, local dev pages). */
export const publicRouteModules: RouteModule[] = [healthRoutes, devSidebarRoutes, devKpiRoutes];

/**
 * Mounted at the root before the app-wide JSON parser: routes that read their own
 * (large or non-JSON) bodies and authenticate themselves before reading them.
 */
export const ownBodyRouteModules: RouteModule[] = [adminImportRoutes];

/** Mounted under /v1 behind authentication. */
export const routeModules: RouteModule[] = [scoreRoutes, annotationRoutes, trainingRoutes, modelRoutes, experimentRoutes, kpiRoutes];
