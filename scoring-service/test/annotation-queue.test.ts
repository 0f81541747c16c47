import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TOKENS } from './helpers/http.ts';
import { annotationEnv, freelancer, type AnnotationEnv } from './annotation-fixture.ts';
import { annotations, freelancers } from '../src/domain/tables.ts';
import type { Annotation, Freelancer } from '../src/domain/types.ts';

async function next(env: AnnotationEnv, token: string, count = 1) {
  const r = await env.svc.call('GET', `/v1/annotation/next?count=${count}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

async function submit(env: AnnotationEnv, token: string, task: any, score = 3) {
  const r = await env.svc.call('POST', '/v1/annotations', {
    token,
    body: { lease_id: task.lease_id, freelancer_id: task.freelancer_id, score, comment: null, rubric_version: task.rubric_version, client_request_id: `c-${task.lease_id}` },
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

function annotationRow(f: Freelancer, i: number, score: number, annotator = 'seed@example.com', at = '2026-11-10T00:00:00.000Z'): Annotation {
  return {
    annotation_id: `seed-${annotator}-${f.id}-${i}`,
    freelancer_id: f.id,
    annotator,
    score,
    comment: null,
    profile_snapshot: { profile: f, activity: null },
    model_version: null,
    predicted_score: null,
    rubric_version: 'v1',
    created_at: at,
    client_request_id: null,
  };
}

describe('annotation queue', () => {
  test('two annotators never get the same profile while the double share is 0; the pool runs dry, not doubled', async () => {
    const env = await annotationEnv({ n: 30, doubleShare: 0 });
    try {
      const seen = new Map<string, string>();
      for (let round = 0; round < 4; round++)
        for (const [who, token] of [['alice', TOKENS.annotator], ['bob', TOKENS.annotator2]] as const) {
          for (const t of (await next(env, token, 5)).tasks) {
            assert.ok(!seen.has(t.freelancer_id), `${t.freelancer_id} served to ${seen.get(t.freelancer_id)} and ${who}`);
            seen.set(t.freelancer_id, who);
          }
        }
      assert.equal(seen.size, 30);
      const empty = await next(env, TOKENS.annotator, 5);
      assert.deepEqual(empty.tasks, []);
      assert.equal(empty.queue_size, 0);
      // Leases expire: after 15 minutes the profiles come back.
      env.clock.advance(16);
      assert.equal((await next(env, TOKENS.annotator, 5)).tasks.length, 5);
    } finally {
      await env.svc.close();
    }
  });

  test('with a double share of 1 the second annotator gets the first one’s profiles, marked double with why', async () => {
    const env = await annotationEnv({ n: 30, doubleShare: 1 });
    try {
      const a = (await next(env, TOKENS.annotator, 3)).tasks;
      assert.ok(a.every((t: any) => !t.double), 'nothing to double yet: regular tasks');
      const b = (await next(env, TOKENS.annotator2, 3)).tasks;
      assert.deepEqual(new Set(b.map((t: any) => t.freelancer_id)), new Set(a.map((t: any) => t.freelancer_id)));
      for (const t of b) {
        assert.equal(t.double, true);
        assert.equal(t.why.code, 'double');
      }
      // A third annotator does not join a pair: those profiles are full.
      const admin = (await next(env, TOKENS.admin, 3)).tasks;
      assert.ok(admin.every((t: any) => !a.some((x: any) => x.freelancer_id === t.freelancer_id)));
    } finally {
      await env.svc.close();
    }
  });

  test('the double share is honoured: about 10% of tasks are double annotations', async () => {
    const env = await annotationEnv({ n: 400, doubleShare: 0.1 });
    try {
      // Alice holds 150 profiles, so double candidates never run out for Bob.
      for (let i = 0; i < 10; i++) await next(env, TOKENS.annotator, 15);
      let doubles = 0;
      let total = 0;
      for (let i = 0; i < 20; i++) {
        const { tasks } = await next(env, TOKENS.annotator2, 10);
        total += tasks.length;
        doubles += tasks.filter((t: any) => t.double).length;
      }
      assert.equal(total, 200);
      // Binomial(200, 0.1): mean 20, sd 4.24; ±3 sd.
      assert.ok(doubles >= 8 && doubles <= 32, `doubles=${doubles}`);
    } finally {
      await env.svc.close();
    }
  });

  test('a profile is never served again to someone who scored it, even when picked for double annotation', async () => {
    const env = await annotationEnv({ n: 12, doubleShare: 1 });
    try {
      const mine = new Set<string>();
      for (const t of (await next(env, TOKENS.annotator, 6)).tasks) {
        await submit(env, TOKENS.annotator, t);
        mine.add(t.freelancer_id);
      }
      for (const t of (await next(env, TOKENS.annotator2, 6)).tasks) await submit(env, TOKENS.annotator2, t);
      for (let i = 0; i < 3; i++) for (const t of (await next(env, TOKENS.annotator, 6)).tasks) assert.ok(!mine.has(t.freelancer_id), t.freelancer_id);
    } finally {
      await env.svc.close();
    }
  });

  test('under-represented occupations come first, and say so', async () => {
    const rows = [
      ...Array.from({ length: 30 }, (_, i) => freelancer(i)),
      ...Array.from({ length: 10 }, (_, i) => freelancer(100 + i, { occupation: 'デザイナー', skills: ['Figma'] })),
    ];
    const env = await annotationEnv({ freelancers: rows, live: null });
    try {
      // 20 engineers annotated, no designer.
      await env.svc.ctx.warehouse.upsert(annotations, rows.slice(0, 20).map((f, i) => annotationRow(f, i, 1 + (i % 5))) as unknown as Record<string, unknown>[]);
      const { tasks } = await next(env, TOKENS.annotator, 3);
      for (const t of tasks) {
        assert.equal(t.profile.occupation, 'デザイナー');
        assert.equal(t.why.code, 'rare_occupation');
        assert.equal(t.why.details.occupation_annotations, 0);
        assert.equal(t.prediction, null, 'no live model: no prediction');
      }
    } finally {
      await env.svc.close();
    }
  });

  test('uncertain profiles come first: the ensemble spread is largest where the training data is thin', async () => {
    // Two equally dense groups; the annotations cover only the junior group, so the
    // bootstrap members disagree about the senior one (an extrapolation).
    const junior = Array.from({ length: 40 }, (_, i) => freelancer(i, { years_experience: 1 + (i % 3) }));
    const senior = Array.from({ length: 40 }, (_, i) => freelancer(200 + i, { years_experience: 18 + (i % 3) }));
    const env = await annotationEnv({ freelancers: [...junior, ...senior] });
    try {
      await env.svc.ctx.warehouse.upsert(annotations, junior.slice(0, 30).map((f, i) => annotationRow(f, i, 1 + ((i * 7) % 5))) as unknown as Record<string, unknown>[]);
      const { tasks } = await next(env, TOKENS.annotator, 5);
      for (const t of tasks) {
        assert.ok(t.profile.years_experience >= 18, `${t.freelancer_id} (${t.profile.years_experience}y) should be senior`);
        assert.equal(t.why.code, 'uncertain');
        assert.ok(t.why.details.uncertainty > 0);
      }
      // The ensemble is cached per live model version: a second call does not refit.
      const svc = (await import('../src/annotation/registry.ts')).annotationServiceFor(env.svc.ctx);
      const before = svc.queue['ensemble'];
      await next(env, TOKENS.annotator, 1);
      assert.equal(svc.queue['ensemble'], before);
      // The default (evr) state holds the ensemble's predictions, and the rebuild already
      // computed the variance reduction's pool integrals (not the request).
      const state = svc.queue['state']!;
      assert.ok(state.predictions && !state.factor, 'ensemble predictions; no posterior needed');
      assert.equal(state.predictions[0].length, 80);
      const design = (await import('../src/annotation/acquisition.ts')).designFactor(state, 'evr')!;
      assert.ok(design.factor.G && design.factor.GV, 'pool integrals precomputed at rebuild');
    } finally {
      await env.svc.close();
    }
  });

  test('profiles changed since their last annotation are served again first, with why = changed', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => freelancer(i));
    const env = await annotationEnv({ freelancers: rows, live: null });
    try {
      await env.svc.ctx.warehouse.upsert(annotations, rows.map((f, i) => annotationRow(f, i, 3)) as unknown as Record<string, unknown>[]);
      assert.deepEqual((await next(env, TOKENS.annotator, 3)).tasks, [], 'everything is annotated and unchanged');
      await env.svc.ctx.warehouse.upsert(freelancers, [{ ...rows[7], self_intro: '全面的に書き直しました。実績は10件です。', updated_at: '2026-11-15T00:00:00.000Z' }]);
      const { tasks } = await next(env, TOKENS.annotator, 3);
      assert.equal(tasks.length, 1);
      assert.equal(tasks[0].freelancer_id, rows[7].id);
      assert.equal(tasks[0].why.code, 'changed');
      assert.match(tasks[0].profile.self_intro, /書き直しました/);
    } finally {
      await env.svc.close();
    }
  });

  test('stats: per-annotator count, today, leave-one-out bias and agreement; the caller’s queue size', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => freelancer(i));
    const env = await annotationEnv({ freelancers: rows });
    try {
      const yesterday = '2026-11-18T12:00:00.000Z';
      const seed: Annotation[] = [];
      // Profiles 0–3 scored by alice and bob; alice is one point above bob on 0–1, equal on 2–3.
      for (let i = 0; i < 4; i++) {
        seed.push(annotationRow(rows[i], i, i < 2 ? 4 : 3, 'alice@example.com', yesterday));
        seed.push(annotationRow(rows[i], i, 3, 'bob@example.com', yesterday));
      }
      await env.svc.ctx.warehouse.upsert(annotations, seed as unknown as Record<string, unknown>[]);
      const [t] = (await next(env, TOKENS.annotator, 1)).tasks;
      await submit(env, TOKENS.annotator, t, 5);
      const r = await env.svc.call('GET', '/v1/annotation/stats', { token: TOKENS.annotator });
      assert.equal(r.status, 200);
      const alice = r.body.annotators.find((a: any) => a.annotator === 'alice@example.com');
      const bob = r.body.annotators.find((a: any) => a.annotator === 'bob@example.com');
      assert.equal(r.body.role, 'annotator');
      assert.equal(r.body.is_admin, false);
      assert.equal(r.body.me.annotator, 'alice@example.com');
      assert.equal(alice.count, 5);
      assert.equal(alice.today_count, 1);
      assert.equal(r.body.today_count, 1);
      assert.equal(alice.overlaps, 4);
      assert.equal(alice.bias, 0.5); // (1 + 1 + 0 + 0) / 4
      assert.equal(bob.bias, -0.5);
      assert.equal(alice.agreement, 0.5);
      assert.equal(alice.agreement_within_1, 1);
      assert.equal(r.body.agreement.pairs, 4);
      assert.equal(r.body.agreement.mean_abs_diff, 0.5);
      // 10 profiles − 4 shared − 1 just scored = 5 unannotated.
      assert.equal(r.body.queue_size, 5);
    } finally {
      await env.svc.close();
    }
  });

  test('a new featurizer key (e.g. a new skill demand table) re-featurizes the pool; the same key reuses it', async () => {
    const env = await annotationEnv({ n: 20 });
    try {
      const svc = (await import('../src/annotation/registry.ts')).annotationServiceFor(env.svc.ctx);
      const deps = svc['deps'];
      const original = deps.featurizer;
      let key = 'demand-1';
      let calls = 0;
      deps.featurizer = async (w) => {
        const f = await original(w);
        return { key, featurize: (s) => (calls++, f.featurize(s)) };
      };
      const queue = svc.queue;
      const rebuild = (sig: string) => queue['rebuild'](sig, 'ensemble-1', env.clock.now);
      await rebuild('s1');
      assert.equal(queue['lastError'], null);
      const first = calls;
      assert.ok(first >= 20, `featurized the pool (${first})`);
      await rebuild('s2');
      assert.equal(calls, first, 'same key: cached features reused');
      key = 'demand-2';
      await rebuild('s3');
      assert.ok(calls >= first + 20, 'new key: the pool is featurized again');
    } finally {
      await env.svc.close();
    }
  });

  test('a slow queue rebuild never blocks a request: it answers from coverage alone, then from the rebuilt state', async () => {
    const env = await annotationEnv({ n: 20, config: { poolWaitMs: 20 } });
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const svc = (await import('../src/annotation/registry.ts')).annotationServiceFor(env.svc.ctx);
      const deps = svc['deps'];
      const original = deps.featurizer;
      deps.featurizer = async (w) => {
        await gate;
        return original(w);
      };
      const started = Date.now();
      const first = await next(env, TOKENS.annotator, 2);
      assert.ok(Date.now() - started < 5000);
      assert.equal(first.tasks.length, 2);
      for (const t of first.tasks) assert.equal(t.why.details.density, null, 'no features yet');
      release();
      await svc.queue['refreshing'];
      const second = await next(env, TOKENS.annotator, 2);
      for (const t of second.tasks) assert.equal(typeof t.why.details.density, 'number');
    } finally {
      await env.svc.close();
    }
  });
});
