/** google.script.run as promises of Result: transport failures become retryable errors. */
import { networkError, type Result } from '../../appsscript/src/annotation/http-client.ts';
import type { ServerOperationName } from '../../appsscript/src/annotation/server-functions.ts';

interface ScriptRun {
  withSuccessHandler(f: (v: unknown) => void): ScriptRun;
  withFailureHandler(f: (e: unknown) => void): ScriptRun;
  [name: string]: unknown;
}

declare const google: { script: { run: ScriptRun } };

export function callServer<T>(name: ServerOperationName, ...args: unknown[]): Promise<Result<T>> {
  return new Promise((resolve) => {
    try {
      const runner = google.script.run
        .withSuccessHandler((v) => resolve((v ?? { ok: false, error: networkError('empty response') }) as Result<T>))
        .withFailureHandler((e) => resolve({ ok: false, error: networkError(e) }));
      (runner[name] as (...a: unknown[]) => void)(...args);
    } catch (e) {
      resolve({ ok: false, error: networkError(e) });
    }
  });
}
