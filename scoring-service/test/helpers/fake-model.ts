/** A deterministic LiveModel for HTTP tests that must not depend on the real featurizer. */
import type { FreelancerScore, ProfileSnapshot } from '../../src/domain/types.ts';
import type { LiveModel } from '../../src/model/types.ts';
import { buildScoreTable, LiveHolder } from '../../src/scores/live.ts';

export function fakeModel(version = 'm-test-1'): LiveModel {
  const explain = (s: ProfileSnapshot) => {
    const contributions = [
      { feature: 'years_experience', value: s.profile.years_experience, contribution: 0.1 * s.profile.years_experience },
      { feature: 'skill_count', value: s.profile.skills.length, contribution: 0.2 * s.profile.skills.length },
    ];
    const raw = 2 + contributions.reduce((a, c) => a + c.contribution, 0);
    return { raw, score: Math.min(5, Math.max(1, raw)), intercept: 2, contributions };
  };
  return {
    version,
    featureSpecVersion: 'fake-1',
    explain,
    score(s) {
      const e = explain(s);
      return {
        score: e.score,
        percentile: 50,
        occupation_percentile: 50,
        reasons: e.contributions.map((c) => ({ feature: c.feature, label: c.feature === 'skill_count' ? 'スキル数' : '経験年数', contribution: c.contribution })),
      };
    },
    toJSON: () => ({ type: 'fake', version }),
  };
}

export function liveWithScores(n: number, version = 'm-test-1'): LiveHolder {
  const rows: FreelancerScore[] = [];
  for (let i = 0; i < n; i++) {
    rows.push({
      freelancer_id: `f${String(i).padStart(5, '0')}`,
      model_version: version,
      score: 1 + (i % 40) / 10,
      percentile: (100 * i) / n,
      occupation_percentile: 50,
      occupation: 'エンジニア',
      reasons: [{ feature: 'years_experience', label: '経験年数', contribution: 0.3 }],
      scored_at: '2026-11-01T00:00:00.000Z',
    });
  }
  const live = new LiveHolder();
  live.swap({ model: fakeModel(version), scores: buildScoreTable(version, '2026-11-01T00:00:00.000Z', rows) });
  return live;
}
