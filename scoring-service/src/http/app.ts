/** The express application: middleware order, auth, route modules, error translation. */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { errorHandler, notFoundHandler, requireJson } from './error-handler.ts';
import type { ServiceContext } from './context.ts';
import { assertRole, type Principal, type Role } from './auth.ts';
import { UnauthenticatedError } from '../errors.ts';
import { routeModules, publicRouteModules, ownBodyRouteModules } from './routes/index.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The authenticated caller (set by the /v1 auth middleware). */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new UnauthenticatedError();
  return req.principal;
}

/** Route guard: `router.get('/x', role('admin'), handler)`. */
export function role(required: Role) {
  return (req: Request, _res: Response, next: NextFunction) => {
    assertRole(principalOf(req), required);
    next();
  };
}

export interface RequestLogEntry {
  method: string;
  url: string;
  status: number;
  seconds: number;
  userAgent?: string;
  remoteIp?: string;
  traceHeader?: string;
}

/** One Cloud Logging line per request (httpRequest + trace correlation). */
export function logRequest(ctx: ServiceContext, e: RequestLogEntry): void {
  const trace = (e.traceHeader ?? '').split('/')[0];
  ctx.log.log(e.status >= 500 ? 'ERROR' : 'INFO', `${e.method} ${e.url} ${e.status}`, {
    httpRequest: {
      requestMethod: e.method,
      requestUrl: e.url,
      status: e.status,
      latency: `${e.seconds.toFixed(6)}s`,
      userAgent: e.userAgent,
      remoteIp: e.remoteIp,
    },
    ...(trace && ctx.config.gcpProject ? { 'logging.googleapis.com/trace': `projects/${ctx.config.gcpProject}/traces/${trace}` } : {}),
  });
}

function requestLog(ctx: ServiceContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      logRequest(ctx, {
        method: req.method,
        url: req.originalUrl.split('?')[0],
        status: res.statusCode,
        seconds: Number(process.hrtime.bigint() - start) / 1e9,
        userAgent: req.headers['user-agent'],
        remoteIp: req.ip,
        traceHeader: req.headers['x-cloud-trace-context'] as string | undefined,
      });
    });
    next();
  };
}

export interface AppOptions {
  /** Per-request logging (off in the load benchmark's noise-free comparison only). */
  requestLogging?: boolean;
}

export function createApp(ctx: ServiceContext, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  if (options.requestLogging !== false) app.use(requestLog(ctx));
  // Routes with their own body parser and limit (bulk import) come before the 1 MB JSON parser.
  for (const mod of ownBodyRouteModules) app.use(mod(ctx));
  app.use(requireJson);
  app.use(express.json({ limit: '1mb', strict: true }));

  for (const mod of publicRouteModules) app.use(mod(ctx));

  const v1: Router = express.Router();
  v1.use(async (req, _res, next) => {
    try {
      req.principal = await ctx.auth.authenticate(req.headers.authorization);
      next();
    } catch (e) {
      next(e);
    }
  });
  for (const mod of routeModules) v1.use(mod(ctx));
  app.use('/v1', v1);

  app.use(notFoundHandler());
  app.use(errorHandler(ctx.log));
  return app;
}
