import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pooledPercentile } from '../bench/online.ts';

const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) < 1e-6, `${msg}: ${a} vs ${b}`);

test('pooled percentile of one round is its own percentile', () => {
  const pct: [number, number][] = [[0, 0.5], [50, 2], [90, 4], [99, 7.5], [99.9, 12], [100, 30]];
  close(pooledPercentile([{ requests: 1000, pct }], 99), 7.5, 'p99');
  close(pooledPercentile([{ requests: 1000, pct }, { requests: 50, pct }], 50), 2, 'identical rounds pool to the same curve');
});

test('rounds are mixed by request count', () => {
  const uniform = (lo: number, hi: number): [number, number][] => [[0, lo], [100, hi]];
  close(pooledPercentile([{ requests: 10, pct: uniform(0, 10) }, { requests: 10, pct: uniform(10, 20) }], 50), 10, 'equal halves: median at the seam');
  close(pooledPercentile([{ requests: 10, pct: uniform(0, 10) }, { requests: 10, pct: uniform(10, 20) }], 99), 19.8, 'p99 in the upper half');
  // 90 % of requests fast, 10 % slow: the pooled p99 is the slow round's 90th percentile.
  close(pooledPercentile([{ requests: 900, pct: uniform(0, 10) }, { requests: 100, pct: uniform(100, 200) }], 99), 190, 'weighted');
  // One bad round of few requests does not set the p99 of many.
  const p = pooledPercentile([{ requests: 9900, pct: uniform(1, 5) }, { requests: 100, pct: uniform(5, 40) }], 99);
  assert.ok(p <= 5 + 1e-6, `p99 ${p}`);
});
