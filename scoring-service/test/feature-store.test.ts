import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { coreTables, freelancers } from '../src/domain/tables.ts';
import { featuresTables, legacyFreelancerFeatures } from '../src/features/tables.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { packList, packVector, unpackListInto } from '../src/features/packing.ts';
import { profileVersion } from '../src/features/profile-version.ts';
import { readStoredVectors, refreshFeatureStore } from '../src/scores/feature-store.ts';
import type { Freelancer } from '../src/domain/types.ts';

function freelancer(i: number): Freelancer {
  return {
    id: `g${String(i).padStart(3, '0')}`, occupation: ['エンジニア', 'デザイナー'][i % 2], skills: [['React', 'AWS'], ['Figma']][i % 2], years_experience: i % 9,
    self_intro: `${i + 2}年間、Webサービスの開発に携わりました。`.repeat(1 + (i % 3)), portfolio_urls: [], hourly_rate_jpy: 3000 + 50 * i, availability_days_per_week: 4,
    prefecture: '東京都', remote_ok: true, has_photo: i % 2 === 0, registered_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-05-01T00:00:00.000Z', last_login_at: null,
  };
}

test('stored lists round-trip exactly; a list of another length or a malformed one is refused', () => {
  const x = Float64Array.from([0, 1.5, 0, -2e-300, Math.PI, 0, 1 / 3]);
  const list = packList(x);
  assert.deepEqual(list, [7, 1, 3, 4, 6, 1.5, -2e-300, Math.PI, 1 / 3]);
  const padded = [9, 9, ...list, 9];
  const out = new Float64Array(7).fill(5);
  assert.ok(unpackListInto(padded, 2, 2 + list.length, out), 'reads a slice of a flat batch');
  assert.deepEqual(out, x);
  assert.equal(unpackListInto(list, 0, list.length, new Float64Array(8)), false);
  assert.equal(unpackListInto([3, 0], 0, 2, new Float64Array(3)), false, 'even length');
  assert.equal(unpackListInto([3, 5, 1], 0, 3, new Float64Array(3)), false, 'index out of range');
  assert.deepEqual(packList(new Float64Array(4)), [4]);
});

test('a feature store written by an earlier version (base64 strings) is converted without re-analysis, then the old table is dropped', async () => {
  const f = await loadFeaturizer();
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    // An earlier version's data directory: the old table, as it created it.
    await w.migrate([...coreTables, legacyFreelancerFeatures]);
    const rows = Array.from({ length: 6 }, (_, i) => freelancer(i));
    await w.upsert(freelancers, rows as unknown as Record<string, unknown>[]);
    await w.upsert(legacyFreelancerFeatures, rows.map((r, i) => ({
      freelancer_id: r.id,
      profile_version: profileVersion(r, i === 5 ? 'fs0-old' : f.spec.version),
      feature_spec_version: i === 5 ? 'fs0-old' : f.spec.version,
      source_updated_at: r.updated_at,
      occupation: r.occupation,
      features: packVector(f.featurize({ profile: r, activity: null })),
      computed_at: '2025-05-02T00:00:00.000Z',
    })));
    await w.migrate(featuresTables);

    const res = await refreshFeatureStore(w, f, { now: new Date('2026-01-01T00:00:00Z'), workers: 0 });
    assert.equal(res.checked, 1, 'only the row of another feature spec is looked at');
    assert.equal(res.recomputed, 1);
    await assert.rejects(w.query('SELECT COUNT(*) AS n FROM freelancer_features'), /freelancer_features/, 'legacy table dropped');
    const kept = await w.query<{ freelancer_id: string; computed_at: string }>('SELECT freelancer_id, computed_at FROM freelancer_feature_vectors ORDER BY freelancer_id');
    assert.deepEqual(kept.map((r) => r.computed_at), [...Array(5).fill('2025-05-02T00:00:00.000Z'), '2026-01-01T00:00:00.000Z']);

    const stored = await readStoredVectors(w, f, rows.map((r) => r.id));
    assert.equal(stored.size, 6);
    for (const r of rows) {
      assert.deepEqual(Array.from(stored.get(r.id)!.x), Array.from(f.featurize({ profile: r, activity: null })), `${r.id}: converted vector is exact`);
      assert.equal(stored.get(r.id)!.profileVersion, profileVersion(r, f.spec.version));
    }
    // A second refresh: nothing to convert (the old table is gone), nothing to check.
    assert.equal((await refreshFeatureStore(w, f, { workers: 0 })).checked, 0);
  } finally {
    await w.close();
  }
});

test('a pooled refresh over several batches (next batch loaded while one is analysed) stores exactly the inline vectors', async () => {
  const f = await loadFeaturizer();
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate([...coreTables, ...featuresTables]);
    const rows = Array.from({ length: 130 }, (_, i) => freelancer(i));
    await w.upsert(freelancers, rows as unknown as Record<string, unknown>[]);
    const progress: number[] = [];
    const res = await refreshFeatureStore(w, f, { workers: 2, batch: 40, poolFrom: 1, onProgress: (done) => progress.push(done) });
    assert.deepEqual([res.checked, res.recomputed, res.workers], [130, 130, 2]);
    assert.deepEqual(progress, [40, 80, 120, 130]);
    const stored = await readStoredVectors(w, f, rows.map((r) => r.id));
    for (const r of rows) assert.deepEqual(Array.from(stored.get(r.id)!.x), Array.from(f.featurize({ profile: r, activity: null })), r.id);

    // Touch every updated_at, change one profile: one recomputation, the rest only re-stamped, across batches.
    await w.execute(`UPDATE freelancers SET updated_at = updated_at + INTERVAL 1 DAY`);
    await w.execute(`UPDATE freelancers SET self_intro = 'まったく別の自己紹介です。' WHERE id = 'g077'`);
    const again = await refreshFeatureStore(w, f, { workers: 2, batch: 40, poolFrom: 1 });
    assert.deepEqual([again.checked, again.recomputed, again.unchanged], [130, 1, 129]);
    assert.equal((await refreshFeatureStore(w, f, { workers: 2, batch: 40, poolFrom: 1 })).checked, 0);
  } finally {
    await w.close();
  }
});
