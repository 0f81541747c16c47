import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { ACTOR_TYPES, EVENT_TYPES, TARGET_TYPES, annotations, companies, events, freelancers, jobs } from '../src/domain/tables.ts';
import type { TableDef } from '../src/domain/table.ts';
import type { Annotation, Freelancer } from '../src/domain/types.ts';
import { validateRow } from '../src/domain/validate.ts';
import { DEMO_NOW, demoSizes, seedDemo, type DemoOptions, type DemoSummary } from '../src/demo/generator.ts';
import { ANNOTATORS, NOISE_FLOOR, trueQuality } from '../src/demo/hidden-rule.ts';
import { activitySummaries } from '../src/features/activity.ts';
import { dayOfWeekJst } from '../src/demo/timing.ts';

const DAY = 86_400_000;

async function seeded(o: DemoOptions): Promise<{ w: DuckdbWarehouse; summary: DemoSummary }> {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  await w.migrate(allTables);
  const summary = await seedDemo(w, o);
  return { w, summary };
}

const all = (w: DuckdbWarehouse, t: TableDef) =>
  w.query(`SELECT * FROM ${w.dialect.table(t.name)} ORDER BY ${t.primaryKey.map((k) => w.dialect.ident(k)).join(', ')}`);

// One larger set shared by the statistical tests (600 freelancers, 500 annotations).
const big = seeded({ freelancers: 600, annotations: 500, seed: 7 });

test('the same seed gives identical rows; another seed gives different ones', async () => {
  const a = await seeded({ freelancers: 100, annotations: 30, seed: 1 });
  const b = await seeded({ freelancers: 100, annotations: 30, seed: 1 });
  const c = await seeded({ freelancers: 100, annotations: 30, seed: 2 });
  try {
    for (const t of [freelancers, companies, jobs, events, annotations]) {
      assert.deepEqual(await all(a.w, t), await all(b.w, t), `${t.name} identical for seed 1`);
    }
    const fa = await all(a.w, freelancers);
    const fc = await all(c.w, freelancers);
    assert.notDeepEqual(fa.map((r) => r.self_intro), fc.map((r) => r.self_intro));
    assert.deepEqual({ ...a.summary, elapsed_ms: 0 }, { ...b.summary, elapsed_ms: 0 });
  } finally {
    await Promise.all([a.w.close(), b.w.close(), c.w.close()]);
  }
});

