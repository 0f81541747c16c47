import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idHash, ScoreArena } from '../src/http/score-arena.ts';

test('the arena returns exactly what was put, through growth and across chunks', () => {
  const a = new ScoreArena(16);
  const body = (i: number) => JSON.stringify({ id: `f${i}`, pad: 'x'.repeat(i % 700), ja: '自己紹介'.repeat(i % 5) });
  for (let i = 0; i < 5000; i++) assert.equal(a.put(`f${i}`, body(i)).toString('utf8'), body(i));
  assert.equal(a.size, 5000);
  // Bodies span many 256 KB chunks; the table doubled from 16 entries many times.
  for (let i = 4999; i >= 0; i--) assert.equal(a.get(`f${i}`)?.toString('utf8'), body(i), `f${i}`);
  for (const absent of ['f5000', 'f-1', '', 'F1', 'f01']) assert.equal(a.get(absent), undefined, absent);
});

test('ids with equal hashes are told apart by their bytes', () => {
  // A full 32-bit collision by the birthday bound: ~77k ids give one with even odds.
  const seen = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; !pair && i < 1_000_000; i++) {
    const id = `id-${i}`;
    const h = idHash(id);
    const other = seen.get(h);
    if (other) pair = [other, id];
    else seen.set(h, id);
  }
  assert.ok(pair, 'found a colliding pair');
  const [x, y] = pair;
  const a = new ScoreArena();
  a.put(x, '{"who":"x"}');
  assert.equal(a.get(y), undefined, 'same hash, different id: not found');
  a.put(y, '{"who":"y"}');
  assert.equal(a.get(x)?.toString(), '{"who":"x"}');
  assert.equal(a.get(y)?.toString(), '{"who":"y"}');
});

test('unicode ids, ids of different byte length and ids too long to keep', () => {
  const a = new ScoreArena();
  const ids = ['社員-001', 'ｆ１', 'f1', 'émile', '😀', 'a'.repeat(1000)];
  ids.forEach((id, i) => a.put(id, `{"i":${i}}`));
  ids.forEach((id, i) => assert.equal(a.get(id)?.toString(), `{"i":${i}}`, id));
  assert.equal(a.get('社員-002'), undefined);
  const huge = 'z'.repeat(70_000);
  assert.equal(a.put(huge, '{"big":1}').toString(), '{"big":1}', 'the body comes back');
  assert.equal(a.get(huge), undefined, 'but is not kept');
  assert.equal(a.size, ids.length);
});

test('a record larger than a chunk gets a chunk of its own', () => {
  const a = new ScoreArena();
  a.put('small', '{}');
  const big = JSON.stringify({ pad: 'y'.repeat(300_000) });
  a.put('big', big);
  a.put('after', '{"after":true}');
  assert.equal(a.get('big')?.toString(), big);
  assert.equal(a.get('small')?.toString(), '{}');
  assert.equal(a.get('after')?.toString(), '{"after":true}');
});
