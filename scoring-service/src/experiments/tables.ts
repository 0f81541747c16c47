/** Tables owned by the experiments area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';

export const experiments: TableDef = {
  name: 'experiments',
  primaryKey: ['id'],
  description: 'A/B tests: hypothesis, goal metric (an event type), arms and weights, salt and schedule.',
  columns: [
    { name: 'id', type: 'STRING' },
    { name: 'name', type: 'STRING', nullable: false },
    { name: 'hypothesis', type: 'STRING' },
    { name: 'unit_type', type: 'STRING', nullable: false, description: 'freelancer | company: the events actor_type that converts' },
    { name: 'goal_metric', type: 'STRING', nullable: false, description: 'event_type counted as a conversion (e.g. match)' },
    { name: 'secondary_metrics', type: 'STRING[]', nullable: false },
    { name: 'arms', type: 'JSON', nullable: false, description: '[{name, weight}], the first arm is control' },
    { name: 'salt', type: 'STRING', nullable: false },
    { name: 'start_at', type: 'TIMESTAMP', nullable: false },
    { name: 'end_at', type: 'TIMESTAMP' },
    { name: 'status', type: 'STRING', nullable: false, description: 'draft | running | stopped' },
    { name: 'pre_period_days', type: 'INT64', nullable: false, description: 'CUPED covariate window before start_at' },
    { name: 'created_by', type: 'STRING', nullable: false },
    { name: 'created_at', type: 'TIMESTAMP', nullable: false },
    { name: 'updated_at', type: 'TIMESTAMP', nullable: false },
  ],
};

export const experimentAssignments: TableDef = {
  name: 'experiment_assignments',
  primaryKey: ['experiment_id', 'unit_id'],
  clusterBy: ['experiment_id'],
  columns: [
    { name: 'experiment_id', type: 'STRING' },
    { name: 'unit_id', type: 'STRING' },
    { name: 'arm', type: 'STRING', nullable: false },
    { name: 'assigned_at', type: 'TIMESTAMP', nullable: false },
    { name: 'source', type: 'STRING', nullable: false, description: 'api (hash assignment served) | import' },
  ],
};

export const upliftRuns: TableDef = {
  name: 'uplift_runs',
  primaryKey: ['run_id'],
  description: 'Trained conversion and uplift models of an experiment with their held-out evaluation (Qini, AUUC).',
  columns: [
    { name: 'run_id', type: 'STRING' },
    { name: 'experiment_id', type: 'STRING', nullable: false },
    { name: 'created_at', type: 'TIMESTAMP', nullable: false },
    { name: 'created_by', type: 'STRING', nullable: false },
    { name: 'treatment_arm', type: 'STRING', nullable: false },
    { name: 'models', type: 'JSON', nullable: false, description: 'type-tagged model JSON (conversion, T-learner, X-learner)' },
    { name: 'evaluation', type: 'JSON', nullable: false },
  ],
};

export const upliftTargeting: TableDef = {
  name: 'uplift_targeting',
  primaryKey: ['experiment_id', 'unit_id'],
  clusterBy: ['experiment_id'],
  description: 'Ranked targeting list of the latest uplift run: the persuadables first.',
  columns: [
    { name: 'experiment_id', type: 'STRING' },
    { name: 'unit_id', type: 'STRING' },
    { name: 'run_id', type: 'STRING', nullable: false },
    { name: 'rank', type: 'INT64', nullable: false },
    { name: 'uplift', type: 'FLOAT64', nullable: false, description: 'predicted P(convert | treated) − P(convert | control)' },
    { name: 'p_treatment', type: 'FLOAT64', nullable: false },
    { name: 'p_control', type: 'FLOAT64', nullable: false },
    { name: 'p_convert', type: 'FLOAT64', nullable: false, description: 'conversion model (preparation step)' },
    { name: 'segment', type: 'STRING', nullable: false, description: 'persuadable | sure_thing | lost_cause | sleeping_dog' },
    { name: 'created_at', type: 'TIMESTAMP', nullable: false },
  ],
};

export const experimentsTables: TableDef[] = [experiments, experimentAssignments, upliftRuns, upliftTargeting];
