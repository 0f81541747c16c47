/** Tables owned by the features area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';

/**
 * The feature store: one vector per freelancer, valid for `profile_version` (a hash of the
 * profile fields features read and the feature spec version). `source_updated_at` is the
 * freelancer's `updated_at` when checked, the cheap test for "may have changed". The
 * vector is a sparse float64 list (features/packing.ts packList), which DuckDB returns a
 * data chunk at a time as one flat double array: a million vectors read in about a second.
 */
export const freelancerFeatures: TableDef = {
  name: 'freelancer_feature_vectors',
  primaryKey: ['freelancer_id'],
  description: 'Feature store: sparse float64 feature vector per freelancer and profile version.',
  columns: [
    { name: 'freelancer_id', type: 'STRING' },
    { name: 'profile_version', type: 'STRING', nullable: false },
    { name: 'feature_spec_version', type: 'STRING', nullable: false },
    { name: 'source_updated_at', type: 'TIMESTAMP', nullable: false },
    { name: 'occupation', type: 'STRING' },
    { name: 'vector', type: 'FLOAT64[]', nullable: false, description: '[length, indexes of nonzeros, their values] (features/packing.ts packList)' },
    {
      name: 'skill_keys', type: 'FLOAT64[]',
      description: '[occupation index, 48-bit keys of the distinct normalised skill terms] (features/skill-demand.ts skillKeysOf): what the skill demand features need at score time',
    },
    { name: 'computed_at', type: 'TIMESTAMP', nullable: false },
  ],
};

/**
 * The feature store as earlier versions wrote it (base64 `features` string, packing.ts
 * packVector). Never created any more: refreshFeatureStore converts its rows into
 * freelancer_feature_vectors once, so existing data directories need no re-analysis, then drops it.
 */
export const legacyFreelancerFeatures: TableDef = {
  ...freelancerFeatures,
  name: 'freelancer_features',
  description: 'Feature store of earlier versions (converted and dropped on the first refresh).',
  columns: freelancerFeatures.columns.filter((c) => c.name !== 'skill_keys').map((c) =>
    c.name === 'vector' ? { name: 'features', type: 'STRING', nullable: false, description: 'sparse float64 vector, base64 (features/packing.ts packVector)' } : c,
  ),
};

export const featuresTables: TableDef[] = [freelancerFeatures];
