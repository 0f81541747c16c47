/**
 * The model registry: model_versions rows (status candidate → live → retired, or
 * rejected / failed) and the model_activations audit trail. Live status always changes in
 * ONE statement, so a crash leaves either the old or the new version live, never both or
 * none; candidates are written before anything else so nothing half-written is ever live.
 */
import { randomUUID } from 'node:crypto';
import { modelVersions } from '../domain/tables.ts';
import { modelActivations, trainingRuns } from './tables.ts';
import type { Warehouse } from '../warehouse/port.ts';
import type { LiveModel } from '../model/types.ts';
import type { ScoreTable } from '../scores/live.ts';
import { NotFoundError, PreconditionError } from '../errors.ts';
import { kitOf, type TrainingDeps } from './deps.ts';
import type { KitFeaturizer, ModelKit } from './model-kit.ts';
import { attributeGroups } from '../features/attributes.ts';

export type VersionStatus = 'candidate' | 'live' | 'retired' | 'rejected' | 'failed';
export type ActivationKind = 'promotion' | 'manual' | 'rollback' | 'startup_fallback';

export interface VersionRow {
  version: string;
  created_at: string;
  status: VersionStatus;
  model: unknown;
  metrics: Record<string, unknown> | null;
  lineage: Record<string, unknown> | null;
  activated_at: string | null;
}

export interface ActivationRow {
  activation_id: string;
  version: string;
  previous_version: string | null;
  activated_at: string;
  kind: ActivationKind;
  actor: string;
  reason: string;
  run_id: string | null;
}

const T = (w: Warehouse) => w.dialect.table(modelVersions.name);

export async function listVersions(w: Warehouse): Promise<Omit<VersionRow, 'model'>[]> {
  return w.query(`SELECT version, created_at, status, metrics, lineage, activated_at FROM ${T(w)} ORDER BY created_at DESC, version DESC`);
}

export async function getVersion(w: Warehouse, version: string): Promise<VersionRow | null> {
  const rows = await w.query<VersionRow>(`SELECT * FROM ${T(w)} WHERE version = @v`, { v: version });
  return rows[0] ?? null;
}

export async function liveVersionRow(w: Warehouse): Promise<VersionRow | null> {
  const rows = await w.query<VersionRow>(`SELECT * FROM ${T(w)} WHERE status = 'live' ORDER BY activated_at DESC LIMIT 1`);
  return rows[0] ?? null;
}

export async function writeVersion(w: Warehouse, row: VersionRow): Promise<void> {
  await w.upsert(modelVersions, [row as unknown as Record<string, unknown>]);
}

/** Changes a non-live version's status (never touches the live row). */
export async function setStatus(w: Warehouse, version: string, status: Exclude<VersionStatus, 'live'>, metrics?: Record<string, unknown>): Promise<void> {
  if (metrics) await w.execute(`UPDATE ${T(w)} SET status = @s, metrics = CAST(@m AS JSON) WHERE version = @v AND status <> 'live'`, { s: status, v: version, m: JSON.stringify(metrics) });
  else await w.execute(`UPDATE ${T(w)} SET status = @s WHERE version = @v AND status <> 'live'`, { s: status, v: version });
}

/** One statement: `version` becomes live, whatever was live becomes retired. */
async function flipLive(w: Warehouse, version: string, at: string): Promise<void> {
  await w.execute(
    `UPDATE ${T(w)} SET status = CASE WHEN version = @v THEN 'live' ELSE 'retired' END,
       activated_at = CASE WHEN version = @v THEN CAST(@at AS TIMESTAMP) ELSE activated_at END
     WHERE version = @v OR status = 'live'`,
    { v: version, at },
  );
}

export async function activationHistory(w: Warehouse): Promise<ActivationRow[]> {
  return w.query<ActivationRow>(`SELECT * FROM ${w.dialect.table(modelActivations.name)} ORDER BY activated_at DESC, activation_id DESC`);
}

