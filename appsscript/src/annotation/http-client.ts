/**
 * The one HTTP client for the scoring service, shared by Apps Script and the local dev shim.
 *
 * Apps Script can only block (UrlFetchApp.fetch, Utilities.sleep) while the browser can only
 * wait (fetch, setTimeout), so calls are written once as generators that yield effects
 * ("fetch this", "sleep that long"); `runSync` performs them with Apps Script's services and
 * `runAsync` with the browser's. The retry policy, the error mapping and every server
 * function therefore run the same code in both places.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

export interface HttpResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

export type Effect = { kind: 'fetch'; request: HttpRequest } | { kind: 'sleep'; ms: number };
/** A computation that yields effects and returns T; the value sent back is the effect's result. */
export type Op<T> = Generator<Effect, T, unknown>;

export interface ServiceEnv {
  /** Base URL of the scoring service, no trailing slash. */
  baseUrl: string;
  /** Bearer token: ScriptApp.getIdentityToken() in Apps Script, a local token in the dev shim. */
  token: () => string;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8000 };

/** What every server function returns to the sidebar: data, or an error the sidebar can show and act on. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ClientError };

export interface ClientError {
  /** The service's code (`validation_error`, `not_found`, …) or `network` / `not_configured`. */
  code: string;
  status: number;
  /** Japanese, shown inline in the sidebar. */
  message: string;
  /** English, for logs and the English UI. */
  message_en: string;
  /** Field named by a 400 response. */
  field?: string;
  /** The service's own message (English), when it sent one. */
  server_message?: string;
  /** True when sending the same request again may succeed (network, 429, 5xx). */
  retryable: boolean;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 0): Retry-After when the service sent
 * one (RFC 9110 §10.2.3, seconds or an HTTP date), else exponential back-off; capped either way.
 */
export function retryDelayMs(attempt: number, retryAfter: string | undefined, policy: RetryPolicy, now: number = Date.now()): number {
  if (retryAfter) {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, policy.maxDelayMs);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.min(Math.max(at - now, 0), policy.maxDelayMs);
  }
  return Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
}

const MESSAGES: Record<string, [string, string]> = {
  unauthenticated: ['認証に失敗しました。シートを開き直してからもう一度お試しください。', 'Authentication failed. Reopen the sheet and try again.'],
  permission_denied: ['この操作を行う権限がありません。管理者に権限の付与を依頼してください。', 'You are not allowed to do this. Ask an admin for access.'],
  not_found: ['対象が見つかりませんでした。', 'Not found.'],
  conflict: ['ほかの操作と競合しました。最新の状態を読み込み直してください。', 'Conflicting change. Reload and try again.'],
  lease_closed: ['このプロフィールはすでに評価またはスキップ済みです。', 'This profile was already scored or skipped.'],
  lease_foreign: ['このプロフィールはほかの担当者に割り当てられています。', 'This profile is leased to another annotator.'],
  lease_mismatch: ['担当情報とプロフィールが一致しません。読み込み直してください。', 'The lease does not match the profile. Reload.'],
  idempotency_key_reused: ['同じ送信 ID が別の内容で使われました。もう一度評価してください。', 'The request id was reused for different content.'],
  annotation_undone: ['この評価は取り消し済みです。', 'This annotation was undone.'],
  undo_window_passed: ['取り消せるのは 10 分以内の評価だけです。', 'Only recent annotations can be undone.'],
  lease_expired: ['このプロフィールの担当期限が切れました。次のプロフィールを読み込みます。', 'The lease on this profile expired.'],
  rate_limited: ['リクエストが集中しています。しばらく待ってから再試行してください。', 'Too many requests. Retry shortly.'],
  unavailable: ['スコアリングサービスに接続できません。しばらくしてから再試行してください。', 'The scoring service is unavailable. Retry shortly.'],
  network: ['ネットワークに接続できませんでした。接続を確認して再試行してください。', 'Network error. Check the connection and retry.'],
  not_configured: ['サービス URL が未設定です。メニュー「Workship ML → 設定」で設定してください。', 'The service URL is not set. Use Workship ML → Settings.'],
  internal: ['サービスでエラーが発生しました。再試行してください。', 'The service failed. Please retry.'],
};

function statusCode(status: number): string {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 410) return 'lease_expired';
  if (status === 412) return 'failed_precondition';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  if (status >= 500) return 'internal';
  return 'invalid_argument';
}

