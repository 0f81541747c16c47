import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuthenticator, hasRole, loadOrCreateTokens, parseTokenList } from '../src/http/auth.ts';
import { AppError } from '../src/errors.ts';
import { Logger, registerSecret } from '../src/log.ts';

test('API_TOKENS entries parse to roles and identities', () => {
  assert.deepEqual(parseTokenList('t1=admin,t2=scorer,t3=annotator:alice@example.com'), [
    { token: 't1', role: 'admin', identity: 'admin-1' },
    { token: 't2', role: 'scorer', identity: 'scorer-2' },
    { token: 't3', role: 'annotator', identity: 'alice@example.com' },
  ]);
  assert.throws(() => parseTokenList('t1=root'), /unknown role 'root'/);
  assert.throws(() => parseTokenList('justatoken'), /token=role/);
});

test('roles nest: admin ⊃ annotator ⊃ scorer', () => {
  const p = (role: 'admin' | 'annotator' | 'scorer') => ({ role, identity: 'x', via: 'token' as const });
  assert.ok(hasRole(p('admin'), 'annotator'));
  assert.ok(hasRole(p('annotator'), 'scorer'));
  assert.ok(!hasRole(p('scorer'), 'annotator'));
  assert.ok(!hasRole(p('annotator'), 'admin'));
});

test('local tokens authenticate; others are 401', async () => {
  const auth = createAuthenticator({ tokenSpec: 'secret-admin-1=admin,secret-ann-2=annotator:alice@example.com' });
  assert.deepEqual(await auth.authenticate('Bearer secret-ann-2'), { role: 'annotator', identity: 'alice@example.com', via: 'token' });
  await assert.rejects(auth.authenticate(undefined), (e: AppError) => e.status === 401);
  await assert.rejects(auth.authenticate('Bearer nope'), (e: AppError) => e.status === 401);
  await assert.rejects(auth.authenticate('Basic abc'), (e: AppError) => e.status === 401);
  // Same length as a real token, a prefix, a longer one, multi-byte text: none matches, and a
  // failed attempt leaves nothing behind that lets the next one through.
  for (const wrong of ['secret-admin-2', 'secret-ann-', 'secret-admin-1x', 'secret-ann-２', 'ｓecret-ann-2']) {
    assert.equal(auth.authenticateLocal?.(`Bearer ${wrong}`), undefined, wrong);
  }
  assert.equal(auth.authenticateLocal?.('Bearer secret-admin-1')?.role, 'admin');
  assert.equal(auth.authenticateLocal?.('Bearer secret-ann-2')?.role, 'annotator');
  assert.equal(createAuthenticator({}).authenticateLocal?.('Bearer anything'), undefined, 'no tokens configured');
});

test('Google ID tokens: verified email on the allowlist gets its role; unknown email 403; failed verification 401', async () => {
  const seen: string[] = [];
  const auth = createAuthenticator({
    googleAudience: 'https://svc.example.run.app',
    googleAllowlist: 'annotator@workship.jp=annotator,ops@workship.jp=admin',
    verifyGoogleToken: async (token, audience) => {
      seen.push(audience);
      if (token === 'a.b.good') return { email: 'Annotator@workship.jp', email_verified: true };
      if (token === 'a.b.stranger') return { email: 'x@evil.example', email_verified: true };
      if (token === 'a.b.unverified') return { email: 'ops@workship.jp', email_verified: false };
      throw new Error('bad signature');
    },
  });
  assert.deepEqual(await auth.authenticate('Bearer a.b.good'), { role: 'annotator', identity: 'annotator@workship.jp', via: 'google' });
  assert.deepEqual(seen, ['https://svc.example.run.app']);
  await assert.rejects(auth.authenticate('Bearer a.b.stranger'), (e: AppError) => e.status === 403);
  await assert.rejects(auth.authenticate('Bearer a.b.unverified'), (e: AppError) => e.status === 401);
  await assert.rejects(auth.authenticate('Bearer a.b.forged'), (e: AppError) => e.status === 401);
});

test('generated tokens are created once (mode 0600) and reused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tok-'));
  const a = loadOrCreateTokens(dir);
  const b = loadOrCreateTokens(dir);
  assert.equal(a.created, true);
  assert.equal(b.created, false);
  assert.deepEqual(a.tokens, b.tokens);
  assert.equal(fs.statSync(a.file).mode & 0o777, 0o600);
  assert.ok(a.tokens.admin.length >= 24);
});

test('the logger redacts registered secrets, bearer tokens and secret-named fields', () => {
  const lines: string[] = [];
  const log = new Logger({ write: (l) => lines.push(l) });
  registerSecret('super-secret-value-123');
  log.info('calling with super-secret-value-123', { authorization: 'Bearer xyz', nested: { api_key: 'k', ok: 'Bearer abc.def' } });
  const text = lines.join('\n');
  assert.doesNotMatch(text, /super-secret-value-123|xyz|abc\.def/);
  assert.match(text, /REDACTED/);
});
