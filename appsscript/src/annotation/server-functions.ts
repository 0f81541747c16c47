/**
 * The sidebar's server functions as effect-yielding operations (see http-client.ts). Each is a
 * thin call to the scoring service plus a normalisation of its answer into the add-on's types;
 * Apps Script runs them with UrlFetchApp (globals.ts), the dev shim with fetch.
 */
import { callService, type Op, type Result, type ServiceEnv } from './http-client.ts';
import type { AnnotationSettings, MyStats, Rubric, SidebarState, SkipRequest, Submission, Task, TaskBatch } from './types.ts';

const MAX_BATCH = 20;

function map<A, B>(r: Result<A>, f: (a: A) => B): Result<B> {
  return r.ok ? { ok: true, data: f(r.data) } : r;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function normalizeBatch(body: unknown): TaskBatch {
  const b = (body ?? {}) as { tasks?: Task[]; queue_size?: unknown; remaining?: unknown };
  const tasks = Array.isArray(body) ? (body as Task[]) : Array.isArray(b.tasks) ? b.tasks : [];
  return { tasks, queue_size: num(b.queue_size) ?? num(b.remaining) };
}

export function normalizeRubric(body: unknown): Rubric {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (...vs: unknown[]) => (vs.find((v) => typeof v === 'string') as string | undefined) ?? null;
  return {
    version: String(b.version ?? ''),
    text: str(b.text, b.text_ja) ?? '',
    text_en: str(b.text_en),
    updated_by: str(b.created_by, b.updated_by),
    updated_at: str(b.created_at, b.updated_at),
  };
}

export function normalizeSettings(body: unknown): AnnotationSettings {
  const b = ((body as { settings?: unknown })?.settings ?? body ?? {}) as Record<string, unknown>;
  return { blind_mode: b.blind_mode === true, double_share: num(b.double_share) ?? 0 };
}

/**
 * The stats endpoint lists every annotator plus the caller's row (`me`). Whether the caller is an
 * admin is known only when the service says (`role`/`is_admin`); null means "unknown", and the
 * sidebar then offers admin actions and shows the service's 403 if they are refused.
 */
export function normalizeStats(body: unknown): MyStats {
  const b = (body ?? {}) as Record<string, unknown>;
  const rows = (Array.isArray(b.annotators) ? b.annotators : []) as Record<string, unknown>[];
  const meRow = (typeof b.me === 'object' && b.me !== null ? b.me : {}) as Record<string, unknown>;
  const me = typeof b.me === 'string' ? b.me : typeof meRow.annotator === 'string' ? meRow.annotator : null;
  const role = b.role ?? meRow.role;
  const admin = b.is_admin ?? meRow.is_admin;
  return {
    me,
    is_admin: typeof admin === 'boolean' ? admin : typeof role === 'string' ? role === 'admin' : null,
    today: num(b.today_count) ?? num(meRow.today_count) ?? num(b.today) ?? 0,
    total: num(meRow.count) ?? 0,
    queue_size: num(b.queue_size),
    annotators: rows.map((r) => ({
      annotator: String(r.annotator ?? ''),
      count: num(r.count) ?? 0,
      today: num(r.today_count) ?? num(r.today) ?? 0,
      bias: num(r.bias),
      agreement: num(r.agreement),
    })),
  };
}

export function* getNextTasks(env: ServiceEnv, count = 3): Op<Result<TaskBatch>> {
  const n = Math.max(1, Math.min(MAX_BATCH, Math.floor(Number(count) || 1)));
  return map(yield* callService<unknown>(env, 'get', `/v1/annotation/next?count=${n}`), normalizeBatch);
}

export function* submitAnnotation(env: ServiceEnv, s: Submission): Op<Result<{ annotation_id: string | null }>> {
  const body: Submission = {
    lease_id: s.lease_id,
    freelancer_id: s.freelancer_id,
    score: s.score,
    comment: s.comment,
    rubric_version: s.rubric_version,
    client_request_id: s.client_request_id,
  };
  const r = yield* callService<{ annotation_id?: string; annotation?: { annotation_id?: string } }>(env, 'post', '/v1/annotations', body);
  return map(r, (d) => ({ annotation_id: d?.annotation_id ?? d?.annotation?.annotation_id ?? null }));
}

export function* skipTask(env: ServiceEnv, s: SkipRequest): Op<Result<null>> {
  const r = yield* callService<unknown>(env, 'post', '/v1/annotation/skip', { lease_id: s.lease_id, freelancer_id: s.freelancer_id, reason: s.reason });
  return map(r, () => null);
}

/** The service hands the undone profile back as a fresh task (new lease), so it can be scored again. */
export function* undoLast(env: ServiceEnv): Op<Result<{ annotation_id: string | null; freelancer_id: string | null; task: Task | null }>> {
  const r = yield* callService<{ undone?: { annotation_id?: string; freelancer_id?: string }; task?: Task | null } | null>(env, 'delete', '/v1/annotations/last');
  return map(r, (d) => ({ annotation_id: d?.undone?.annotation_id ?? null, freelancer_id: d?.undone?.freelancer_id ?? null, task: d?.task ?? null }));
}

export function* getMyAnnotations(env: ServiceEnv): Op<Result<unknown[]>> {
  const r = yield* callService<{ items?: unknown[] } | unknown[]>(env, 'get', '/v1/annotations?mine=1');
  return map(r, (d) => (Array.isArray(d) ? d : (d?.items ?? [])));
}

export function* getStats(env: ServiceEnv): Op<Result<MyStats>> {
  return map(yield* callService<unknown>(env, 'get', '/v1/annotation/stats'), normalizeStats);
}

export function* getRubric(env: ServiceEnv): Op<Result<Rubric>> {
  return map(yield* callService<unknown>(env, 'get', '/v1/annotation/rubric'), normalizeRubric);
}

export function* saveRubric(env: ServiceEnv, text: string, baseVersion: string): Op<Result<Rubric>> {
  return map(yield* callService<unknown>(env, 'put', '/v1/annotation/rubric', { text, base_version: baseVersion }), normalizeRubric);
}

export function* getSettings(env: ServiceEnv): Op<Result<AnnotationSettings>> {
  return map(yield* callService<unknown>(env, 'get', '/v1/annotation/settings'), normalizeSettings);
}

export function* saveSettings(env: ServiceEnv, s: Partial<AnnotationSettings>): Op<Result<AnnotationSettings>> {
  return map(yield* callService<unknown>(env, 'put', '/v1/annotation/settings', s), normalizeSettings);
}

/**
 * Whether the caller is an admin, when the stats do not say: everyone's annotations are an
 * admin-only read (403 otherwise), so one row of them answers without changing anything.
 */
export function* probeAdmin(env: ServiceEnv): Op<boolean> {
  const r = yield* callService<unknown>(env, 'get', '/v1/annotations?limit=1', undefined, { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 });
  return r.ok;
}

/** Everything the sidebar needs to start, in one round trip (google.script.run costs ~1 s a call). */
export function* loadSidebarState(env: ServiceEnv, count = 3): Op<Result<SidebarState>> {
  const settings = yield* getSettings(env);
  if (!settings.ok) return settings;
  const rubric = yield* getRubric(env);
  if (!rubric.ok) return rubric;
  const stats = yield* getStats(env);
  if (!stats.ok) return stats;
  if (stats.data.is_admin === null) stats.data.is_admin = yield* probeAdmin(env);
  const batch = yield* getNextTasks(env, count);
  if (!batch.ok) return batch;
  return { ok: true, data: { settings: settings.data, rubric: rubric.data, stats: stats.data, batch: batch.data } };
}

/** The google.script.run surface: name → operation. The dev shim and globals.ts both derive from it. */
export const serverOperations = {
  loadSidebarState,
  getNextTasks,
  submitAnnotation,
  skipTask,
  undoLast,
  getMyAnnotations,
  getStats,
  getRubric,
  saveRubric,
  getSettings,
  saveSettings,
} as const;

export type ServerOperationName = keyof typeof serverOperations;
