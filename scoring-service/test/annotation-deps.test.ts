/**
 * The queue's production featurizer (annotation/deps.ts) gives the uncertainty model the
 * features training uses: demand features from the warehouse's job postings, and a key that
 * changes when the postings do (so the queue re-featurizes its pool).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { jobs } from '../src/domain/tables.ts';
import { productionDeps } from '../src/annotation/deps.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { demandFeatures, loadSkillDemand } from '../src/features/skill-demand.ts';
import type { Freelancer, ProfileSnapshot } from '../src/domain/types.ts';

const job = (i: number, occupation: string, skills: string[]) => ({ id: `j${i}`, company_id: 'c1', title: 't', occupation, skills, posted_at: '2026-01-01T00:00:00.000Z' });

const profile = (skills: string[]): ProfileSnapshot => ({
  profile: {
    id: 'f1', occupation: 'エンジニア', skills, years_experience: 3, self_intro: 'Reactでの開発経験が3年あります。', portfolio_urls: [], hourly_rate_jpy: 4000,
    availability_days_per_week: 3, prefecture: '東京都', remote_ok: true, has_photo: true,
    registered_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-06-01T00:00:00.000Z', last_login_at: null,
  } as Freelancer,
  activity: null,
});

test('the queue featurizer fills demand features from the job postings, keyed by the postings', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate(allTables);
    await w.upsert(jobs, Array.from({ length: 10 }, (_, i) => job(i, 'エンジニア', ['React', 'AWS'])));
    const f = await loadFeaturizer();
    const qf = await productionDeps().featurizer(w);
    const s = profile(['React', 'Excel']);
    const x = qf.featurize(s);
    const expected = demandFeatures(await loadSkillDemand(w), s.profile);
    assert.ok(expected.some((v) => v !== 0), 'React is asked for: some demand feature is non-zero');
    assert.deepEqual(Array.from(f.demandIndex, (i) => x[i]), Array.from(expected));
    // Everything else is the featurizer's.
    const plain = f.featurize(s);
    plain.forEach((v, i) => {
      if (!f.demandIndex.includes(i)) assert.equal(x[i], v, f.spec.features[i].name);
    });
    const again = await productionDeps().featurizer(w);
    assert.equal(again.key, qf.key, 'same postings, same key');
    await w.upsert(jobs, Array.from({ length: 10 }, (_, i) => job(100 + i, 'エンジニア', ['Go'])));
    const changed = await productionDeps().featurizer(w);
    assert.notEqual(changed.key, qf.key, 'new postings, new key');
  } finally {
    await w.close();
  }
});
