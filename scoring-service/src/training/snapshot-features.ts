/**
 * Feature vectors of the training snapshots. An annotation's snapshot is usually the profile
 * version the feature store already analysed (the profile has not changed since it was
 * scored), so its stored vector is reused when the snapshot's profile version matches, and only
 * the behaviour features are recomputed from the snapshot's own activity summary. Snapshots of
 * since-edited profiles (or with no stored vector) are analysed afresh. The result is exactly
 * what featurize(snapshot) returns; a test holds the two equal.
 */
import type { ProfileSnapshot } from '../domain/types.ts';
import type { FullFeaturizer } from '../features/featurizer.ts';
import { profileVersion } from '../features/profile-version.ts';
import { readStoredVectors } from '../scores/feature-store.ts';
import type { Warehouse } from '../warehouse/port.ts';
import type { KitFeaturizer } from './model-kit.ts';

export interface SnapshotFeatures {
  X: Float64Array[];
  /** Vectors taken from the feature store. */
  reused: number;
  /** Vectors computed by the analyser. */
  computed: number;
}

function isFull(f: KitFeaturizer): f is KitFeaturizer & Pick<FullFeaturizer, 'behaviourIndex' | 'featurizeBehaviour'> {
  const full = f as Partial<FullFeaturizer>;
  return full.behaviourIndex instanceof Int32Array && typeof full.featurizeBehaviour === 'function';
}

export async function snapshotFeatures(w: Warehouse, f: KitFeaturizer, rows: { freelancerId: string; snapshot: ProfileSnapshot }[]): Promise<SnapshotFeatures> {
  if (!isFull(f)) return { X: rows.map((r) => f.featurize(r.snapshot)), reused: 0, computed: rows.length };
  const stored = await readStoredVectors(w, f as unknown as FullFeaturizer, [...new Set(rows.map((r) => r.freelancerId))]);
  let reused = 0;
  const X = rows.map((r) => {
    const s = stored.get(r.freelancerId);
    if (!s || s.x.length !== f.spec.features.length || s.profileVersion !== profileVersion(r.snapshot.profile, f.spec.version)) return f.featurize(r.snapshot);
    reused++;
    const x = Float64Array.from(s.x);
    const b = f.featurizeBehaviour(r.snapshot.activity ?? null);
    for (let k = 0; k < b.length; k++) x[f.behaviourIndex[k]] = b[k];
    return x;
  });
  return { X, reused, computed: rows.length - reused };
}
