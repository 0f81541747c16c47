/**
 * Shared set-up of the annotation tests: a service on :memory: DuckDB with freelancers of
 * known shape, a movable clock, and small stand-ins for the featurizer, the model kit and
 * activity (the real ones are exercised by annotation-real.test.ts and the benchmark).
 */
import { freelancers } from '../src/domain/tables.ts';
import type { ActivitySummary, Freelancer, ProfileSnapshot } from '../src/domain/types.ts';
import { attachAnnotationService } from '../src/annotation/registry.ts';
import type { AnnotationDeps } from '../src/annotation/service.ts';
import type { ModelKit } from '../src/annotation/ensemble.ts';
import { mulberry32 } from '../src/demo/rng.ts';
import { emptyActivity } from '../src/scores/score-request.ts';
import { LiveHolder } from '../src/scores/live.ts';
import { fakeModel } from './helpers/fake-model.ts';
import { startTestService, type TestService } from './helpers/http.ts';
import type { Config } from '../src/config.ts';

export const T0 = new Date('2026-11-20T01:00:00.000Z');

export interface Clock {
  now: Date;
  advance(minutes: number): void;
}

export function clock(start = T0): Clock {
  const c = {
    now: new Date(start),
    advance(minutes: number) {
      c.now = new Date(c.now.getTime() + minutes * 60_000);
    },
  };
  return c;
}

export function freelancer(i: number, o: Partial<Freelancer> = {}): Freelancer {
  return {
    id: `f${String(i).padStart(4, '0')}`,
    occupation: 'エンジニア',
    skills: ['TypeScript', 'AWS'].slice(0, 1 + (i % 2)),
    years_experience: 1 + (i % 5),
    self_intro: `エンジニアとして${1 + (i % 5)}年、Webアプリの開発を担当しました。`,
    portfolio_urls: i % 3 ? ['https://example.com/p' + i] : [],
    hourly_rate_jpy: 3000 + 100 * (i % 7),
    availability_days_per_week: 3,
    prefecture: '東京都',
    remote_ok: true,
    has_photo: i % 2 === 0,
    registered_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2026-10-01T00:00:00.000Z',
    last_login_at: '2026-11-01T00:00:00.000Z',
    ...o,
  };
}

/** Features of the stand-in featurizer: a handful of numeric profile facts. */
export function fakeFeatures(s: ProfileSnapshot): Float64Array {
  const p = s.profile;
  return Float64Array.from([p.years_experience, p.skills.length, p.self_intro.length / 50, (p.hourly_rate_jpy ?? 0) / 1000, p.portfolio_urls.length, p.has_photo ? 1 : 0]);
}

/** Ridge regression by the normal equations on centred data (Gaussian elimination). */
export function tinyRidge(X: Float64Array[], y: number[], alpha: number): (x: Float64Array) => number {
  const n = X.length;
  const p = X[0].length;
  const mx = new Float64Array(p);
  for (const x of X) for (let j = 0; j < p; j++) mx[j] += x[j] / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  const A = Array.from({ length: p }, (_, i) => Array.from({ length: p + 1 }, (_, j) => (i === j ? alpha : 0)));
  for (let r = 0; r < n; r++)
    for (let i = 0; i < p; i++) {
      const xi = X[r][i] - mx[i];
      for (let j = 0; j < p; j++) A[i][j] += xi * (X[r][j] - mx[j]);
      A[i][p] += xi * (y[r] - my);
    }
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let r = 0; r < p; r++) {
      if (r === c || A[c][c] === 0) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= p; k++) A[r][k] -= f * A[c][k];
    }
  }
  const beta = A.map((row, i) => (row[i] ? row[p] / row[i] : 0));
  return (x) => my + beta.reduce((s, b, j) => s + b * (x[j] - mx[j]), 0);
}

export const fakeKit: ModelKit = {
  fit(X, y, o) {
    const alpha = o.alpha ?? 1;
    const predict = tinyRidge(X, y, alpha);
    // tinyRidge penalises the raw (centred) columns, so its design is the row itself.
    return { alpha, predict, design: (x) => x, residualVar: X.reduce((s, x, i) => s + (predict(x) - y[i]) ** 2, 0) / X.length };
  },
};

export function fakeDeps(seed = 7): AnnotationDeps & { activityCalls: number } {
  const rng = mulberry32(seed);
  const deps = {
    activityCalls: 0,
    featurizer: async () => ({ featurize: fakeFeatures }),
    modelKit: async () => fakeKit,
    async activity(_w: unknown, ids: string[] | 'all', asOf: Date) {
      deps.activityCalls++;
      const out = new Map<string, ActivitySummary>();
      if (ids !== 'all') for (const id of ids) out.set(id, { ...emptyActivity(asOf.toISOString()), logins_30d: 3 });
      return out;
    },
    random: () => rng(),
  };
  return deps;
}

export interface AnnotationEnv {
  svc: TestService;
  clock: Clock;
  deps: ReturnType<typeof fakeDeps>;
}

export async function annotationEnv(o: { freelancers?: Freelancer[]; n?: number; doubleShare?: number; live?: LiveHolder | null; config?: Partial<Config['annotation']> } = {}): Promise<AnnotationEnv> {
  const c = clock();
  let live = o.live === null ? new LiveHolder() : o.live;
  if (!live) {
    live = new LiveHolder();
    live.swap({ model: fakeModel('m-test-1'), scores: null });
  }
  const svc = await startTestService({ live, now: () => c.now, env: { DOUBLE_ANNOTATION_SHARE: String(o.doubleShare ?? 0) } });
  // The stand-in featurizer is instant: always wait for the queue's rebuild.
  Object.assign(svc.ctx.config.annotation, { poolWaitMs: 60_000 }, o.config ?? {});
  const deps = fakeDeps();
  attachAnnotationService(svc.ctx, deps);
  const rows = o.freelancers ?? Array.from({ length: o.n ?? 40 }, (_, i) => freelancer(i));
  await svc.ctx.warehouse.upsert(freelancers, rows as unknown as Record<string, unknown>[]);
  return { svc, clock: c, deps };
}
