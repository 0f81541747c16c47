/**
 * The read fast path: the two endpoints Workship and Cloud Run hit hardest —
 * `GET /healthz` and the successful case of `GET /v1/freelancers/{id}/score` with a local
 * token — answered straight from the LiveHolder without express's router chain. Anything
 * else (other routes, Google ID tokens, missing scores, unknown ids, wrong roles) falls
 * through to express, which owns every error response, so behaviour is identical and only
 * the cost differs (see bench/online.ts).
 */
import type http from 'node:http';
import type { ServiceContext } from './context.ts';
import { hasRole } from './auth.ts';
import { logRequest } from './app.ts';
import { healthBody } from './routes/health.ts';
import { cachedScoreBytes, uncachedScoreBytes } from './score-cache.ts';

const SCORE_PREFIX = '/v1/freelancers/';
const SCORE_SUFFIX = '/score';

function send(ctx: ServiceContext, req: http.IncomingMessage, res: http.ServerResponse, start: bigint, path: string, body: string | Buffer, log: boolean): true {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.length });
  res.end(body);
  if (log) {
    logRequest(ctx, {
      method: 'GET',
      url: path,
      status: 200,
      seconds: Number(process.hrtime.bigint() - start) / 1e9,
      userAgent: req.headers['user-agent'],
      remoteIp: req.socket.remoteAddress,
      traceHeader: req.headers['x-cloud-trace-context'] as string | undefined,
    });
  }
  return true;
}

/** Returns true when the request was answered here. */
export function fastPath(ctx: ServiceContext, req: http.IncomingMessage, res: http.ServerResponse, log = true): boolean {
  if (req.method !== 'GET' || !req.url) return false;
  const start = process.hrtime.bigint();
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  if (path === '/healthz') return send(ctx, req, res, start, path, JSON.stringify(healthBody(ctx)), log);
  // /v1/freelancers/{id}/score with a non-empty id free of '/'.
  if (!path.startsWith(SCORE_PREFIX) || !path.endsWith(SCORE_SUFFIX) || path.length <= SCORE_PREFIX.length + SCORE_SUFFIX.length) return false;
  let id = path.slice(SCORE_PREFIX.length, path.length - SCORE_SUFFIX.length);
  if (id.includes('/')) return false;
  const principal = ctx.auth.authenticateLocal?.(req.headers.authorization);
  if (!principal || !hasRole(principal, 'scorer')) return false;
  const live = ctx.live.current;
  if (!live.model || !live.scores) return false;
  if (id.includes('%')) {
    try {
      id = decodeURIComponent(id);
    } catch {
      return false;
    }
  }
  // Prewarmed (the normal case): one lookup straight to the bytes.
  const kept = cachedScoreBytes(live.scores, id);
  if (kept) return send(ctx, req, res, start, path, kept, log);
  const score = live.scores.byId.get(id);
  if (!score) return false;
  return send(ctx, req, res, start, path, uncachedScoreBytes(live.scores, score, ctx.config.scoreCacheMb * 2 ** 20), log);
}
