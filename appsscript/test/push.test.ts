/** The push script's clasp step, run for real: without a login clasp stops at once, and we say why. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claspPush, explainClaspFailure } from '../../scripts/push.ts';
import { buildAppsScript } from '../../scripts/build-appsscript.ts';

test('clasp push without credentials fails fast with "No credentials found." surfaced clearly', async () => {
  await buildAppsScript({ sidebar: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-home-'));
  const env = { PATH: process.env.PATH, HOME: home, USERPROFILE: home };
  const started = Date.now();
  const r = claspPush({ env });
  assert.notEqual(r.status, 0);
  assert.match(r.output, /No credentials found\./);
  assert.ok(Date.now() - started < 30_000, 'clasp must fail at once, not hang on a network call');
  const msg = explainClaspFailure(r.output);
  assert.match(msg, /No credentials found/);
  assert.match(msg, /npx clasp login/);
  fs.rmSync(home, { recursive: true, force: true });
});

test('other clasp failures are passed through', () => {
  assert.match(explainClaspFailure('Push failed. Syntax error: foo'), /^clasp push failed:\nPush failed\. Syntax error: foo$/);
});
