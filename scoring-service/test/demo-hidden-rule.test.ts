import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActivitySummary, Profile, ProfileSnapshot } from '../src/domain/types.ts';
import {
  ANNOTATORS, NOISE_FLOOR, concreteSentences, noiseFloorRmse, scoreDistribution, scoreFromLatent, simulateScore, trueQuality,
} from '../src/demo/hidden-rule.ts';
import { mulberry32, normal, poisson, hashSeed, sample } from '../src/demo/rng.ts';

function profile(over: Partial<Profile> = {}): Profile {
  return {
    id: 'f1', occupation: 'エンジニア', skills: ['TypeScript', 'AWS'], years_experience: 4,
    self_intro: 'あ'.repeat(500), portfolio_urls: ['https://github.com/x'], hourly_rate_jpy: 4000,
    availability_days_per_week: 3, prefecture: '東京都', remote_ok: true, has_photo: true, ...over,
  };
}
const snap = (over: Partial<Profile> = {}, activity: ActivitySummary | null = null): ProfileSnapshot => ({ profile: profile(over), activity });

test('mulberry32 is deterministic and uniform on [0, 1)', () => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const xs = Array.from({ length: 20_000 }, () => a());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean} (uniform: 0.5 ± 3·0.29/√20000)`);
  assert.notEqual(hashSeed(1, 2), hashSeed(2, 1));
});

test('normal, poisson and sample helpers have the right moments', () => {
  const r = mulberry32(11);
  const z = Array.from({ length: 20_000 }, () => normal(r));
  const m = z.reduce((s, x) => s + x, 0) / z.length;
  const v = z.reduce((s, x) => s + (x - m) ** 2, 0) / z.length;
  assert.ok(Math.abs(m) < 0.03 && Math.abs(v - 1) < 0.05, `N(0,1): mean ${m}, var ${v}`);
  for (const lambda of [0.5, 4, 50]) {
    const p = Array.from({ length: 10_000 }, () => poisson(r, lambda));
    const pm = p.reduce((s, x) => s + x, 0) / p.length;
    assert.ok(Math.abs(pm - lambda) < 4 * Math.sqrt(lambda / p.length), `Poisson(${lambda}) mean ${pm}`);
  }
  const s = sample(r, [1, 2, 3, 4, 5], 3);
  assert.equal(new Set(s).size, 3);
});

test('self-introduction length is an inverted U: both too short and too long score lower', () => {
  const q = (chars: number) => trueQuality(snap({ self_intro: 'あ'.repeat(chars) }));
  const curve = [10, 60, 200, 500, 1200, 3000, 8000].map(q);
  const peak = curve.indexOf(Math.max(...curve));
  assert.ok(peak > 0 && peak < curve.length - 1, `peak inside the range, got index ${peak}: ${curve.map((x) => x.toFixed(2))}`);
  for (let i = 0; i < peak; i++) assert.ok(curve[i] < curve[i + 1], 'rising before the peak');
  for (let i = peak; i < curve.length - 1; i++) assert.ok(curve[i] > curve[i + 1], 'falling after the peak');
  assert.ok(q(500) - q(15) > 0.5 && q(500) - q(6000) > 0.5, 'the effect is large on both sides');
});

test('which skills matter depends on the occupation', () => {
  const marketing = ['SEO', '広告運用', 'Google Analytics'];
  const engineering = ['TypeScript', 'AWS', 'Go'];
  const as = (occupation: string, skills: string[]) => trueQuality(snap({ occupation, skills }));
  assert.ok(as('マーケター', marketing) - as('エンジニア', marketing) > 0.4);
  assert.ok(as('エンジニア', engineering) - as('マーケター', engineering) > 0.4);
  assert.ok(as('エンジニア', engineering) > as('エンジニア', ['Word', 'Excel', 'PowerPoint']), 'generic skills do not count');
});

test('experience, concrete achievements, portfolio, photo and recent activity each raise quality', () => {
  const base = trueQuality(snap({ self_intro: 'あ'.repeat(400) }));
  assert.ok(trueQuality(snap({ years_experience: 10, self_intro: 'あ'.repeat(400) })) > base);
  const concrete = 'あ'.repeat(300) + '。月間30万PVのメディアを運営しました。CVRを2倍にしました。';
  assert.equal(concreteSentences(concrete), 2);
  assert.ok(trueQuality(snap({ self_intro: concrete })) > trueQuality(snap({ self_intro: 'あ'.repeat(concrete.length) })));
  assert.ok(base > trueQuality(snap({ portfolio_urls: [], self_intro: 'あ'.repeat(400) })));
  assert.ok(base > trueQuality(snap({ has_photo: false, self_intro: 'あ'.repeat(400) })));
  const act = (days: number): ActivitySummary => ({
    as_of: '2026-10-01T00:00:00.000Z', days_since_login: days, logins_30d: 0, interests_received_30d: 0, interests_received_90d: 0,
    interests_sent_30d: 0, interests_sent_90d: 0, matches_90d: 0, match_rate_90d: null, messages_received_90d: 0,
    messages_sent_90d: 0, response_rate_90d: null, contracts_365d: 0, profile_views_30d: 0,
  });
  assert.ok(trueQuality(snap({}, act(1))) > trueQuality(snap({}, act(200))));
  for (const s of [snap({ self_intro: '' }), snap({ years_experience: 30, skills: engineeringAll() })]) {
    const q = trueQuality(s);
    assert.ok(q > 1 && q < 5, `latent quality stays inside 1..5, got ${q}`);
  }
});

function engineeringAll(): string[] {
  return ['TypeScript', 'React', 'Go', 'AWS', 'Python', 'Docker', 'Kubernetes', 'SQL'];
}

test('simulated scores are integers 1..5 whose mean follows the exact score distribution', () => {
  const s = snap();
  const q = trueQuality(s);
  for (const a of ANNOTATORS) {
    const rng = mulberry32(hashSeed(3, a.bias * 100));
    const draws = Array.from({ length: 20_000 }, () => simulateScore(s, a.id, rng));
    assert.ok(draws.every((x) => Number.isInteger(x) && x >= 1 && x <= 5));
    const mean = draws.reduce((t, x) => t + x, 0) / draws.length;
    const exact = scoreDistribution(q, a).reduce((t, p, i) => t + p * (i + 1), 0);
    assert.ok(Math.abs(mean - exact) < 0.02, `${a.id}: simulated mean ${mean} vs exact ${exact} (±0.02, 20k draws)`);
  }
  assert.throws(() => simulateScore(s, 'nobody@example.com', mulberry32(1)), RangeError);
});

test('at least three annotators with distinct personal biases', () => {
  assert.ok(ANNOTATORS.length >= 3);
  assert.ok(new Set(ANNOTATORS.map((a) => a.bias)).size >= 3);
  assert.ok(ANNOTATORS.some((a) => a.bias > 0.2) && ANNOTATORS.some((a) => a.bias < -0.2));
});

test('the analytic noise floor equals a simulated oracle\'s RMSE', () => {
  const rng = mulberry32(99);
  const items = Array.from({ length: 4000 }, (_, i) => ({ q: 1 + 4 * rng(), annotator: ANNOTATORS[i % ANNOTATORS.length].id }));
  const analytic = noiseFloorRmse(items);
  let se = 0;
  let n = 0;
  for (const it of items) {
    const a = ANNOTATORS.find((x) => x.id === it.annotator)!;
    const expected = scoreDistribution(it.q, a).reduce((t, p, i) => t + p * (i + 1), 0);
    for (let k = 0; k < 25; k++) {
      se += (scoreFromLatent(it.q, a, rng) - expected) ** 2;
      n++;
    }
  }
  const simulated = Math.sqrt(se / n);
  assert.ok(Math.abs(simulated - analytic) < 0.01, `simulated ${simulated} vs analytic ${analytic} (±0.01, 100k draws)`);
  assert.ok(NOISE_FLOOR.rmse > 0.4 && NOISE_FLOOR.rmse < 0.8, `stated floor ${NOISE_FLOOR.rmse}`);
  assert.match(NOISE_FLOOR.description, /oracle/);
});
