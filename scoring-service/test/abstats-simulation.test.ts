/**
 * The statistics on generated data with known effects (seeded, so every run sees the same
 * draws). Tolerances: 200 experiments at 95 % coverage → binomial sd ≈ 3.1, the 92–98 %
 * band is ±2 sd; the assignment split is checked within 4 binomial sd.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../src/stats/rng.ts';
import { compareMoments } from '../src/stats/experiments/frequentist.ts';
import { srmCheck } from '../src/stats/experiments/srm.ts';
import { assignArm, bucketOf } from '../src/experiments/assign.ts';

function conversions(rng: () => number, n: number, p: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (rng() < p) c++;
  return c;
}

test('95% intervals of the absolute and relative lift cover the true effect in 92–98% of 200 simulated experiments', () => {
  const rng = seededRandom(20261129);
  const n = 2000;
  const pc = 0.1;
  const pt = 0.12;
  let coverAbs = 0;
  let coverRel = 0;
  for (let s = 0; s < 200; s++) {
    const cc = conversions(rng, n, pc);
    const ct = conversions(rng, n, pt);
    const r = compareMoments({ n, sum: ct, sumSq: ct }, { n, sum: cc, sumSq: cc });
    if (r.absolute.lower <= pt - pc && pt - pc <= r.absolute.upper) coverAbs++;
    if (r.relative!.lower <= pt / pc - 1 && pt / pc - 1 <= r.relative!.upper) coverRel++;
  }
  assert.ok(coverAbs >= 184 && coverAbs <= 196, `absolute coverage ${coverAbs}/200`);
  assert.ok(coverRel >= 184 && coverRel <= 196, `relative coverage ${coverRel}/200`);
});

test('SRM fires on a 52/48 split of 100k units and stays quiet on 50/50 (hash assignment)', () => {
  const units = Array.from({ length: 100_000 }, (_, i) => `u${i}`);
  const count = (weights: number[]) => {
    const arms = weights.map((w, i) => ({ name: `a${i}`, weight: w }));
    const c = weights.map(() => 0);
    for (const u of units) c[Number(assignArm(arms, 'srm-test', u).arm.slice(1))]++;
    return c;
  };
  const skewed = count([52, 48]);
  assert.ok(srmCheck(skewed, [1, 1]).alarm, `52/48 split ${skewed} must alarm`);
  const even = count([50, 50]);
  const quiet = srmCheck(even, [1, 1]);
  assert.ok(!quiet.alarm, `50/50 split ${even} must be quiet (p=${quiet.p_value})`);
});

test('assignment is stable, respects weights within binomial tolerance, and a new salt reshuffles', () => {
  const arms = [{ name: 'control', weight: 1 }, { name: 'b', weight: 2 }, { name: 'c', weight: 1 }];
  const n = 40_000;
  const counts: Record<string, number> = { control: 0, b: 0, c: 0 };
  for (let i = 0; i < n; i++) counts[assignArm(arms, 'salt-1', `f${i}`).arm]++;
  for (const [arm, share] of [['control', 0.25], ['b', 0.5], ['c', 0.25]] as const) {
    const sd = Math.sqrt(n * share * (1 - share));
    assert.ok(Math.abs(counts[arm] - n * share) <= 4 * sd, `${arm}: ${counts[arm]} vs ${n * share} ± ${4 * sd}`);
  }
  assert.equal(assignArm(arms, 'salt-1', 'f42').arm, assignArm(arms, 'salt-1', 'f42').arm);
  let same = 0;
  for (let i = 0; i < 2000; i++) if (assignArm(arms, 'salt-1', `f${i}`).arm === assignArm(arms, 'salt-2', `f${i}`).arm) same++;
  // Independent salts agree with probability Σ share² = 0.375.
  assert.ok(Math.abs(same / 2000 - 0.375) < 0.05, `agreement across salts ${same / 2000}`);
  const b = bucketOf('x', 'y');
  assert.ok(b >= 0 && b < 1);
});
