/** The 実験 sheet layout (appsscript/src/experiments/layout.ts) from real service results. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeResults } from '../src/experiments/results.ts';
import { rankTargets } from '../src/uplift/targeting.ts';
import { experimentSheetLayout, toGrids, EXPERIMENT_SHEET } from '../../appsscript/src/experiments/layout.ts';
import type { Experiment } from '../src/experiments/types.ts';

const e: Experiment = {
  id: 'x1', name: '求人メール', hypothesis: 'メールでマッチが増える', unit_type: 'freelancer', goal_metric: 'match', secondary_metrics: [],
  arms: [{ name: 'control', weight: 1 }, { name: 'mail', weight: 1 }], salt: 's', start_at: '2026-10-01T00:00:00.000Z', end_at: '2026-10-31T00:00:00.000Z',
  status: 'running', pre_period_days: 28, created_by: 't', created_at: '2026-09-01T00:00:00.000Z', updated_at: '2026-09-01T00:00:00.000Z',
};

function outcomes(nc: number, cc: number, nt: number, ct: number) {
  const out = [];
  for (let i = 0; i < nc; i++) out.push({ unit_id: `c${i}`, arm: 'control', y: [i < cc ? 1 : 0], x: [0] });
  for (let i = 0; i < nt; i++) out.push({ unit_id: `t${i}`, arm: 'mail', y: [i < ct ? 1 : 0], x: [0] });
  return out;
}

test('the sheet shows per-arm rates and intervals from the results, and the ranked targets', () => {
  const r = computeResults(e, outcomes(1000, 100, 1000, 150), { now: new Date('2026-11-01T00:00:00Z') });
  const targets = rankTargets(['a', 'b'], { uplift: [0.01, 0.2], pTreatment: [0.2, 0.4], pControl: [0.19, 0.2], pConvert: [0.19, 0.2] });
  const l = experimentSheetLayout(JSON.parse(JSON.stringify(r)), { run_id: 'u1', items: targets });
  assert.equal(l.name, EXPERIMENT_SHEET);
  const g = toGrids(l);
  const armRow = g.values.findIndex((row) => row[0] === 'mail');
  const v = r.stats.metrics[0].variants[0];
  assert.deepEqual(g.values[armRow].slice(1, 7), [1000, 150, 0.15, v.absolute.estimate, v.absolute.lower, v.absolute.upper]);
  assert.equal(g.formats[armRow][3], '0.00%');
  assert.equal(g.weights[armRow][4], 'bold', 'significant lift is emphasised');
  const first = g.values.findIndex((row) => row[0] === 1 && row[1] === 'b');
  assert.equal(g.values[first][2], '説得可能');
  assert.ok(g.values.every((row) => row.length === g.width));
});

test('an SRM alarm and small samples appear as highlighted warnings', () => {
  const r = computeResults(e, outcomes(80, 3, 30, 2), { now: new Date('2026-11-01T00:00:00Z') });
  const g = toGrids(experimentSheetLayout(JSON.parse(JSON.stringify(r)), null));
  const warnings = g.values.map((row, i) => [row[1], g.backgrounds[i][0]]).filter(([, bg]) => bg === '#fdecea' || bg === '#fff4e5');
  assert.ok(warnings.some(([m]) => String(m).includes('SRM')), 'SRM warning row');
  assert.ok(warnings.some(([m]) => String(m).includes('少なすぎ')), 'small-sample warning row');
  assert.ok(g.values.some((row) => String(row[0]).startsWith('ターゲティングリスト: まだ')));
});
