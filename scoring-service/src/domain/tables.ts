/** The core tables every area shares. Areas with their own tables register them in all-tables.ts. */
import type { TableDef } from './table.ts';

export const freelancers: TableDef = {
  name: 'freelancers',
  primaryKey: ['id'],
  description: 'Freelancer profiles as Workship stores them (latest version).',
  columns: [
    { name: 'id', type: 'STRING' },
    { name: 'occupation', type: 'STRING', nullable: false },
    { name: 'skills', type: 'STRING[]', nullable: false },
    { name: 'years_experience', type: 'FLOAT64', nullable: false },
    { name: 'self_intro', type: 'STRING', nullable: false, description: 'Japanese self-introduction' },
    { name: 'portfolio_urls', type: 'STRING[]', nullable: false },
    { name: 'hourly_rate_jpy', type: 'INT64' },
    { name: 'availability_days_per_week', type: 'FLOAT64' },
    { name: 'prefecture', type: 'STRING' },
    { name: 'remote_ok', type: 'BOOL', nullable: false },
    { name: 'has_photo', type: 'BOOL', nullable: false },
    { name: 'registered_at', type: 'TIMESTAMP', nullable: false },
    { name: 'updated_at', type: 'TIMESTAMP', nullable: false },
    { name: 'last_login_at', type: 'TIMESTAMP' },
  ],
};

export const companies: TableDef = {
  name: 'companies',
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: 'STRING' },
    { name: 'name', type: 'STRING', nullable: false },
    { name: 'industry', type: 'STRING' },
    { name: 'employees', type: 'INT64' },
    { name: 'prefecture', type: 'STRING' },
    { name: 'registered_at', type: 'TIMESTAMP', nullable: false },
  ],
};

export const jobs: TableDef = {
  name: 'jobs',
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: 'STRING' },
    { name: 'company_id', type: 'STRING', nullable: false },
    { name: 'title', type: 'STRING', nullable: false },
    { name: 'occupation', type: 'STRING', nullable: false },
    { name: 'skills', type: 'STRING[]', nullable: false },
    { name: 'description', type: 'STRING' },
    { name: 'hourly_rate_min_jpy', type: 'INT64' },
    { name: 'hourly_rate_max_jpy', type: 'INT64' },
    { name: 'remote_ok', type: 'BOOL' },
    { name: 'posted_at', type: 'TIMESTAMP', nullable: false },
    { name: 'closed_at', type: 'TIMESTAMP' },
  ],
};

/** Event types Workship sends through fluentd. */
export const EVENT_TYPES = ['login', 'profile_view', 'interest', 'match', 'message', 'contract', 'profile_update', 'signup'] as const;
export const ACTOR_TYPES = ['freelancer', 'company'] as const;
export const TARGET_TYPES = ['freelancer', 'company', 'job'] as const;

export const events: TableDef = {
  name: 'events',
  primaryKey: ['event_id'],
  partitionBy: 'event_time',
  clusterBy: ['event_type'],
  description: 'The event stream; partitioned by event date and clustered by type in BigQuery.',
  columns: [
    { name: 'event_id', type: 'STRING' },
    { name: 'event_time', type: 'TIMESTAMP', nullable: false },
    { name: 'event_type', type: 'STRING', nullable: false },
    { name: 'actor_type', type: 'STRING', nullable: false },
    { name: 'actor_id', type: 'STRING', nullable: false },
    { name: 'target_type', type: 'STRING' },
    { name: 'target_id', type: 'STRING' },
    { name: 'properties', type: 'JSON' },
  ],
};

export const annotations: TableDef = {
  name: 'annotations',
  primaryKey: ['annotation_id'],
  columns: [
    { name: 'annotation_id', type: 'STRING' },
    { name: 'freelancer_id', type: 'STRING', nullable: false },
    { name: 'annotator', type: 'STRING', nullable: false },
    { name: 'score', type: 'INT64', nullable: false, description: '1–5' },
    { name: 'comment', type: 'STRING' },
    { name: 'profile_snapshot', type: 'JSON', nullable: false, description: '{profile, activity} exactly as the annotator saw them' },
    { name: 'model_version', type: 'STRING', description: 'model whose prediction was shown' },
    { name: 'predicted_score', type: 'FLOAT64', description: 'prediction shown (null in blind mode)' },
    { name: 'rubric_version', type: 'STRING' },
    { name: 'created_at', type: 'TIMESTAMP', nullable: false },
    { name: 'client_request_id', type: 'STRING' },
  ],
};

export const modelVersions: TableDef = {
  name: 'model_versions',
  primaryKey: ['version'],
  columns: [
    { name: 'version', type: 'STRING' },
    { name: 'created_at', type: 'TIMESTAMP', nullable: false },
    { name: 'status', type: 'STRING', nullable: false, description: 'candidate | live | retired | rejected | failed' },
    { name: 'model', type: 'JSON', nullable: false, description: 'the serialised, type-tagged model' },
    { name: 'metrics', type: 'JSON' },
    { name: 'lineage', type: 'JSON' },
    { name: 'activated_at', type: 'TIMESTAMP' },
  ],
};

export const freelancerScores: TableDef = {
  name: 'freelancer_scores',
  primaryKey: ['freelancer_id'],
  columns: [
    { name: 'freelancer_id', type: 'STRING' },
    { name: 'model_version', type: 'STRING', nullable: false },
    { name: 'score', type: 'FLOAT64', nullable: false },
    { name: 'percentile', type: 'FLOAT64', nullable: false },
    { name: 'occupation_percentile', type: 'FLOAT64', nullable: false },
    { name: 'occupation', type: 'STRING' },
    { name: 'reasons', type: 'JSON' },
    { name: 'scored_at', type: 'TIMESTAMP', nullable: false },
  ],
};

export const coreTables: TableDef[] = [freelancers, companies, jobs, events, annotations, modelVersions, freelancerScores];
