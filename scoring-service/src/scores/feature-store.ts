/**
 * Keeps the feature store (features/tables.ts) in step with `freelancers`: only profiles
 * whose `updated_at` moved, that are new, or whose vector belongs to another feature spec
 * are looked at; of those, only the ones whose profile version (hash of the fields features
 * read) really changed are re-analysed. Large recomputations use every core.
 */
import type { Freelancer, Profile } from '../domain/types.ts';
import { freelancers } from '../domain/tables.ts';
import type { Featurizer } from '../features/featurizer.ts';
import { profileVersion } from '../features/profile-version.ts';
import { freelancerFeatures } from '../features/tables.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { inlinePool, workerPool, type FeaturizePool } from './featurize-pool.ts';

export interface RefreshResult {
  /** Profiles whose updated_at, presence or spec version called for a check. */
  checked: number;
  /** Vectors computed anew. */
  recomputed: number;
  /** Checked but the used fields were unchanged: only source_updated_at moved. */
  unchanged: number;
  removed: number;
  seconds: number;
  workers: number;
}

/** Below this many profiles the ~1 s per worker to load kuromoji is not worth it. */
const POOL_THRESHOLD = 2000;
const BATCH = 5000;

export async function refreshFeatureStore(
  w: Warehouse, f: Featurizer,
  o: { now?: Date; onProgress?: (done: number, total: number) => void; workers?: number } = {},
): Promise<RefreshResult> {
  const t0 = performance.now();
  const d = w.dialect;
  const FF = d.table(freelancerFeatures.name);
  const FR = d.table(freelancers.name);
  const spec = f.spec.version;
  const now = (o.now ?? new Date()).toISOString();

  const before = await w.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${FF}`);
  await w.execute(`DELETE FROM ${FF} WHERE freelancer_id NOT IN (SELECT id FROM ${FR})`);
  const stale = await w.query<{ id: string }>(
    `SELECT fr.id AS id FROM ${FR} fr LEFT JOIN ${FF} s ON s.freelancer_id = fr.id
     WHERE s.freelancer_id IS NULL OR s.feature_spec_version <> @spec OR s.source_updated_at <> fr.updated_at
     ORDER BY fr.id`,
    { spec },
  );
  const afterDelete = await w.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${FF}`);
  const ids = stale.map((r) => r.id);
  const result: RefreshResult = { checked: ids.length, recomputed: 0, unchanged: 0, removed: Number(before[0].n) - Number(afterDelete[0].n), seconds: 0, workers: 0 };
  if (!ids.length) {
    result.seconds = (performance.now() - t0) / 1000;
    return result;
  }
  const pool: FeaturizePool = ids.length >= POOL_THRESHOLD && (o.workers ?? 2) > 0 ? workerPool(f, o.workers) : inlinePool(f);
  result.workers = pool.workers;
  try {
    for (let i = 0; i < ids.length; i += BATCH) {
      const chunk = ids.slice(i, i + BATCH);
      const rows = await w.query<Freelancer & { stored_version: string | null; stored_spec: string | null }>(
        `SELECT fr.*, s.profile_version AS stored_version, s.feature_spec_version AS stored_spec
         FROM ${FR} fr LEFT JOIN ${FF} s ON s.freelancer_id = fr.id WHERE ${d.arrayContains('@ids', 'fr.id')}`,
        { ids: chunk },
        { types: { ids: 'STRING[]' } },
      );
      const todo: { row: Freelancer; profile: Profile; version: string }[] = [];
      const same: string[] = [];
      for (const r of rows) {
        const profile = profileOf(r);
        const version = profileVersion(profile, spec);
        if (r.stored_version === version && r.stored_spec === spec) same.push(r.id);
        else todo.push({ row: r, profile, version });
      }
      if (same.length) {
        await w.execute(
          `UPDATE ${FF} AS s SET source_updated_at = fr.updated_at FROM ${FR} AS fr WHERE fr.id = s.freelancer_id AND ${d.arrayContains('@ids', 's.freelancer_id')}`,
          { ids: same },
          { types: { ids: 'STRING[]' } },
        );
      }
      if (todo.length) {
        const packed = await pool.packAll(todo.map((t) => t.profile));
        await w.upsert(freelancerFeatures, todo.map((t, k) => ({
          freelancer_id: t.row.id,
          profile_version: t.version,
          feature_spec_version: spec,
          source_updated_at: t.row.updated_at,
          occupation: t.row.occupation,
          features: packed[k],
          computed_at: now,
        })));
      }
      result.recomputed += todo.length;
      result.unchanged += same.length;
      o.onProgress?.(Math.min(ids.length, i + BATCH), ids.length);
    }
  } finally {
    await pool.close();
  }
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

/** The scored part of a freelancer row (what featurize reads), as plain data for workers. */
function profileOf(r: Freelancer): Profile {
  return {
    id: r.id, occupation: r.occupation, skills: r.skills ?? [], years_experience: Number(r.years_experience), self_intro: r.self_intro ?? '',
    portfolio_urls: r.portfolio_urls ?? [], hourly_rate_jpy: r.hourly_rate_jpy, availability_days_per_week: r.availability_days_per_week,
    prefecture: r.prefecture, remote_ok: Boolean(r.remote_ok), has_photo: Boolean(r.has_photo),
  };
}
