/**
 * `npm run bench [name…]`: runs each benchmark in scoring-service/bench/ (files without a
 * `-server`/`result` role) one after another, each in its own process so none disturbs
 * another; every benchmark prints ratios against a reference measured in the same run and
 * writes bench-results/<name>.json. A summary table is written to bench-results/summary.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'scoring-service/bench');
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !/(-server|-worker|^result|^_|-lib)\.ts$|^result\.ts$/.test(f) && !f.includes('.lib.'))
  .filter((f) => !wanted.length || wanted.some((w) => f.includes(w)))
  .sort();
const summary: string[] = ['| benchmark | exit | seconds |', '| --- | --- | --- |'];
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], { cwd: root, stdio: 'inherit', env: process.env });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  summary.push(`| ${f} | ${r.status} | ${secs} |`);
  if (r.status !== 0) failed++;
}
fs.mkdirSync(path.join(root, 'bench-results'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench-results/summary.md'), summary.join('\n') + '\n');
console.log('\n' + summary.join('\n'));
process.exit(failed ? 1 : 0);
