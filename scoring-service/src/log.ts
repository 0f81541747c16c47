/**
 * Structured JSON logs in Cloud Logging's format (severity, message, httpRequest,
 * logging.googleapis.com/trace). Values that look like secrets are redacted before
 * anything is written, so a token that slips into a message never reaches the log.
 */
export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

export interface LogSink {
  write(line: string): void;
}

const SECRET_KEYS = /token|secret|password|authorization|api[_-]?key|credential/i;
const registeredSecrets = new Set<string>();

/** Register a value (e.g. a generated API token) that must never appear in any log line. */
export function registerSecret(value: string): void {
  if (value && value.length >= 6) registeredSecrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of registeredSecrets) out = out.split(s).join('[REDACTED]');
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1[REDACTED]');
}

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[REDACTED]' : scrub(v, depth + 1);
    return out;
  }
  return value;
}

export class Logger {
  constructor(
    private readonly sink: LogSink = { write: (l) => process.stdout.write(l + '\n') },
    private readonly base: Record<string, unknown> = {},
    private readonly minLevel: Severity = 'INFO',
  ) {}

  child(fields: Record<string, unknown>): Logger {
    return new Logger(this.sink, { ...this.base, ...fields }, this.minLevel);
  }

  log(severity: Severity, message: string, fields: Record<string, unknown> = {}): void {
    if (ORDER[severity] < ORDER[this.minLevel]) return;
    const entry = scrub({ severity, message, time: new Date().toISOString(), ...this.base, ...fields });
    this.sink.write(JSON.stringify(entry));
  }

  debug(m: string, f?: Record<string, unknown>): void { this.log('DEBUG', m, f); }
  info(m: string, f?: Record<string, unknown>): void { this.log('INFO', m, f); }
  warn(m: string, f?: Record<string, unknown>): void { this.log('WARNING', m, f); }
  error(m: string, f?: Record<string, unknown>): void { this.log('ERROR', m, f); }
  critical(m: string, f?: Record<string, unknown>): void { this.log('CRITICAL', m, f); }
}

const ORDER: Record<Severity, number> = { DEBUG: 0, INFO: 1, NOTICE: 2, WARNING: 3, ERROR: 4, CRITICAL: 5 };

/** A logger that keeps lines in memory: for tests asserting what was (not) logged. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new Logger({ write: (l) => lines.push(l) }, {}, 'DEBUG'), lines };
}

export const silentLogger = new Logger({ write: () => {} });
