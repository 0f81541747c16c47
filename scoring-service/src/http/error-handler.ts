/** The one place errors become HTTP responses: `{error: {code, message, details}}`. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import type { Logger } from '../log.ts';

export function errorBody(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
  return { status, body: { error: { code, message, details } } };
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let out;
    if (err instanceof AppError) {
      out = errorBody(err.status, err.code, err.message, err.details);
    } else if (err?.type === 'entity.too.large') {
      out = errorBody(413, 'payload_too_large', 'request body is larger than 1 MB', { field: 'body', limit_bytes: 1_048_576 });
    } else if (err?.type === 'entity.parse.failed') {
      out = errorBody(400, 'invalid_argument', 'request body is not valid JSON', { field: 'body' });
    } else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') {
      out = errorBody(415, 'unsupported_media_type', 'unsupported body encoding', { field: 'body' });
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      out = errorBody(err.status, 'invalid_argument', String(err.message ?? 'bad request'), { field: 'body' });
    } else {
      log.error('unhandled error', { error: String(err?.stack ?? err), path: req.path });
      out = errorBody(500, 'internal', 'internal error');
    }
    if (!res.headersSent) res.status(out.status).json(out.body);
    else res.end();
  };
}

/** 415 for a body-carrying request that is not JSON. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is('application/json')) {
    next(new AppError(415, 'unsupported_media_type', 'request body must be application/json', { field: 'content-type' }));
    return;
  }
  next();
};

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new AppError(404, 'not_found', `no route for ${req.method} ${req.path}`, { path: req.path }));
}
