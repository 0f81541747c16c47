/** Tables owned by the features area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';

/**
 * The feature store: one vector per freelancer, valid for `profile_version` (a hash of the
 * profile fields features read and the feature spec version). `source_updated_at` is the
 * freelancer's `updated_at` when checked, the cheap test for "may have changed". The vector
 * is packed (features/packing.ts) because reading a million 200-float arrays value by value
 * costs a minute, while one string per row reads in seconds.
 */
export const freelancerFeatures: TableDef = {
  name: 'freelancer_features',
  primaryKey: ['freelancer_id'],
  description: 'Feature store: packed feature vector per freelancer and profile version.',
  columns: [
    { name: 'freelancer_id', type: 'STRING' },
    { name: 'profile_version', type: 'STRING', nullable: false },
    { name: 'feature_spec_version', type: 'STRING', nullable: false },
    { name: 'source_updated_at', type: 'TIMESTAMP', nullable: false },
    { name: 'occupation', type: 'STRING' },
    { name: 'features', type: 'STRING', nullable: false, description: 'sparse float64 vector, base64 (features/packing.ts)' },
    { name: 'computed_at', type: 'TIMESTAMP', nullable: false },
  ],
};

export const featuresTables: TableDef[] = [freelancerFeatures];
