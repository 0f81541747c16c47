/**
 * The planner's walk-through from the README, through the CLI on a temporary DATA_DIR
 * (no service running, so the CLI opens its own DuckDB file there).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/cli/index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workship-exp-cli-'));
const env = { DATA_DIR: dir, SEED_ON_EMPTY: 'false', API_TOKENS: 'cli-test-admin=admin' };
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['experiment', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('power → create → simulate → import (with a bad file first) → results → uplift → report → targeting CSV', async () => {
  const power = await cli('power', '--baseline', '0.1', '--mde', '0.2', '--daily-units', '400');
  assert.equal(power.code, 0, power.err);
  assert.equal(JSON.parse(power.out).control, 3841, 'statsmodels samplesize_proportions_2indep_onetail(0.02, 0.12, 0.8) = 3840.85 → 3841');
  assert.equal((await cli('power', '--baseline', '0.1')).code, 2);

  const start = new Date(Date.now() - 40 * 86_400_000).toISOString();
  const end = new Date(Date.now() - 5 * 86_400_000).toISOString();
  const created = await cli('create', '--id', 'mail-1', '--name', 'メール施策', '--goal', 'match', '--secondary', 'message', '--arms', 'control:1,mail:1', '--start', start, '--end', end);
  assert.equal(created.code, 0, created.err);
  assert.equal((await cli('create', '--id', 'mail-1', '--name', 'x', '--goal', 'match')).code, 1, 'duplicate id');

  const sim = await cli('simulate', 'mail-1', '--out-dir', dir, '--units', '3000', '--seed', '3');
  assert.equal(sim.code, 0, sim.err);
  const bad = path.join(dir, 'bad.csv');
  fs.writeFileSync(bad, 'unit_id,arm\nu1,control\nu2,green\n');
  const rejected = await cli('import-assignments', 'mail-1', bad);
  assert.equal(rejected.code, 1);
  assert.match(rejected.err, /bad\.csv:3: arm must be one of control, mail/);

  assert.equal((await cli('import-assignments', 'mail-1', path.join(dir, 'assignments.csv'))).code, 0);
  const imported = await cli('import-outcomes', 'mail-1', path.join(dir, 'outcomes.csv'));
  assert.equal(imported.code, 0, imported.err);

  const results = await cli('results', 'mail-1', '--cuped');
  assert.equal(results.code, 0, results.err);
  assert.match(results.out, /SRM: χ²=[\d.]+ p=[\d.e-]+ ok/);
  assert.match(results.out, /match \(goal\)/);
  const json = JSON.parse((await cli('results', 'mail-1', '--json')).out);
  assert.equal(json.stats.metrics[0].arms.reduce((a: number, r: any) => a + r.units, 0), 3000);

  const uplift = await cli('uplift', 'mail-1');
  assert.equal(uplift.code, 0, uplift.err);
  assert.match(uplift.out, /Qini coefficient/);

  const report = path.join(dir, 'report.html');
  assert.equal((await cli('report', 'mail-1', '--cuped', '--out', report)).code, 0);
  assert.ok(fs.readFileSync(report, 'utf8').includes('Qini'));

  const csvFile = path.join(dir, 'targets.csv');
  const targets = await cli('targeting', 'mail-1', '--csv', '--segment', 'persuadable', '--out', csvFile);
  assert.equal(targets.code, 0, targets.err);
  const lines = fs.readFileSync(csvFile, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'rank,unit_id,segment,uplift,p_treatment,p_control,p_convert');
  assert.ok(lines.length > 1 && lines.slice(1).every((l) => l.includes(',persuadable,')));

  const list = await cli('list');
  assert.match(list.out, /mail-1\s+running\s+3000 units/);
});
