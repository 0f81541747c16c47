/**
 * How the CLI coexists with a running service on the same DuckDB file. DuckDB's
 * single-process lock means only one process can open the database, so the service
 * writes DATA_DIR/service.json (pid, port) while it listens; a CLI command that needs
 * the warehouse first looks for a live service there and, when one answers, sends the
 * work to it over HTTP with an admin token. Otherwise it opens the file itself.
 * With BigQuery there is no lock, but the same route keeps behaviour identical.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { loadOrCreateTokens, parseTokenList } from '../http/auth.ts';

export interface ServiceLink {
  baseUrl: string;
  token: string;
}

export function serviceFile(config: Config): string {
  return path.join(config.dataDir, 'service.json');
}

export function writeServiceFile(config: Config, port: number): void {
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(serviceFile(config), JSON.stringify({ pid: process.pid, port, started_at: new Date().toISOString() }));
}

export function removeServiceFile(config: Config): void {
  try {
    const info = JSON.parse(fs.readFileSync(serviceFile(config), 'utf8'));
    if (info.pid === process.pid) fs.rmSync(serviceFile(config), { force: true });
  } catch {}
}

function adminToken(config: Config): string | undefined {
  if (config.auth.apiTokens) return parseTokenList(config.auth.apiTokens).find((t) => t.role === 'admin')?.token;
  if (fs.existsSync(path.join(config.dataDir, 'tokens.json'))) return loadOrCreateTokens(config.dataDir).tokens.admin;
  return undefined;
}

/** The running service on this DATA_DIR, or null when none answers. */
export async function findRunningService(config: Config): Promise<ServiceLink | null> {
  let info: { pid: number; port: number };
  try {
    info = JSON.parse(fs.readFileSync(serviceFile(config), 'utf8'));
    process.kill(info.pid, 0);
  } catch {
    return null;
  }
  const baseUrl = `http://127.0.0.1:${info.port}`;
  try {
    const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return null;
  } catch {
    return null;
  }
  const token = adminToken(config);
  if (!token) throw new Error('a service is running on this DATA_DIR but no admin token is configured for the CLI (API_TOKENS or DATA_DIR/tokens.json)');
  return { baseUrl, token };
}

export class ServiceCallError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    const err = (body as { error?: { message?: string; details?: unknown } })?.error;
    super(err?.message ? `${err.message}${err.details ? ' ' + JSON.stringify(err.details) : ''}` : `service answered ${status}`);
  }
}

export async function callService<T = unknown>(
  link: ServiceLink,
  method: string,
  urlPath: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  const res = await fetch(link.baseUrl + urlPath, {
    method,
    headers: { authorization: `Bearer ${link.token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? (() => { try { return JSON.parse(text); } catch { return text; } })() : null;
  if (!res.ok) throw new ServiceCallError(res.status, parsed);
  return parsed as T;
}
