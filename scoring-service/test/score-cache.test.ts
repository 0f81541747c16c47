import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { cachedBytes, cachedScoreBytes, prewarm, prewarmLiveScores, publicScore, publicScoreBytes, uncachedScoreBytes } from '../src/http/score-cache.ts';
import { startTestService, TOKENS } from './helpers/http.ts';
import { liveWithScores } from './helpers/fake-model.ts';

const MB = 2 ** 20;

test('cached bytes are exactly the JSON of the public score, built once', () => {
  const table = liveWithScores(3).current.scores!;
  const s = table.byId.get('f00001')!;
  const a = publicScoreBytes(table, s, MB);
  assert.equal(a.toString('utf8'), JSON.stringify(publicScore(s)));
  assert.equal(publicScoreBytes(table, s, MB).buffer, a.buffer, 'second call returns a view of the kept bytes');
  assert.deepEqual(publicScoreBytes(table, s, MB), a);
  assert.equal(cachedBytes(table).entries, 1);
});

test('after a cache miss, the bytes are built once and kept within the budget, or served unkept beyond it', () => {
  const table = liveWithScores(3).current.scores!;
  const [a, b] = ['f00001', 'f00002'].map((id) => table.byId.get(id)!);
  assert.equal(cachedScoreBytes(table, a.freelancer_id), undefined);
  const kept = uncachedScoreBytes(table, a, MB);
  assert.equal(kept.toString('utf8'), JSON.stringify(publicScore(a)));
  assert.equal(cachedScoreBytes(table, a.freelancer_id)?.buffer, kept.buffer, 'kept: later reads find the same bytes');
  const unkept = uncachedScoreBytes(table, b, cachedBytes(table).bytes + 10);
  assert.equal(unkept.toString('utf8'), JSON.stringify(publicScore(b)));
  assert.equal(cachedScoreBytes(table, b.freelancer_id), undefined, 'over the budget: not kept');
  assert.equal(cachedBytes(table).entries, 1);
});

test('the arena keeps every body exact across chunks, in any order, and one lookup finds it', () => {
  // ~2,000 bodies of ~300+ bytes span several 256 KB chunks; misses arrive out of order.
  const table = liveWithScores(2000).current.scores!;
  assert.equal(cachedScoreBytes(table, 'f00001'), undefined, 'nothing kept before the first build');
  const order = [...table.orderedIds].reverse();
  for (let i = 0; i < order.length; i += 2) publicScoreBytes(table, table.byId.get(order[i])!, 64 * MB);
  for (const id of table.orderedIds) publicScoreBytes(table, table.byId.get(id)!, 64 * MB);
  assert.equal(cachedBytes(table).entries, 2000);
  for (const id of table.orderedIds) {
    const kept = cachedScoreBytes(table, id);
    assert.ok(kept, id);
    assert.equal(kept.toString('utf8'), JSON.stringify(publicScore(table.byId.get(id)!)), id);
  }
  assert.equal(cachedScoreBytes(table, 'no-such-id'), undefined);
  // A body larger than a chunk gets a chunk of its own.
  const big = liveWithScores(1).current.scores!;
  const s = big.byId.get('f00000')!;
  s.reasons = Array.from({ length: 3000 }, (_, i) => ({ feature: `f${i}`, label: `特徴${i}`, label_en: `feature ${i}`, contribution: i / 1e4 }));
  const bytes = publicScoreBytes(big, s, 64 * MB);
  assert.ok(bytes.length > 256 * 1024);
  assert.equal(cachedScoreBytes(big, 'f00000')!.toString('utf8'), JSON.stringify(publicScore(s)));
});

test('prewarm serialises the whole table in slices, and respects the byte budget', async () => {
  const table = liveWithScores(2000).current.scores!;
  assert.equal(await prewarm(table, () => true, 64 * MB), 2000);
  assert.equal(cachedBytes(table).entries, 2000);

  const small = liveWithScores(2000).current.scores!;
  const held = await prewarm(small, () => true, 40_000);
  assert.ok(held > 0 && held < 2000, `held ${held}`);
  assert.ok(cachedBytes(small).bytes <= 40_000);
  // Past the budget a score is still answered correctly, just not kept.
  const last = small.byId.get('f01999')!;
  assert.equal(publicScoreBytes(small, last, 40_000).toString(), JSON.stringify(publicScore(last)));
  assert.equal(cachedBytes(small).entries, held);

  const none = liveWithScores(10).current.scores!;
  assert.equal(await prewarm(none, () => true, 0), 0, 'budget 0 keeps nothing');
});

