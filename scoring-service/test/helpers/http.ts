/** In-process service for HTTP tests: :memory: DuckDB, fixed tokens, port 0 on loopback. */
import { loadConfig, type Config } from '../../src/config.ts';
import { buildContext, listen, type RunningService } from '../../src/server.ts';
import { createAuthenticator } from '../../src/http/auth.ts';
import { DuckdbWarehouse } from '../../src/warehouse/duckdb.ts';
import { memoryLogger } from '../../src/log.ts';
import type { LiveHolder } from '../../src/scores/live.ts';
import type { Warehouse } from '../../src/warehouse/port.ts';

export const TOKENS = {
  admin: 'test-admin-token-0001',
  annotator: 'test-annotator-token-0002',
  annotator2: 'test-annotator-token-0003',
  scorer: 'test-scorer-token-0004',
};

export const TOKEN_SPEC = `${TOKENS.admin}=admin:admin@example.com,${TOKENS.annotator}=annotator:alice@example.com,${TOKENS.annotator2}=annotator:bob@example.com,${TOKENS.scorer}=scorer:workship@example.com`;

export interface TestService extends RunningService {
  url: string;
  logLines: string[];
  /** fetch with a role's token; body objects are sent as JSON. */
  call(method: string, path: string, options?: { token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; text: string; headers: Headers }>;
}

export async function startTestService(
  options: { live?: LiveHolder; warehouse?: Warehouse; env?: Record<string, string>; now?: () => Date; config?: Partial<Config> } = {},
): Promise<TestService> {
  const config: Config = { ...loadConfig({ DATA_DIR: '/tmp/workship-test-unused', PORT: '0', ...options.env }), ...options.config };
  const { logger, lines } = memoryLogger();
  const ctx = await buildContext(config, {
    warehouse: options.warehouse ?? new DuckdbWarehouse({ file: ':memory:' }),
    auth: createAuthenticator({ tokenSpec: TOKEN_SPEC }),
    log: logger,
    live: options.live,
    now: options.now,
  });
  const running = await listen(ctx, { host: '127.0.0.1' });
  const url = `http://127.0.0.1:${running.port}`;
  return {
    ...running,
    url,
    logLines: lines,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      const token = o.token === undefined ? TOKENS.admin : o.token;
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (o.body !== undefined) {
        body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
  };
}