test('counts match the options and the summary', async () => {
  const { w, summary } = await big;
  const count = async (t: TableDef) => Number((await w.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${w.dialect.table(t.name)}`))[0].n);
  assert.equal(await count(freelancers), 600);
  assert.equal(await count(companies), demoSizes(600).companies);
  assert.equal(await count(jobs), demoSizes(600).jobs);
  assert.equal(await count(annotations), 500);
  assert.equal(await count(events), summary.events);
  assert.equal(summary.now, DEMO_NOW.toISOString());
  const perFreelancer = summary.events / 600;
  assert.ok(perFreelancer > 50 && perFreelancer < 200, `events per freelancer ${perFreelancer}`);
  const distinct = Number((await w.query<{ n: number }>(`SELECT COUNT(DISTINCT freelancer_id) AS n FROM annotations`))[0].n);
  assert.equal(summary.multiply_annotated, 500 - distinct);
  const share = summary.multiply_annotated / distinct;
  assert.ok(share > 0.07 && share < 0.13, `share of freelancers annotated twice ${share} (≈10%)`);
  assert.equal(summary.annotators.reduce((s, a) => s + a.count, 0), 500);
});

test('every generated row is valid against domain/validate.ts and uses known event vocabularies', async () => {
  const { w } = await big;
  for (const t of [freelancers, companies, jobs, events, annotations]) {
    const rows = await all(w, t);
    // Every event type is covered by validating one event in five (full validation of ~50k events is slow).
    for (const row of t === events ? rows.filter((_, i) => i % 5 === 0) : rows) {
      const issues = validateRow(t, row);
      assert.deepEqual(issues, [], `${t.name} ${JSON.stringify(row).slice(0, 200)}`);
    }
  }
  const vocab = await w.query<{ event_type: string; actor_type: string; target_type: string | null }>(
    `SELECT DISTINCT event_type, actor_type, target_type FROM events`,
  );
  for (const v of vocab) {
    assert.ok((EVENT_TYPES as readonly string[]).includes(v.event_type), v.event_type);
    assert.ok((ACTOR_TYPES as readonly string[]).includes(v.actor_type), v.actor_type);
    assert.ok(v.target_type === null || (TARGET_TYPES as readonly string[]).includes(v.target_type), String(v.target_type));
  }
  const [range] = await w.query<{ lo: string; hi: string; future: number }>(
    `SELECT MIN(event_time) AS lo, MAX(event_time) AS hi FROM events`,
  );
  assert.ok(Date.parse(range.hi) < DEMO_NOW.getTime() && Date.parse(range.lo) >= DEMO_NOW.getTime() - 365 * DAY, 'twelve months ending at now');
  const fl = (await all(w, freelancers)) as unknown as Freelancer[];
  assert.ok(new Set(fl.map((f) => f.occupation)).size >= 7);
  const lengths = fl.map((f) => f.self_intro.length).sort((a, b) => a - b);
  assert.ok(lengths[Math.floor(lengths.length * 0.05)] < 40 && lengths[Math.floor(lengths.length * 0.98)] > 1500, 'one-liners and very long intros both occur');
  for (const f of fl) {
    assert.ok(f.updated_at >= f.registered_at, 'updated after registering');
    if (f.last_login_at) assert.ok(f.last_login_at >= f.registered_at && Date.parse(f.last_login_at) < DEMO_NOW.getTime());
  }
});

test('weekly seasonality and growth are visible in the events', async () => {
  const { w } = await big;
  const rows = await w.query<{ t: string }>(`SELECT event_time AS t FROM events`);
  const byDow = new Array(7).fill(0);
  let firstQuarter = 0;
  let lastQuarter = 0;
  for (const r of rows) {
    const t = Date.parse(r.t);
    byDow[dayOfWeekJst(t)]++;
    if (t < DEMO_NOW.getTime() - 273 * DAY) firstQuarter++;
    if (t >= DEMO_NOW.getTime() - 91 * DAY) lastQuarter++;
  }
  const weekday = (byDow[1] + byDow[2] + byDow[3] + byDow[4] + byDow[5]) / 5;
  const weekend = (byDow[0] + byDow[6]) / 2;
  assert.ok(weekday > 1.5 * weekend, `weekday ${weekday} vs weekend ${weekend} per day`);
  assert.ok(lastQuarter > 1.5 * firstQuarter, `last quarter ${lastQuarter} vs first ${firstQuarter}`);
  const signups = await w.query<{ q: number; n: number }>(
    `SELECT CAST(floor(epoch(CAST(@now AS TIMESTAMP) - event_time) / 86400 / 91.25) AS INTEGER) AS q, COUNT(*) AS n FROM events WHERE event_type = 'signup' AND actor_type = 'freelancer' GROUP BY 1 ORDER BY 1`,
    { now: DEMO_NOW.toISOString() },
  );
  assert.ok(signups[0].n > signups[signups.length - 1].n, `signups grow: ${JSON.stringify(signups)}`);
});

test('behaviour correlates with profile quality: better profiles receive more interest', async () => {
  const { w } = await big;
  const fl = (await all(w, freelancers)) as unknown as Freelancer[];
  const acts = await activitySummaries(w, 'all', DEMO_NOW);
  const x: number[] = [];
  const y: number[] = [];
  for (const f of fl) {
    const a = acts.get(f.id);
    if (!a || Date.parse(f.registered_at) > DEMO_NOW.getTime() - 120 * DAY) continue;
    x.push(trueQuality({ profile: f, activity: null }));
    y.push(Math.log1p(a.interests_received_90d + a.profile_views_30d));
  }
  const r = pearson(x, y);
  assert.ok(r > 0.3, `correlation of quality and interest received ${r}`);
});

test('annotations carry snapshots taken at annotation time, v1 rubric and no model', async () => {
  const { w } = await big;
  const anns = (await all(w, annotations)) as unknown as Annotation[];
  assert.equal(new Set(anns.map((a) => a.client_request_id)).size, anns.length);
  const bySession = new Map<string, Annotation[]>();
  for (const a of anns) {
    assert.equal(a.rubric_version, 'v1');
    assert.equal(a.model_version, null);
    assert.equal(a.predicted_score, null);
    assert.ok(Number.isInteger(a.score) && a.score >= 1 && a.score <= 5);
    const created = Date.parse(a.created_at);
    assert.ok(created < DEMO_NOW.getTime() && created > DEMO_NOW.getTime() - 130 * DAY, a.created_at);
    const act = a.profile_snapshot.activity!;
    assert.ok(Date.parse(act.as_of) <= created);
    assert.ok(Date.parse(a.profile_snapshot.profile.updated_at!) <= created, 'the snapshot is the version the annotator saw');
    bySession.set(act.as_of, [...(bySession.get(act.as_of) ?? []), a]);
  }
  // The stored activity is exactly what activitySummaries says as of the session start.
  const [asOf, session] = [...bySession.entries()][0];
  const fresh = await activitySummaries(w, session.map((a) => a.freelancer_id), new Date(asOf));
  for (const a of session) assert.deepEqual(a.profile_snapshot.activity, fresh.get(a.freelancer_id));
  // Some profiles changed after they were annotated (the talk's risk), and the snapshot keeps the old version.
  const live = new Map(((await all(w, freelancers)) as unknown as Freelancer[]).map((f) => [f.id, f]));
  const changed = anns.filter((a) => live.get(a.freelancer_id)!.self_intro !== a.profile_snapshot.profile.self_intro || live.get(a.freelancer_id)!.skills.length !== a.profile_snapshot.profile.skills.length);
  assert.ok(changed.length > 0);
});

test('annotator biases show in the scores, and the noise floor matches the stated one', async () => {
  const { w, summary } = await big;
  const anns = (await all(w, annotations)) as unknown as Annotation[];
  for (const a of ANNOTATORS) {
    const mine = anns.filter((x) => x.annotator === a.id);
    const resid = mine.reduce((s, x) => s + x.score - trueQuality(x.profile_snapshot), 0) / mine.length;
    // Rounding and the 1..5 clamp shift the mean a little; 0.25 covers that plus sampling error (n ≥ 60, sd ≈ 0.6).
    assert.ok(Math.abs(resid - a.bias) < 0.25, `${a.id}: mean residual ${resid.toFixed(3)} vs bias ${a.bias}`);
  }
  const mean = (id: string) => {
    const mine = anns.filter((x) => x.annotator === id);
    return mine.reduce((s, x) => s + x.score - trueQuality(x.profile_snapshot), 0) / mine.length;
  };
  assert.ok(mean('tanaka@workship.example') - mean('suzuki@workship.example') > 0.5, 'the lenient annotator scores clearly above the strict one');
  assert.ok(Math.abs(summary.noise_floor.rmse - NOISE_FLOOR.rmse) < 0.03, `floor of this set ${summary.noise_floor.rmse} vs stated ${NOISE_FLOOR.rmse}`);
  const scoreR = pearson(anns.map((a) => trueQuality(a.profile_snapshot)), anns.map((a) => a.score));
  assert.ok(scoreR > 0.75, `scores follow the hidden rule: r = ${scoreR}`);
});

test('comments agree with the score: criticism for low scores, praise for high ones', async () => {
  const { w } = await big;
  const anns = (await all(w, annotations)) as unknown as Annotation[];
  const negative = /短すぎる|ほぼ空|長すぎ|不足|欠ける|ない|なし|浅い|していない|少ない|物足りない/;
  const rate = (xs: Annotation[]) => xs.filter((a) => a.comment && negative.test(a.comment)).length / xs.length;
  const low = anns.filter((a) => a.score <= 2);
  const high = anns.filter((a) => a.score >= 4);
  assert.ok(rate(low) > 0.8 && rate(high) < 0.5, `negative notes: low scores ${rate(low)}, high scores ${rate(high)}`);
  assert.ok(anns.some((a) => a.comment?.includes('自己紹介が短すぎる')) && anns.some((a) => a.comment?.includes('実績が具体的')));
});

test('bad options are refused with RangeError', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await assert.rejects(seedDemo(w, { freelancers: 0, annotations: 0, seed: 1 }), RangeError);
    await assert.rejects(seedDemo(w, { freelancers: 10, annotations: -1, seed: 1 }), RangeError);
    await assert.rejects(seedDemo(w, { freelancers: 10, annotations: 1, seed: 1.5 }), RangeError);
  } finally {
    await w.close();
  }
});

test.after(async () => {
  await (await big).w.close();
});

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
