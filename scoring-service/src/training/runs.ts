/** training_runs rows: created 'running', updated per step, finished once. */
import { trainingRuns } from './tables.ts';
import type { Warehouse } from '../warehouse/port.ts';

export interface StepRecord {
  name: string;
  started_at: string;
  seconds: number;
  detail?: Record<string, unknown>;
}

export interface RunRow {
  run_id: string;
  status: 'running' | 'succeeded' | 'failed';
  triggered_by: string;
  trigger_reason: string | null;
  started_at: string;
  finished_at: string | null;
  progress: { step: string; done: number; total: number } | null;
  heartbeat_at?: string | null;
  steps: StepRecord[];
  decision: string | null;
  decision_reason: string | null;
  candidate_version: string | null;
  live_version_before: string | null;
  live_version_after: string | null;
  metrics: Record<string, unknown> | null;
  feature_summary: unknown;
  report_html: string | null;
  error: string | null;
}

const T = (w: Warehouse) => w.dialect.table(trainingRuns.name);

export async function saveRun(w: Warehouse, row: RunRow): Promise<void> {
  await w.upsert(trainingRuns, [row as unknown as Record<string, unknown>]);
}

export async function saveProgress(w: Warehouse, runId: string, progress: RunRow['progress'], steps: StepRecord[], now: Date): Promise<void> {
  await w.execute(
    `UPDATE ${T(w)} SET progress = CAST(@p AS JSON), steps = CAST(@s AS JSON), heartbeat_at = CAST(@now AS TIMESTAMP) WHERE run_id = @id AND status = 'running'`,
    { id: runId, p: JSON.stringify(progress), s: JSON.stringify(steps), now: now.toISOString() },
  );
}

export async function heartbeat(w: Warehouse, runId: string, now: Date): Promise<void> {
  await w.execute(`UPDATE ${T(w)} SET heartbeat_at = CAST(@now AS TIMESTAMP) WHERE run_id = @id AND status = 'running'`, { id: runId, now: now.toISOString() });
}

export async function saveCandidate(w: Warehouse, runId: string, version: string): Promise<void> {
  await w.execute(`UPDATE ${T(w)} SET candidate_version = @v WHERE run_id = @id`, { id: runId, v: version });
}

const SUMMARY_COLUMNS = `run_id, status, triggered_by, trigger_reason, started_at, finished_at, progress, heartbeat_at, steps, decision, decision_reason,
  candidate_version, live_version_before, live_version_after, metrics, error`;

export async function listRuns(w: Warehouse, limit = 100): Promise<Omit<RunRow, 'report_html' | 'feature_summary'>[]> {
  return w.query(`SELECT ${SUMMARY_COLUMNS} FROM ${T(w)} ORDER BY started_at DESC, run_id DESC LIMIT ${Math.max(1, Math.floor(limit))}`);
}

export async function getRun(w: Warehouse, runId: string, withReport = false): Promise<RunRow | null> {
  const cols = withReport ? '*' : SUMMARY_COLUMNS;
  const rows = await w.query<RunRow>(`SELECT ${cols} FROM ${T(w)} WHERE run_id = @id`, { id: runId });
  return rows[0] ?? null;
}

/** The most recent finished run that recorded feature distributions (for drift). */
export async function previousFeatureSummary(w: Warehouse, exceptRunId: string): Promise<{ run_id: string; feature_summary: unknown } | null> {
  const rows = await w.query<{ run_id: string; feature_summary: unknown }>(
    `SELECT run_id, feature_summary FROM ${T(w)} WHERE status = 'succeeded' AND feature_summary IS NOT NULL AND run_id <> @id ORDER BY started_at DESC LIMIT 1`,
    { id: exceptRunId },
  );
  return rows[0] ?? null;
}
