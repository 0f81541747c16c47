/** Tables owned by the annotation area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';

/**
 * One row per task handed out. The snapshot and the prediction are the ones the annotator
 * was shown, so the stored annotation never depends on what the live row says at submit time.
 */
export const annotationLeases: TableDef = {
  name: 'annotation_leases',
  primaryKey: ['lease_id'],
  clusterBy: ['annotator'],
  columns: [
    { name: 'lease_id', type: 'STRING' },
    { name: 'freelancer_id', type: 'STRING', nullable: false },
    { name: 'annotator', type: 'STRING', nullable: false },
    { name: 'created_at', type: 'TIMESTAMP', nullable: false },
    { name: 'expires_at', type: 'TIMESTAMP', nullable: false },
    { name: 'status', type: 'STRING', nullable: false, description: 'open | submitted | skipped | undone' },
    { name: 'is_double', type: 'BOOL', nullable: false, description: 'chosen for double annotation (agreement)' },
    { name: 'blind', type: 'BOOL', nullable: false, description: 'prediction hidden (blind mode)' },
    { name: 'snapshot', type: 'JSON', nullable: false, description: '{profile, activity} as served' },
    { name: 'prediction', type: 'JSON', description: 'prediction as served; null in blind mode' },
    { name: 'model_version', type: 'STRING' },
    { name: 'why', type: 'JSON', nullable: false },
    { name: 'priority', type: 'FLOAT64' },
    { name: 'rubric_version', type: 'STRING' },
    { name: 'closed_at', type: 'TIMESTAMP' },
    { name: 'annotation_id', type: 'STRING' },
  ],
};

export const annotationSkips: TableDef = {
  name: 'annotation_skips',
  primaryKey: ['skip_id'],
  columns: [
    { name: 'skip_id', type: 'STRING' },
    { name: 'lease_id', type: 'STRING', nullable: false },
    { name: 'freelancer_id', type: 'STRING', nullable: false },
    { name: 'annotator', type: 'STRING', nullable: false },
    { name: 'reason', type: 'STRING', nullable: false },
    { name: 'created_at', type: 'TIMESTAMP', nullable: false },
  ],
};

/** Idempotency keys of POST /v1/annotations: one row per client_request_id. */
export const annotationRequests: TableDef = {
  name: 'annotation_requests',
  primaryKey: ['client_request_id'],
  columns: [
    { name: 'client_request_id', type: 'STRING' },
    { name: 'annotator', type: 'STRING', nullable: false },
    { name: 'body_hash', type: 'STRING', nullable: false },
    { name: 'annotation_id', type: 'STRING', nullable: false },
    { name: 'status', type: 'STRING', nullable: false, description: 'stored | undone' },
    { name: 'created_at', type: 'TIMESTAMP', nullable: false },
    { name: 'annotation', type: 'JSON', nullable: false, description: 'the annotation as first returned' },
  ],
};

/** Every version of the shared scoring rubric; the newest is current. */
export const annotationRubrics: TableDef = {
  name: 'annotation_rubrics',
  primaryKey: ['version'],
  columns: [
    { name: 'version', type: 'STRING' },
    { name: 'seq', type: 'INT64', nullable: false },
    { name: 'text_ja', type: 'STRING', nullable: false },
    { name: 'text_en', type: 'STRING' },
    { name: 'created_at', type: 'TIMESTAMP', nullable: false },
    { name: 'created_by', type: 'STRING', nullable: false },
  ],
};

/** Append-only history of the admin settings; the newest row is current. */
export const annotationSettings: TableDef = {
  name: 'annotation_settings',
  primaryKey: ['seq'],
  columns: [
    { name: 'seq', type: 'INT64' },
    { name: 'blind_mode', type: 'BOOL', nullable: false },
    { name: 'double_share', type: 'FLOAT64', nullable: false },
    { name: 'updated_at', type: 'TIMESTAMP', nullable: false },
    { name: 'updated_by', type: 'STRING', nullable: false },
  ],
};

export const annotationTables: TableDef[] = [annotationLeases, annotationSkips, annotationRequests, annotationRubrics, annotationSettings];
