/**
 * `google.script.run` for the local preview (GET /dev/sidebar): runs the same server-function
 * operations as Apps Script, with fetch and setTimeout instead of UrlFetchApp and
 * Utilities.sleep, against the service that served the page.
 */
import { runAsync, type AsyncIo, type HttpResponse, type ServiceEnv } from '../../appsscript/src/annotation/http-client.ts';
import { serverOperations, type ServerOperationName } from '../../appsscript/src/annotation/server-functions.ts';

interface DevConfig {
  baseUrl: string;
  token: string;
}

const cfg = (globalThis as unknown as { __WORKSHIP_DEV__?: DevConfig }).__WORKSHIP_DEV__ ?? { baseUrl: location.origin, token: '' };
const env: ServiceEnv = { baseUrl: cfg.baseUrl || location.origin, token: () => cfg.token };

const io: AsyncIo = {
  async fetch(req): Promise<HttpResponse> {
    const res = await fetch(req.url, { method: req.method.toUpperCase(), headers: req.headers, body: req.payload });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    return { status: res.status, headers, body: await res.text() };
  },
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

type Handler = (v: unknown) => void;

function makeRunner(success?: Handler, failure?: Handler): Record<string, unknown> {
  const runner: Record<string, unknown> = {
    withSuccessHandler: (f: Handler) => makeRunner(f, failure),
    withFailureHandler: (f: Handler) => makeRunner(success, f),
    withUserObject: () => runner,
  };
  for (const name of Object.keys(serverOperations) as ServerOperationName[]) {
    runner[name] = (...args: unknown[]) => {
      // Like Apps Script, arguments and results travel as JSON.
      const plain = JSON.parse(JSON.stringify(args)) as unknown[];
      const op = (serverOperations[name] as (e: ServiceEnv, ...a: unknown[]) => Generator<never, unknown, unknown>)(env, ...plain);
      runAsync(op, io).then(
        (v) => success?.(JSON.parse(JSON.stringify(v ?? null))),
        (e) => failure?.(e instanceof Error ? e : new Error(String(e))),
      );
    };
  }
  return runner;
}

(globalThis as unknown as { google: unknown }).google = { script: { run: makeRunner() } };
