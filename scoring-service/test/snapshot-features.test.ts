/**
 * Training reuses the feature store for annotation snapshots whose profile version is stored,
 * and the result is exactly what the analyser computes from the snapshot itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { seedDemo, DEMO_NOW } from '../src/demo/generator.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { readStoredVectors, refreshFeatureStore } from '../src/scores/feature-store.ts';
import { buildTrainingSet, loadAnnotations } from '../src/training/dataset.ts';
import { snapshotFeatures } from '../src/training/snapshot-features.ts';
import { profileVersion } from '../src/features/profile-version.ts';

test('snapshot features: stored vectors reused for unchanged profiles, edited snapshots analysed afresh, all equal to featurize(snapshot)', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate(allTables);
    await seedDemo(w, { freelancers: 120, annotations: 150, seed: 5, now: DEMO_NOW });
    const f = await loadFeaturizer();
    const ts = buildTrainingSet(await loadAnnotations(w));
    const rows = ts.examples.map((e) => ({ freelancerId: e.freelancerId, snapshot: e.snapshot }));

    const cold = await snapshotFeatures(w, f, rows);
    assert.equal(cold.reused, 0, 'nothing stored yet');
    assert.equal(cold.computed, rows.length);

    await refreshFeatureStore(w, f, { now: DEMO_NOW, workers: 0 });
    // One snapshot whose profile was edited after it was stored: its own text must be analysed.
    const edited = { ...rows[0], snapshot: { ...rows[0].snapshot, profile: { ...rows[0].snapshot.profile, self_intro: 'TypeScriptで10年、決済基盤を設計しました。' } } };
    const all = [edited, ...rows.slice(1)];
    const warm = await snapshotFeatures(w, f, all);
    // Expected reuse: snapshots whose profile still has the version stored (the demo edits some
    // profiles after they were annotated, as real freelancers do).
    const stored = await readStoredVectors(w, f, all.map((r) => r.freelancerId));
    const expected = all.filter((r) => stored.get(r.freelancerId)?.profileVersion === profileVersion(r.snapshot.profile, f.spec.version)).length;
    assert.ok(expected >= rows.length / 2, `most snapshots are current (${expected} of ${rows.length})`);
    assert.equal(warm.reused, expected);
    assert.ok(warm.computed >= 1, 'the edited snapshot is analysed');
    all.forEach((r, i) => assert.deepEqual(Array.from(warm.X[i]), Array.from(f.featurize(r.snapshot)), `row ${i} (${r.freelancerId}) equals featurize(snapshot)`));
    assert.ok(all.some((r) => r.snapshot.activity), 'some snapshots carry activity, so behaviour features are exercised');
  } finally {
    await w.close();
  }
});