test('prewarm stops as soon as its table is swapped out, and follows the live holder', async () => {
  const live = liveWithScores(5000);
  const first = live.current.scores!;
  const stop = prewarmLiveScores(live, 64 * MB);
  const next = liveWithScores(3000, 'm-test-2').current;
  await tick();
  live.swap(next);
  for (let i = 0; i < 50; i++) await tick();
  assert.ok(cachedBytes(first).entries < 5000, 'the swapped-out table was abandoned');
  assert.equal(cachedBytes(next.scores!).entries, 3000, 'the new live table is prewarmed');
  stop();
  const third = liveWithScores(100, 'm-test-3').current;
  live.swap(third);
  for (let i = 0; i < 5; i++) await tick();
  assert.equal(cachedBytes(third.scores!).entries, 0, 'nothing after stop');
});

test('the running service prewarms its live table and serves the same bytes', async () => {
  const live = liveWithScores(1200);
  const svc = await startTestService({ live });
  try {
    for (let i = 0; i < 20 && cachedBytes(live.current.scores!).entries < 1200; i++) await tick();
    assert.equal(cachedBytes(live.current.scores!).entries, 1200);
    const res = await svc.call('GET', '/v1/freelancers/f00042/score', { token: TOKENS.scorer });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, publicScore(live.current.scores!.byId.get('f00042')!));
  } finally {
    await svc.close();
  }
});

test('a prepared swap serialises the new table before it goes live, within the budget shared with the live table', async () => {
  const live = liveWithScores(2000);
  const old = live.current.scores!;
  const stop = prewarmLiveScores(live, 64 * MB);
  try {
    while (cachedBytes(old).entries < 2000) await tick();
    const next = liveWithScores(3000, 'm-test-2').current;
    let servedDuring = 0;
    const swapped = live.swapPrepared(next);
    // While the new table is prepared, the old one keeps serving.
    for (let i = 0; i < 3; i++) {
      await tick();
      if (live.current.scores === old) servedDuring++;
    }
    assert.equal(await swapped, true);
    assert.equal(servedDuring, 3);
    assert.equal(live.current.scores, next.scores);
    assert.equal(cachedBytes(next.scores!).entries, 3000, 'every score was serialised before the swap');

    // With a budget the live table nearly fills, preparation stops at what is left; the rest follows the swap.
    const held = cachedBytes(next.scores!).bytes;
    stop();
    const stop2 = prewarmLiveScores(live, held + 200_000);
    const third = liveWithScores(3000, 'm-test-3').current;
    assert.equal(await live.swapPrepared(third), true);
    const before = cachedBytes(third.scores!);
    assert.ok(before.entries > 0 && before.bytes <= 200_000, `prepared within what the live table leaves (${before.bytes} bytes)`);
    for (let i = 0; i < 50 && cachedBytes(third.scores!).entries < 3000; i++) await tick();
    assert.equal(cachedBytes(third.scores!).entries, 3000, 'after the swap the whole budget is the new table\'s');
    stop2();
  } finally {
    stop();
  }
});

test('a prepared swap overtaken by a later swap is dropped, so the latest activation stands', async () => {
  const live = liveWithScores(10);
  const stop = prewarmLiveScores(live, 64 * MB);
  try {
    const slow = liveWithScores(4000, 'm-slow').current;
    const later = liveWithScores(20, 'm-later').current;
    const pending = live.swapPrepared(slow);
    live.swap(later);
    assert.equal(await pending, false);
    assert.equal(live.current.scores, later.scores);
    // A failing preparer does not hold the swap back.
    const offFailing = live.onPrepare(async () => {
      throw new Error('preparer failed');
    });
    const afterFailure = liveWithScores(7, 'm-after-failure').current;
    assert.equal(await live.swapPrepared(afterFailure), true);
    assert.equal(live.current.scores, afterFailure.scores);
    offFailing();
    // Without preparers (no server), a prepared swap is immediate.
    stop();
    const plain = liveWithScores(5, 'm-plain').current;
    assert.equal(await live.swapPrepared(plain), true);
    assert.equal(live.current.scores, plain.scores);
  } finally {
    stop();
  }
});
