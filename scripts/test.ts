/**
 * The one gate: type-check, lint, then every test file under node's test runner (tsx).
 * Node 20's runner does not expand globs, so the files are listed here.
 * Flags: --no-typecheck, --no-lint, and any further arguments filter test files by substring.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const filters = args.filter((a) => !a.startsWith('--'));

function run(cmd: string, cmdArgs: string[]): number {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

function listTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTests(p));
    else if (/\.test\.ts$/.test(e.name)) out.push(path.relative(root, p));
  }
  return out.sort();
}

const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

if (!flags.has('--no-typecheck')) {
  for (const p of ['.', 'scoring-service', 'appsscript', 'sheets-addon', 'appsscript/test', 'sheets-addon/test']) {
    console.log(`# typecheck ${p}`);
    if (run(bin('tsc'), ['-p', p, '--noEmit']) !== 0) process.exit(1);
  }
}
if (!flags.has('--no-lint')) {
  console.log('# lint');
  if (run(bin('eslint'), ['.', '--max-warnings=0']) !== 0) process.exit(1);
}

let files = ['scoring-service/test', 'appsscript/test', 'sheets-addon/test', 'scripts/test'].flatMap((d) => listTests(path.join(root, d)));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (!files.length) {
  console.error('no test files found');
  process.exit(1);
}
// One file at a time keeps DuckDB, kuromoji and Chromium from competing for the 2 cores.
const concurrency = flags.has('--parallel') ? '2' : '1';
process.exit(run(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=tap', ...files]));
