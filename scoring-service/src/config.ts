/**
 * The only module that reads the environment. Every setting has a local default so that
 * `npm start` works untouched; a bad value fails fast with the variable's name.
 */
import path from 'node:path';

export type WarehouseKind = 'duckdb' | 'bigquery';

export interface Config {
  port: number;
  dataDir: string;
  logLevel: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  warehouse: WarehouseKind;
  duckdbFile: string;
  bigquery: {
    projectId: string;
    dataset: string;
    location: string;
    /** Points the client at a local fake in tests; unset in production. */
    apiEndpoint?: string;
    /** GOOGLE_APPLICATION_CREDENTIALS, when set (the client reads it itself; tests use it to decide whether real BigQuery is reachable). */
    credentialsFile?: string;
  };
  auth: {
    /** `token=role[:identity]` entries; undefined means "generate into DATA_DIR on first start". */
    apiTokens?: string;
    /** When set, Google-signed ID tokens for this audience are accepted. */
    googleAudience?: string;
    /** `email=role` entries mapping verified Google identities to roles. */
    googleAllowlist: string;
  };
  demo: {
    seedOnEmpty: boolean;
    freelancers: number;
    annotations: number;
    seed: number;
  };
  training: {
    scheduleEnabled: boolean;
    cron: string;
    timeZone: string;
    minImprovement: number;
  };
  annotation: {
    leaseMinutes: number;
    doubleAnnotationShare: number;
    /** Window in which an annotator may undo their last annotation. */
    undoMinutes: number;
    /** Largest `count` of GET /v1/annotation/next. */
    maxTasksPerRequest: number;
    /** Bootstrap ensemble members behind the queue's uncertainty. */
    ensembleSize: number;
    /** How long the queue's feature/density cache lives without a profile change. */
    queueCacheMinutes: number;
    /** Longest GET /next waits for a queue rebuild before serving from the previous state. */
    poolWaitMs: number;
    /** Most freelancers the queue featurizes; larger populations are sampled. */
    poolMax: number;
  };
  /** Memory for pre-serialised score responses (http/score-cache.ts), in MiB; 0 = serialise per request. */
  scoreCacheMb: number;
  /** Local preview pages (GET /dev/sidebar); off by default on Cloud Run. */
  devPages: boolean;
  codeVersion: string;
  /** Cloud Run's project id for log trace correlation, if known. */
  gcpProject?: string;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {}

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in ${min}..${max}, got '${raw}'`);
  return n;
}

function num(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(`${name} must be a number in ${min}..${max}, got '${raw}'`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got '${raw}'`);
}

/** A 5- or 6-field cron expression (croner syntax); the fields themselves are checked when scheduling. */
function cronExpr(env: Env, name: string, def: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const fields = raw.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6 || fields.some((f) => !/^[0-9*,/\-?LW#A-Za-z]+$/.test(f))) throw new ConfigError(`${name} must be a cron expression like '0 4 * * *', got '${raw}'`);
  return raw.trim();
}

function timeZone(env: Env, name: string, def: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: raw });
  } catch {
    throw new ConfigError(`${name} must be an IANA time zone like 'Asia/Tokyo', got '${raw}'`);
  }
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, def: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
  return raw as T;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const warehouse = oneOf<WarehouseKind>(env, 'WAREHOUSE', 'duckdb', ['duckdb', 'bigquery']);
  const bigquery = {
    projectId: env.BQ_PROJECT || env.GOOGLE_CLOUD_PROJECT || '',
    dataset: env.BQ_DATASET || 'workship',
    location: env.BQ_LOCATION || 'asia-northeast1',
    apiEndpoint: env.BQ_API_ENDPOINT || undefined,
    credentialsFile: env.GOOGLE_APPLICATION_CREDENTIALS || undefined,
  };
  if (warehouse === 'bigquery' && !bigquery.projectId) throw new ConfigError('BQ_PROJECT is required when WAREHOUSE=bigquery');
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,1023}$/.test(bigquery.dataset)) throw new ConfigError(`BQ_DATASET '${bigquery.dataset}' is not a valid dataset id`);
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    dataDir,
    logLevel: oneOf(env, 'LOG_LEVEL', 'INFO', ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const),
    warehouse,
    duckdbFile: env.DUCKDB_FILE ? path.resolve(env.DUCKDB_FILE) : path.join(dataDir, 'workship.duckdb'),
    bigquery,
    auth: {
      apiTokens: env.API_TOKENS || undefined,
      googleAudience: env.GOOGLE_AUDIENCE || undefined,
      googleAllowlist: env.GOOGLE_ALLOWLIST || '',
    },
    demo: {
      seedOnEmpty: bool(env, 'SEED_ON_EMPTY', true),
      freelancers: int(env, 'DEMO_FREELANCERS', 5000, 10, 1_000_000),
      annotations: int(env, 'DEMO_ANNOTATIONS', 1500, 0, 1_000_000),
      seed: int(env, 'DEMO_SEED', 42, 0, 2 ** 31 - 1),
    },
    training: {
      scheduleEnabled: bool(env, 'TRAIN_SCHEDULE_ENABLED', true),
      cron: cronExpr(env, 'TRAIN_CRON', '0 4 * * *'),
      timeZone: timeZone(env, 'TRAIN_TIMEZONE', 'Asia/Tokyo'),
      minImprovement: num(env, 'PROMOTION_MIN_IMPROVEMENT', 0.01, 0, 1),
    },
    annotation: {
      leaseMinutes: int(env, 'LEASE_MINUTES', 15, 1, 24 * 60),
      doubleAnnotationShare: num(env, 'DOUBLE_ANNOTATION_SHARE', 0.1, 0, 1),
      undoMinutes: int(env, 'ANNOTATION_UNDO_MINUTES', 10, 0, 24 * 60),
      maxTasksPerRequest: int(env, 'ANNOTATION_MAX_TASKS', 20, 1, 200),
      ensembleSize: int(env, 'ANNOTATION_ENSEMBLE_SIZE', 16, 2, 64),
      queueCacheMinutes: int(env, 'ANNOTATION_QUEUE_CACHE_MINUTES', 10, 0, 24 * 60),
      poolWaitMs: int(env, 'ANNOTATION_POOL_WAIT_MS', 2000, 0, 600_000),
      poolMax: int(env, 'ANNOTATION_POOL_MAX', 20_000, 100, 1_000_000),
    },
    scoreCacheMb: int(env, 'SCORE_CACHE_MB', 512, 0, 1 << 20),
    devPages: bool(env, 'DEV_PAGES', !env.K_SERVICE),
    codeVersion: env.GIT_COMMIT || env.K_REVISION || 'dev',
    gcpProject: env.GOOGLE_CLOUD_PROJECT || env.BQ_PROJECT || undefined,
  };
}
