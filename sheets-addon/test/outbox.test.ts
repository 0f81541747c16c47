/** The outbox's guarantees without a browser: kept until acknowledged, same key on every retry, never doubled. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox, OUTBOX_KEY, type KeyValueStore } from '../src/outbox.ts';
import type { Result } from '../../appsscript/src/annotation/http-client.ts';
import type { Submission } from '../../appsscript/src/annotation/types.ts';
import { daysAgo, paragraphs, rubricBlocks, safeUrl, topShare } from '../src/format.ts';

function memStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const sub = (id: string): Submission => ({ lease_id: `l-${id}`, freelancer_id: `f-${id}`, score: 3, comment: '', rubric_version: 'v1', client_request_id: id });
const netErr: Result<unknown> = { ok: false, error: { code: 'network', status: 0, message: 'ネットワーク', message_en: 'net', retryable: true } };

test('a failing send keeps the item (persisted) and retries with the same client_request_id', async () => {
  const store = memStore();
  const sent: string[] = [];
  const timers: (() => void)[] = [];
  let fail = 2;
  const ob = new Outbox({ store, send: async (s) => (sent.push(s.client_request_id), fail-- > 0 ? netErr : { ok: true, data: {} }), schedule: (fn) => timers.push(fn) });
  ob.add(sub('a'));
  await ob.flush();
  assert.equal(ob.pending(), 1);
  assert.equal(JSON.parse(store.data.get(OUTBOX_KEY)!)[0].client_request_id, 'a');
  // A reload (new Outbox on the same storage) still has it.
  assert.equal(new Outbox({ store, send: async () => netErr, schedule: () => {} }).pending(), 1);
  timers.shift()!();
  await ob.idle();
  timers.shift()!();
  await ob.idle();
  assert.deepEqual(sent, ['a', 'a', 'a']);
  assert.equal(ob.pending(), 0);
  assert.equal(store.data.get(OUTBOX_KEY), '[]');
});

test('adding the same client_request_id twice queues it once; items go oldest first', async () => {
  const sent: string[] = [];
  const ob = new Outbox({ store: memStore(), send: async (s) => (sent.push(s.client_request_id), { ok: true, data: {} }), schedule: () => {} });
  ob.add(sub('a'));
  ob.add(sub('a'));
  ob.add(sub('b'));
  await ob.flush();
  assert.deepEqual(sent, ['a', 'b']);
});

test('a refused item (4xx) is kept as failed, not retried on its own, and others still go', async () => {
  const ob = new Outbox({
    store: memStore(),
    send: async (s) => (s.client_request_id === 'bad' ? { ok: false, error: { code: 'lease_expired', status: 410, message: '期限切れ', message_en: 'x', retryable: false } } : { ok: true, data: {} }),
    schedule: () => assert.fail('no retry for a refused item'),
  });
  ob.add(sub('bad'));
  ob.add(sub('good'));
  await ob.flush();
  assert.equal(ob.failed().length, 1);
  assert.equal(ob.failed()[0].client_request_id, 'bad');
  assert.equal(ob.pending(), 0);
});

test('an item in flight cannot be removed; a waiting one can (undo before sending)', async () => {
  let release!: () => void;
  const ob = new Outbox({ store: memStore(), send: () => new Promise((r) => (release = () => r({ ok: true, data: {} }))), schedule: () => {} });
  ob.add(sub('a'));
  ob.add(sub('b'));
  const flushing = ob.flush();
  assert.equal(ob.remove('a'), false);
  assert.equal(ob.remove('b'), true);
  release();
  await flushing;
  assert.equal(ob.items().length, 0);
});

test('format: paragraphs, safe links, top share, rubric blocks', () => {
  assert.deepEqual(paragraphs('一段落目\n続き\n\n二段落目\r\n\r\n'), ['一段落目\n続き', '二段落目']);
  assert.equal(safeUrl('javascript:alert(1)'), null);
  assert.equal(safeUrl('https://example.com/a'), 'https://example.com/a');
  assert.equal(daysAgo(30.85), '30日前');
  assert.equal(daysAgo(0.4), '今日');
  assert.equal(daysAgo(null), 'なし');
  assert.equal(topShare(88), '上位 12%');
  assert.equal(topShare(1), '上位 99%');
  assert.equal(topShare(100), '上位 1%');
  assert.deepEqual(rubricBlocks('# 基準\n- 5: 良い\n- 1: 悪い\n\n本文'), [
    { kind: 'h', text: '基準' },
    { kind: 'ul', items: ['5: 良い', '1: 悪い'] },
    { kind: 'p', text: '本文' },
  ]);
});

test('language: Japanese unless ?lang=en or a stored English choice', async () => {
  const { detectLang } = await import('../src/i18n.ts');
  assert.equal(detectLang('', null), 'ja');
  assert.equal(detectLang('?lang=en', null), 'en');
  assert.equal(detectLang('?as=admin&lang=ja', 'en'), 'ja');
  assert.equal(detectLang('', 'en'), 'en');
});
