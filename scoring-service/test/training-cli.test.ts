import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/cli/index.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

test('cli train and models work on a DATA_DIR without a running service; activate requires --reason', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workship-cli-train-'));
  const env = { DATA_DIR: dir, API_TOKENS: 'cli-test-admin-token=admin:ops@example.com' };
  try {
    const a = io();
    assert.equal(await runCli(['models', 'activate', 'm-x'], a.io, env), 2);
    assert.match(a.err.join('\n'), /--reason is required/);

    const t = io();
    assert.equal(await runCli(['train', '--json', '--reason', 'first try'], t.io, env), 0, t.err.join('\n'));
    const result = JSON.parse(t.out.join('\n'));
    assert.equal(result.decision, 'no_data', 'an empty warehouse has nothing to learn from');

    const l = io();
    assert.equal(await runCli(['models', 'list'], l.io, env), 0);
    assert.deepEqual(JSON.parse(l.out.join('\n')).items, []);
    const h = io();
    assert.equal(await runCli(['models', 'history'], h.io, env), 0);
    assert.deepEqual(JSON.parse(h.out.join('\n')).items, []);
    const s = io();
    assert.equal(await runCli(['models', 'show', 'nope'], s.io, env), 1);
    assert.equal(await runCli(['models', 'bogus'], io().io, env), 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
