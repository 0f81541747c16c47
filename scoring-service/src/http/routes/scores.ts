/**
 * The read path Workship calls. Never touches the warehouse: everything comes from the
 * in-memory LiveHolder, which training swaps atomically.
 */
import { Router, type Request } from 'express';
import type { ServiceContext } from '../context.ts';
import { role } from '../app.ts';
import { NotFoundError, UnavailableError, ValidationError } from '../../errors.ts';
import type { ProfileSnapshot } from '../../domain/types.ts';
import { parseScoreRequest } from '../../scores/score-request.ts';
import { publicScore, publicScoreBytes } from '../score-cache.ts';

const MAX_LIMIT = 10_000;

function scoreTableOrFail(ctx: ServiceContext) {
  const live = ctx.live.current;
  if (!live.scores || !live.model) throw new UnavailableError('no model is live yet: train one first (POST /v1/train or `cli train`)');
  return live.scores;
}

export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!cursor || encodeCursor(id) !== cursor) throw new ValidationError('cursor', 'cursor is not one this API returned');
  return id;
}

function parseLimit(req: Request): number {
  const raw = req.query.limit;
  if (raw === undefined) return 1000;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw new ValidationError('limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  return n;
}

/** Index of the first id strictly greater than `after` (binary search over sorted ids). */
function firstAfter(ids: readonly string[], after: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const NEWLINE = Buffer.from('\n');

export function scoreRoutes(ctx: ServiceContext): Router {
  const r = Router();
  const budget = ctx.config.scoreCacheMb * 2 ** 20;

  r.get('/freelancers/:id/score', role('scorer'), (req, res) => {
    const table = scoreTableOrFail(ctx);
    const id = String(req.params.id);
    const s = table.byId.get(id);
    if (!s) throw new NotFoundError('freelancer', id);
    res.json(publicScore(s));
  });

  r.get('/scores', role('scorer'), (req, res) => {
    const table = scoreTableOrFail(ctx);
    const ndjson = (req.headers.accept ?? '').includes('application/x-ndjson');
    const cursor = typeof req.query.cursor === 'string' ? decodeCursor(req.query.cursor) : undefined;
    if (req.query.cursor !== undefined && typeof req.query.cursor !== 'string') throw new ValidationError('cursor', 'cursor must be a string');
    const start = cursor === undefined ? 0 : firstAfter(table.orderedIds, cursor);
    if (ndjson && req.query.limit === undefined) {
      // Streamed: every score from the cursor on, written in chunks with back-pressure.
      res.status(200).type('application/x-ndjson');
      res.setHeader('X-Model-Version', table.modelVersion);
      let i = start;
      const writeMore = () => {
        while (i < table.orderedIds.length) {
          const chunk: Buffer[] = [];
          const end = Math.min(i + 500, table.orderedIds.length);
          for (; i < end; i++) chunk.push(publicScoreBytes(table, table.byId.get(table.orderedIds[i])!, budget), NEWLINE);
          if (!res.write(Buffer.concat(chunk))) {
            res.once('drain', writeMore);
            return;
          }
        }
        res.end();
      };
      writeMore();
      return;
    }
    const limit = parseLimit(req);
    const ids = table.orderedIds.slice(start, start + limit);
    const items = ids.map((id) => publicScore(table.byId.get(id)!));
    const nextCursor = start + limit < table.orderedIds.length && ids.length ? encodeCursor(ids[ids.length - 1]) : null;
    if (ndjson) {
      res.status(200).type('application/x-ndjson');
      if (nextCursor) res.setHeader('X-Next-Cursor', nextCursor);
      res.send(items.map((x) => JSON.stringify(x)).join('\n') + (items.length ? '\n' : ''));
      return;
    }
    res.json({ model_version: table.modelVersion, total: table.orderedIds.length, items, next_cursor: nextCursor });
  });

  r.post('/score', role('scorer'), (req, res) => {
    const live = ctx.live.current;
    if (!live.model) throw new UnavailableError('no model is live yet');
    const snapshot: ProfileSnapshot = parseScoreRequest(req.body, ctx.now());
    const scored = live.model.score(snapshot);
    res.json({
      freelancer_id: snapshot.profile.id || null,
      ...scored,
      model_version: live.model.version,
      scored_at: ctx.now().toISOString(),
    });
  });

  return r;
}