/** The version that was live before `version` last became live. */
export async function predecessorOf(w: Warehouse, version: string): Promise<string | null> {
  const rows = await w.query<{ previous_version: string | null }>(
    `SELECT previous_version FROM ${w.dialect.table(modelActivations.name)} WHERE version = @v ORDER BY activated_at DESC LIMIT 1`,
    { v: version },
  );
  return rows[0]?.previous_version ?? null;
}

/** Parses a stored model and builds its LiveModel; throws if the JSON fails validation. */
export function loadModel(kit: ModelKit, f: KitFeaturizer, json: unknown): LiveModel {
  const parsed = kit.parse(json);
  return kit.createLiveModel(parsed, f);
}

export interface ActivateOptions {
  kind: ActivationKind;
  actor: string;
  reason: string;
  runId?: string | null;
  featurizer?: KitFeaturizer;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Makes `version` live: validate the stored JSON (refuse if invalid), materialise every
 * freelancer's score with it, flip the registry in one statement, record the change, and
 * only then swap the in-memory model and scores in one assignment.
 */
export async function activateVersion(deps: TrainingDeps, version: string, o: ActivateOptions): Promise<{ model: LiveModel; scores: ScoreTable }> {
  const w = deps.warehouse;
  const row = await getVersion(w, version);
  if (!row) throw new NotFoundError('version', version);
  if (row.status === 'failed') throw new PreconditionError(`version ${version} failed validation or training and cannot be activated`, { version });
  const kit = await kitOf(deps);
  const f = o.featurizer ?? (await kit.loadFeaturizer());
  let model: LiveModel;
  try {
    model = loadModel(kit, f, row.model);
  } catch (e) {
    deps.log.error('refusing to activate a model whose JSON fails validation', { version, error: String(e) });
    if (row.status !== 'live') await setStatus(w, version, 'failed');
    throw new PreconditionError(`model ${version} fails validation: ${e instanceof Error ? e.message : String(e)}`, { version });
  }
  const previous = await liveVersionRow(w);
  const scores = await kit.materializeScores(w, model, f, { now: deps.now(), onProgress: o.onProgress });
  const at = deps.now().toISOString();
  await flipLive(w, version, at);
  await w.append(modelActivations, [
    {
      activation_id: randomUUID(),
      version,
      previous_version: previous && previous.version !== version ? previous.version : null,
      activated_at: at,
      kind: o.kind,
      actor: o.actor,
      reason: o.reason,
      run_id: o.runId ?? null,
    },
  ]);
  // Serialised for the read path first (when a server is listening), so no read after the
  // promotion pays for it; a later activation requested meanwhile wins.
  if (!(await deps.live.swapPrepared({ model, scores }))) {
    deps.log.info(`model ${version} was activated but a later activation replaced it before it served`, { version, kind: o.kind });
    return { model, scores };
  }
  deps.log.info(`model ${version} is live (${o.kind})`, { version, previous_version: previous?.version ?? null, kind: o.kind, actor: o.actor, reason: o.reason });
  return { model, scores };
}

/**
 * Runs left 'running' by a crash become failed, and their unfinished candidates too. With
 * DuckDB the file lock means no other process can be running one, so every 'running' run is
 * dead; with a shared warehouse (several Cloud Run instances) only runs whose heartbeat is
 * older than `staleAfterMs` are.
 */
export async function markInterruptedRuns(w: Warehouse, now: Date, staleAfterMs = w.kind === 'duckdb' ? 0 : 10 * 60_000): Promise<string[]> {
  const cutoff = new Date(now.getTime() - staleAfterMs).toISOString();
  const stale = staleAfterMs > 0 ? 'AND (heartbeat_at IS NULL OR heartbeat_at <= CAST(@cutoff AS TIMESTAMP))' : '';
  const runs = await w.query<{ run_id: string; candidate_version: string | null }>(
    `SELECT run_id, candidate_version FROM ${w.dialect.table(trainingRuns.name)} WHERE status = 'running' ${stale}`,
    staleAfterMs > 0 ? { cutoff } : {},
  );
  if (!runs.length) return [];
  const ids = runs.map((r) => r.run_id);
  await w.execute(
    `UPDATE ${w.dialect.table(trainingRuns.name)} SET status = 'failed', finished_at = CAST(@now AS TIMESTAMP),
       error = 'interrupted: the process stopped while this run was running (marked failed at start-up)'
     WHERE status = 'running' AND ${w.dialect.arrayContains('@ids', 'run_id')}`,
    { now: now.toISOString(), ids },
  );
  // A candidate belongs to its run through lineage.run_id (written with the row itself).
  const versions = runs.map((r) => r.candidate_version ?? '');
  await w.execute(
    `UPDATE ${T(w)} SET status = 'failed' WHERE status = 'candidate'
       AND (${w.dialect.arrayContains('@vs', 'version')} OR ${w.dialect.arrayContains('@ids', w.dialect.jsonString('lineage', 'run_id'))})`,
    { ids, vs: versions },
  );
  return ids;
}

/**
 * Whether stored scores carry reasons in an older form than this code gives — per model
 * column rather than per profile attribute (features/attributes.ts) — judged on the first
 * rows: such scores are materialised again at start-up, so every path shows the same reasons.
 */
export function staleReasons(scores: ScoreTable, f: { spec: { features: readonly { name: string; label_ja: string; label_en: string }[] } }, sample = 100): boolean {
  const keys = new Set(attributeGroups(f.spec.features).attributes.map((a) => a.key));
  for (const id of scores.orderedIds.slice(0, sample)) if (scores.byId.get(id)?.reasons.some((r) => !keys.has(r.feature))) return true;
  return false;
}

/**
 * Start-up: finish crashed runs' bookkeeping, load the live model (re-materialising scores
 * if the stored ones belong to another version or carry stale reasons), and if the live model does not load,
 * fall back loudly to the most recent earlier version that does. Swaps `deps.live`.
 */
export async function loadLiveModelAtStartup(deps: TrainingDeps): Promise<{ model: LiveModel; scores: ScoreTable } | null> {
  const w = deps.warehouse;
  const interrupted = await markInterruptedRuns(w, deps.now());
  if (interrupted.length) deps.log.warn('training runs interrupted by a previous stop were marked failed', { run_ids: interrupted });
  const live = await liveVersionRow(w);
  if (!live) return null;
  const kit = await kitOf(deps);
  const f = await kit.loadFeaturizer();
  try {
    const model = loadModel(kit, f, live.model);
    let scores = await kit.loadScoreTable(w);
    if (!scores || scores.modelVersion !== live.version || staleReasons(scores, f)) scores = await kit.materializeScores(w, model, f, { now: deps.now() });
    deps.live.swap({ model, scores });
    return { model, scores };
  } catch (e) {
    deps.log.critical(`LIVE MODEL ${live.version} FAILED TO LOAD — falling back to the previous valid version`, { version: live.version, error: String(e) });
  }
  const older = await w.query<VersionRow>(
    `SELECT * FROM ${T(w)} WHERE status = 'retired' AND activated_at IS NOT NULL ORDER BY activated_at DESC`,
  );
  for (const row of older) {
    try {
      loadModel(kit, f, row.model);
    } catch (e) {
      deps.log.error(`fallback candidate ${row.version} does not load either`, { version: row.version, error: String(e) });
      continue;
    }
    const r = await activateVersion(deps, row.version, {
      kind: 'startup_fallback',
      actor: 'system:startup',
      reason: `live model ${live.version} failed to load at start-up`,
      featurizer: f,
    });
    await w.execute(`UPDATE ${T(w)} SET status = 'failed' WHERE version = @v`, { v: live.version });
    deps.log.critical(`SERVING FALLBACK MODEL ${row.version} because ${live.version} failed to load`, { version: row.version, broken_version: live.version });
    return r;
  }
  deps.log.critical('no valid model version could be loaded: the service starts without a model', { broken_version: live.version });
  return null;
}
