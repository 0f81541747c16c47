/**
 * Deterministic assignment: SHA-256 of `salt:unit` → the first 48 bits as a number in
 * [0, 1) → the arm whose cumulative weight interval contains it. The same unit always
 * gets the same arm for a given salt, and a new salt reshuffles everyone independently
 * of other experiments.
 */
import { createHash } from 'node:crypto';
import type { Arm } from './types.ts';

export function bucketOf(salt: string, unit: string): number {
  const d = createHash('sha256').update(`${salt}:${unit}`, 'utf8').digest();
  return d.readUIntBE(0, 6) / 2 ** 48;
}

export function armForBucket(arms: Arm[], bucket: number): string {
  const total = arms.reduce((a, b) => a + b.weight, 0);
  let acc = 0;
  for (const a of arms) {
    acc += a.weight / total;
    if (bucket < acc) return a.name;
  }
  return arms[arms.length - 1].name;
}

export function assignArm(arms: Arm[], salt: string, unit: string): { arm: string; bucket: number } {
  const bucket = bucketOf(salt, unit);
  return { arm: armForBucket(arms, bucket), bucket };
}
