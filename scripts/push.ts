/**
 * `npm run push [-- --prod]`: lint → test → build → `clasp push --force` (the manifest may have
 * changed; without --force clasp stops to ask). Dev pushes with .clasp.json, prod with
 * .clasp.prod.json. Stops at the first failing step; a missing `clasp login` is named plainly.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildAppsScript } from './build-appsscript.ts';
import { repoRoot } from './build-sidebar.ts';

const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

export interface StepResult {
  status: number;
  output: string;
}

export function claspPush(o: { prod?: boolean; env?: NodeJS.ProcessEnv } = {}): StepResult {
  const project = path.join(repoRoot, o.prod ? '.clasp.prod.json' : '.clasp.json');
  const r = spawnSync(bin('clasp'), ['-P', project, 'push', '--force'], { cwd: repoRoot, env: o.env ?? process.env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Turns clasp's output into the message the developer needs. */
export function explainClaspFailure(output: string): string {
  if (/No credentials found/i.test(output))
    return 'clasp push failed: No credentials found. — run `npx clasp login` once (clasp にログインしていません。`npx clasp login` を実行してください)';
  if (/User has not enabled the Apps Script API/i.test(output))
    return 'clasp push failed: enable the Apps Script API at https://script.google.com/home/usersettings (Apps Script API を有効にしてください)';
  return `clasp push failed:\n${output.trim()}`;
}

function step(name: string, cmd: string, args: string[]): void {
  console.log(`# ${name}`);
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`push stopped: ${name} failed`);
    process.exit(r.status ?? 1);
  }
}

async function main(argv: string[]): Promise<void> {
  const prod = argv.includes('--prod');
  step('lint', bin('eslint'), ['.', '--max-warnings=0']);
  step('test', process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'test.ts'), '--no-lint']);
  console.log('# build');
  const b = await buildAppsScript();
  console.log(`built ${b.files.join(', ')} (${b.globals.length} globals)`);
  console.log(`# clasp push --force (${prod ? 'prod' : 'dev'})`);
  const r = claspPush({ prod });
  if (r.status !== 0) {
    console.error(explainClaspFailure(r.output));
    process.exit(r.status || 1);
  }
  process.stdout.write(r.output);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
