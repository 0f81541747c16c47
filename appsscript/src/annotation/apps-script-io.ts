/** The Apps Script side of the HTTP client: UrlFetchApp and Utilities.sleep, plus the service env. */
import { runSync, type HttpRequest, type HttpResponse, type Op, type ServiceEnv, type SyncIo } from './http-client.ts';
import { getServiceUrl } from './settings.ts';

export const appsScriptIo: SyncIo = {
  fetch(request: HttpRequest): HttpResponse {
    const params: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions = {
      method: request.method,
      headers: request.headers,
      // Without this a 4xx/5xx throws and the body (with the service's error) is lost.
      muteHttpExceptions: true,
      followRedirects: false,
    };
    if (request.payload !== undefined) {
      params.payload = request.payload;
      params.contentType = 'application/json';
    }
    const res = UrlFetchApp.fetch(request.url, params);
    const headers: Record<string, string> = {};
    const all = res.getAllHeaders() as Record<string, unknown>;
    for (const k of Object.keys(all)) headers[k.toLowerCase()] = String(all[k]);
    return { status: res.getResponseCode(), headers, body: res.getContentText() };
  },
  sleep(ms: number): void {
    Utilities.sleep(ms);
  },
};

/** The caller's Google ID token (needs the openid scope) is the only credential: no BigQuery rights needed. */
export function appsScriptEnv(): ServiceEnv {
  return { baseUrl: getServiceUrl(), token: () => ScriptApp.getIdentityToken() };
}

export function runInAppsScript<T>(op: Op<T>): T {
  return runSync(op, appsScriptIo);
}
