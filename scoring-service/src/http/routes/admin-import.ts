/**
 * POST /v1/admin/import/:table (admin): bulk import of NDJSON or a JSON array, for the CLI
 * while this service holds the DuckDB file. Its body limit (200 MB) is its own, so it is
 * mounted before the app-wide 1 MB JSON parser (see ownBodyRouteModules) and therefore
 * authenticates here, before reading any of the body. Same validation as `cli import`:
 * any bad row → 400 with every issue's line and field, nothing written.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { ServiceContext } from '../context.ts';
import { role } from '../app.ts';
import { AppError, ImportValidationError, NotFoundError } from '../../errors.ts';
import { IMPORT_BODY_LIMIT_BYTES, importableTable, writeImport } from '../../importer/import.ts';
import { parseImportBody } from '../../importer/parse.ts';

const readBody = express.text({ type: ['application/x-ndjson', 'application/json', 'text/plain'], limit: IMPORT_BODY_LIMIT_BYTES });

export function adminImportRoutes(ctx: ServiceContext): Router {
  const r = Router();
  const path = '/v1/admin/import/:table';

  r.post(
    path,
    async (req: Request, _res: Response, next: NextFunction) => {
      req.principal = await ctx.auth.authenticate(req.headers.authorization);
      next();
    },
    role('admin'),
    (req: Request, res: Response, next: NextFunction) => {
      if (!importableTable(String(req.params.table))) throw new NotFoundError('table', String(req.params.table));
      if (!req.is(['application/x-ndjson', 'application/json', 'text/plain'])) {
        throw new AppError(415, 'unsupported_media_type', 'body must be application/x-ndjson or application/json (an array of rows)', { field: 'content-type' });
      }
      const tooLarge = () => new AppError(413, 'payload_too_large', 'import body is larger than 200 MB: split the file', { field: 'body', limit_bytes: IMPORT_BODY_LIMIT_BYTES });
      // Refuse a declared oversize body at once instead of reading (and discarding) all of it first.
      if (Number(req.headers['content-length'] ?? 0) > IMPORT_BODY_LIMIT_BYTES) {
        res.setHeader('connection', 'close');
        throw tooLarge();
      }
      readBody(req, res, (err?: unknown) => {
        const e = err as { type?: string } | undefined;
        next(e?.type === 'entity.too.large' ? tooLarge() : err);
      });
    },
    async (req: Request, res: Response) => {
      const table = importableTable(String(req.params.table))!;
      const body = typeof req.body === 'string' ? req.body : '';
      const kind = req.is('application/json') ? 'json-array' : 'ndjson';
      const parsed = await parseImportBody(table, body, kind);
      if (parsed.issues.length) throw new ImportValidationError(parsed.issues);
      const imported = await writeImport(ctx.warehouse, table, parsed.rows);
      ctx.log.info('admin import', { table: table.name, imported, by: req.principal?.identity });
      res.status(200).json({ table: table.name, imported, records: parsed.records });
    },
  );
  return r;
}
