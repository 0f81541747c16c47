/** Tables owned by the training area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';

export const trainingRuns: TableDef = {
  name: 'training_runs',
  primaryKey: ['run_id'],
  description: 'One row per training run: trigger, progress, steps with timings, decision, report.',
  columns: [
    { name: 'run_id', type: 'STRING' },
    { name: 'status', type: 'STRING', nullable: false, description: 'running | succeeded | failed' },
    { name: 'triggered_by', type: 'STRING', nullable: false },
    { name: 'trigger_reason', type: 'STRING' },
    { name: 'started_at', type: 'TIMESTAMP', nullable: false },
    { name: 'finished_at', type: 'TIMESTAMP' },
    { name: 'progress', type: 'JSON', description: '{step, done, total}' },
    { name: 'heartbeat_at', type: 'TIMESTAMP', description: 'last sign of life of the process running it (every step and every 30 s)' },
    { name: 'steps', type: 'JSON', description: '[{name, started_at, seconds, detail}]' },
    { name: 'decision', type: 'STRING', description: 'promoted | rejected | rolled_back | …' },
    { name: 'decision_reason', type: 'STRING' },
    { name: 'candidate_version', type: 'STRING' },
    { name: 'live_version_before', type: 'STRING' },
    { name: 'live_version_after', type: 'STRING' },
    { name: 'metrics', type: 'JSON' },
    { name: 'feature_summary', type: 'JSON', description: 'per-feature distribution of this run, for drift next time' },
    { name: 'report_html', type: 'STRING' },
    { name: 'error', type: 'STRING' },
  ],
};

export const modelActivations: TableDef = {
  name: 'model_activations',
  primaryKey: ['activation_id'],
  description: 'Audit trail: which model version became live when, who or what changed it, and why.',
  columns: [
    { name: 'activation_id', type: 'STRING' },
    { name: 'version', type: 'STRING', nullable: false },
    { name: 'previous_version', type: 'STRING' },
    { name: 'activated_at', type: 'TIMESTAMP', nullable: false },
    { name: 'kind', type: 'STRING', nullable: false, description: 'promotion | manual | rollback | startup_fallback' },
    { name: 'actor', type: 'STRING', nullable: false, description: 'identity or system component' },
    { name: 'reason', type: 'STRING', nullable: false },
    { name: 'run_id', type: 'STRING' },
  ],
};

export const modelFeatureValues: TableDef = {
  name: 'model_feature_values',
  primaryKey: ['freelancer_id', 'feature'],
  clusterBy: ['freelancer_id'],
  description: 'Features SQL cannot compute (text, behaviour), materialised for in-warehouse scoring (training/sql-compile.ts).',
  columns: [
    { name: 'freelancer_id', type: 'STRING' },
    { name: 'feature', type: 'STRING' },
    { name: 'value', type: 'FLOAT64', nullable: false },
    { name: 'feature_spec_version', type: 'STRING', nullable: false },
    { name: 'computed_at', type: 'TIMESTAMP', nullable: false },
  ],
};

export const trainingTables: TableDef[] = [trainingRuns, modelActivations, modelFeatureValues];
