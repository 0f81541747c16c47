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
import { packList, unpackInto, unpackListInto } from '../features/packing.ts';
import { freelancerFeatures, legacyFreelancerFeatures } from '../features/tables.ts';
import { skillKeysOf } from '../features/skill-demand.ts';
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

/** Below this many profiles the ~2 s for a worker to load kuromoji is not worth it. */
const POOL_THRESHOLD = 2000;
const DEFAULT_BATCH = 5000;

export async function refreshFeatureStore(
  w: Warehouse, f: Featurizer,
  o: {
    now?: Date; onProgress?: (done: number, total: number) => void;
    /** Threads featurizing a large recomputation, the calling one included (default: every core; 0 = inline). */
    workers?: number;
    /** Profiles read and written per round (default 5000) and the fewest worth a pool (default 2000): tests make them small. */
    batch?: number; poolFrom?: number;
  } = {},
): Promise<RefreshResult> {
  const t0 = performance.now();
  const d = w.dialect;
  const FF = d.table(freelancerFeatures.name);
  const FR = d.table(freelancers.name);
  const spec = f.spec.version;
  const now = (o.now ?? new Date()).toISOString();
  // Stores made before skill_keys existed gain the column (their rows belong to an older
  // feature spec, so every one is recomputed below and gets its keys).
  await w.execute(`ALTER TABLE ${FF} ADD COLUMN IF NOT EXISTS skill_keys ${d.columnType('FLOAT64[]')}`);
  await convertLegacyStore(w, f);

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
  const BATCH = o.batch ?? DEFAULT_BATCH;
  const pool: FeaturizePool = ids.length >= (o.poolFrom ?? POOL_THRESHOLD) && o.workers !== 0 ? workerPool(f, o.workers) : inlinePool(f);
  result.workers = pool.workers;
  try {
    type Stored = Freelancer & { stored_version: string | null; stored_spec: string | null };
    // ids are sorted: the range test lets the warehouse skip the id-list test for all other rows.
    const load = (chunk: string[]) => w.query<Stored>(
      `SELECT fr.*, s.profile_version AS stored_version, s.feature_spec_version AS stored_spec
       FROM ${FR} fr LEFT JOIN ${FF} s ON s.freelancer_id = fr.id
       WHERE fr.id BETWEEN @lo AND @hi AND ${d.arrayContains('@ids', 'fr.id')}`,
      { ids: chunk, lo: chunk[0], hi: chunk[chunk.length - 1] },
      { types: { ids: 'STRING[]' } },
    );
    let next: Promise<Stored[]> | null = load(ids.slice(0, BATCH));
    for (let i = 0; i < ids.length; i += BATCH) {
      const chunk = ids.slice(i, i + BATCH);
      const rows = await next!;
      // The next batch loads while this one is analysed.
      next = i + BATCH < ids.length ? load(ids.slice(i + BATCH, i + 2 * BATCH)) : null;
      next?.catch(() => {});
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
          `UPDATE ${FF} AS s SET source_updated_at = fr.updated_at FROM ${FR} AS fr
           WHERE fr.id = s.freelancer_id AND s.freelancer_id BETWEEN @lo AND @hi AND ${d.arrayContains('@ids', 's.freelancer_id')}`,
          { ids: same, lo: chunk[0], hi: chunk[chunk.length - 1] },
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
          vector: packed[k],
          skill_keys: skillKeysOf(t.profile),
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

/**
 * The stored vector (full spec length; behaviour entries as stored, i.e. for no activity)
 * and its profile version for each id that has a row for the featurizer's spec version.
 * Ids without such a row are absent from the map. Training reuses these for annotation
 * snapshots whose profileVersion matches.
 */
export async function readStoredVectors(w: Warehouse, f: Featurizer, ids: string[]): Promise<Map<string, { profileVersion: string; x: Float64Array }>> {
  const out = new Map<string, { profileVersion: string; x: Float64Array }>();
  if (!ids.length) return out;
  await w.migrate([freelancerFeatures]);
  const D = f.spec.features.length;
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += DEFAULT_BATCH) {
    for await (const b of w.streamColumns(
      `SELECT freelancer_id, profile_version, vector FROM ${w.dialect.table(freelancerFeatures.name)}
       WHERE feature_spec_version = @spec AND ${w.dialect.arrayContains('@ids', 'freelancer_id')}`,
      { spec: f.spec.version, ids: unique.slice(i, i + DEFAULT_BATCH) },
      { freelancer_id: 'STRING', profile_version: 'STRING', vector: 'FLOAT64[]' },
      { types: { ids: 'STRING[]' } },
    )) {
      const { freelancer_id: id, profile_version: pv, vector: v } = b.columns;
      for (let r = 0; r < b.rows; r++) {
        const x = new Float64Array(D);
        if (!unpackListInto(v.values, v.offsets[r], v.offsets[r + 1], x)) throw new RangeError(`stored features of ${id[r]} do not have ${D} entries`);
        out.set(id[r]!, { profileVersion: pv[r]!, x });
      }
    }
  }
  return out;
}

/**
 * Earlier versions stored vectors as base64 strings in `freelancer_features`. When the
 * current store is empty and that table exists, its rows of this feature spec move over
 * (same vectors, no re-analysis), then it is dropped. Rows of other specs would be
 * recomputed anyway and are not carried over.
 */
async function convertLegacyStore(w: Warehouse, f: Featurizer): Promise<number> {
  const d = w.dialect;
  const FF = d.table(freelancerFeatures.name);
  const OLD = d.table(legacyFreelancerFeatures.name);
  const [{ n }] = await w.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${FF}`);
  if (Number(n) > 0) return 0;
  try {
    await w.query(`SELECT COUNT(*) AS n FROM ${OLD}`);
  } catch {
    return 0; // no legacy table: a new data directory
  }
  const D = f.spec.features.length;
  const x = new Float64Array(D);
  let moved = 0;
  for await (const rows of w.stream<Record<string, unknown> & { freelancer_id: string; features: string }>(
    `SELECT * FROM ${OLD} WHERE feature_spec_version = @spec`, { spec: f.spec.version }, DEFAULT_BATCH,
  )) {
    const converted = rows.flatMap(({ features, ...rest }) => (unpackInto(features, x) ? [{ ...rest, vector: packList(x) }] : []));
    moved += await w.upsert(freelancerFeatures, converted);
  }
  await w.execute(`DROP TABLE ${OLD}`);
  return moved;
}