/** Turns a non-2xx response (body `{error:{code,message,details}}` or anything else) into a ClientError. */
export function errorFromResponse(res: HttpResponse): ClientError {
  let code = statusCode(res.status);
  let serverMessage = '';
  let field: string | undefined;
  try {
    const body = JSON.parse(res.body) as { error?: { code?: string; message?: string; details?: { field?: string; reason?: string } } };
    if (body.error) {
      // details.reason is the more specific code (lease_expired, undo_window_passed, …).
      const reason = body.error.details?.reason;
      if (typeof reason === 'string' && reason) code = reason;
      else if (typeof body.error.code === 'string' && body.error.code) code = body.error.code;
      serverMessage = typeof body.error.message === 'string' ? body.error.message : '';
      const f = body.error.details?.field;
      if (typeof f === 'string') field = f;
    }
  } catch {
    // Not JSON (a proxy's HTML page): keep the status-derived code.
  }
  const known = MESSAGES[code] ?? MESSAGES[statusCode(res.status)];
  let message: string;
  let message_en: string;
  if (known) [message, message_en] = known;
  else if (field) [message, message_en] = [`入力内容に誤りがあります（${field}）。${serverMessage}`.trim(), `Invalid ${field}. ${serverMessage}`.trim()];
  else [message, message_en] = [`リクエストが受け付けられませんでした（${res.status}）。${serverMessage}`.trim(), serverMessage || `Request rejected (${res.status})`];
  return { code, status: res.status, message, message_en, field, server_message: serverMessage || undefined, retryable: isRetryableStatus(res.status) };
}

export function networkError(e: unknown): ClientError {
  const [message, message_en] = MESSAGES.network;
  return { code: 'network', status: 0, message, message_en: `${message_en} (${e instanceof Error ? e.message : String(e)})`, retryable: true };
}

export function notConfiguredError(): ClientError {
  const [message, message_en] = MESSAGES.not_configured;
  return { code: 'not_configured', status: 0, message, message_en, retryable: false };
}

/** One request with retries on network errors, 408, 429 and 5xx; resolves to a Result, never throws. */
export function* callService<T>(env: ServiceEnv, method: HttpMethod, path: string, body?: unknown, policy: RetryPolicy = DEFAULT_RETRY): Op<Result<T>> {
  if (!env.baseUrl) return { ok: false, error: notConfiguredError() };
  const headers: Record<string, string> = { Authorization: `Bearer ${env.token()}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const request: HttpRequest = { method, url: env.baseUrl.replace(/\/+$/, '') + path, headers, payload: body === undefined ? undefined : JSON.stringify(body) };
  let last: ClientError = networkError('no attempt');
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    let res: HttpResponse | undefined;
    try {
      res = (yield { kind: 'fetch', request }) as HttpResponse;
    } catch (e) {
      last = networkError(e);
    }
    if (res) {
      if (res.status >= 200 && res.status < 300) {
        const data = (res.body ? JSON.parse(res.body) : null) as T;
        return { ok: true, data };
      }
      last = errorFromResponse(res);
      if (!last.retryable) return { ok: false, error: last };
    }
    if (attempt + 1 < policy.attempts) yield { kind: 'sleep', ms: retryDelayMs(attempt, res?.headers['retry-after'], policy) };
  }
  return { ok: false, error: last };
}

export interface SyncIo {
  fetch(request: HttpRequest): HttpResponse;
  sleep(ms: number): void;
}

export interface AsyncIo {
  fetch(request: HttpRequest): Promise<HttpResponse>;
  sleep(ms: number): Promise<void>;
}

/** Drives an Op with blocking effects (Apps Script). An effect that throws is thrown into the Op. */
export function runSync<T>(op: Op<T>, io: SyncIo): T {
  let step = op.next();
  while (!step.done) {
    const effect = step.value;
    let value: unknown;
    try {
      if (effect.kind === 'fetch') value = io.fetch(effect.request);
      else io.sleep(effect.ms);
    } catch (e) {
      step = op.throw(e);
      continue;
    }
    step = op.next(value);
  }
  return step.value;
}

/** Drives an Op with asynchronous effects (the browser). */
export async function runAsync<T>(op: Op<T>, io: AsyncIo): Promise<T> {
  let step = op.next();
  while (!step.done) {
    const effect = step.value;
    let value: unknown;
    try {
      if (effect.kind === 'fetch') value = await io.fetch(effect.request);
      else await io.sleep(effect.ms);
    } catch (e) {
      step = op.throw(e);
      continue;
    }
    step = op.next(value);
  }
  return step.value;
}
