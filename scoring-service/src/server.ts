/**
 * Service lifecycle: open the warehouse, load the live model, listen, and shut down
 * cleanly on SIGTERM (finish in-flight requests, then close the warehouse).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { Logger, registerSecret } from './log.ts';
import { openWarehouse } from './warehouse/index.ts';
import type { Warehouse } from './warehouse/port.ts';
import { allTables } from './domain/all-tables.ts';
import { LiveHolder } from './scores/live.ts';
import { createAuthenticator, loadOrCreateTokens, tokenSpecFromGenerated, type Authenticator } from './http/auth.ts';
import { createApp, type AppOptions } from './http/app.ts';
import type { ServiceContext } from './http/context.ts';
import { fastPath } from './http/fast-path.ts';
import { prewarmLiveScores } from './http/score-cache.ts';
import { removeServiceFile, writeServiceFile } from './cli/service-link.ts';

export interface TokenNotice {
  file: string;
  tokens: { admin: string; annotator: string; scorer: string };
}

/** Resolves the token list: API_TOKENS, or tokens generated into DATA_DIR on first start. */
export function resolveAuth(config: Config, onNewTokens?: (n: TokenNotice) => void): Authenticator {
  let tokenSpec = config.auth.apiTokens;
  if (!tokenSpec) {
    const { tokens, created, file } = loadOrCreateTokens(config.dataDir);
    for (const t of Object.values(tokens)) registerSecret(t);
    if (created) onNewTokens?.({ file, tokens });
    tokenSpec = tokenSpecFromGenerated(tokens);
  }
  return createAuthenticator({
    tokenSpec,
    googleAudience: config.auth.googleAudience,
    googleAllowlist: config.auth.googleAllowlist,
  });
}

export interface RunningService {
  ctx: ServiceContext;
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

export interface StartOptions extends AppOptions {
  warehouse?: Warehouse;
  auth?: Authenticator;
  log?: Logger;
  live?: LiveHolder;
  host?: string;
  /** Write DATA_DIR/service.json so the CLI can find this process (on for real serving). */
  advertise?: boolean;
  now?: () => Date;
}

export async function buildContext(config: Config, options: StartOptions = {}): Promise<ServiceContext> {
  const log = options.log ?? new Logger(undefined, { service: 'workship-ml', version: config.codeVersion }, config.logLevel);
  const warehouse = options.warehouse ?? (await openWarehouse(config));
  await warehouse.migrate(allTables);
  return {
    config,
    log,
    warehouse,
    live: options.live ?? new LiveHolder(),
    auth: options.auth ?? resolveAuth(config),
    now: options.now ?? (() => new Date()),
  };
}

export async function listen(ctx: ServiceContext, options: StartOptions = {}): Promise<RunningService> {
  const app = createApp(ctx, options);
  const logRequests = options.requestLogging !== false;
  const server = http.createServer((req, res) => {
    if (!fastPath(ctx, req, res, logRequests)) app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ctx.config.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const stopPrewarm = prewarmLiveScores(ctx.live, ctx.config.scoreCacheMb * 2 ** 20);
  if (options.advertise) writeServiceFile(ctx.config, port);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      stopPrewarm();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      if (options.advertise) removeServiceFile(ctx.config);
      await ctx.warehouse.close();
    })());
  return { ctx, server, port, close };
}
