/**
 * Generated data and a small deterministic model kit for training tests: a linear model on
 * five profile features, fitted by ridge normal equations. It honours the same ModelKit
 * contract as the model area's modules, so the run, registry, gate and rollback are
 * exercised exactly as in production.
 */
import { createHash } from 'node:crypto';
import type { Annotation, Freelancer, FreelancerScore, ProfileSnapshot } from '../src/domain/types.ts';
import { annotations as annotationsTable, freelancers as freelancersTable, freelancerScores } from '../src/domain/tables.ts';
import type { Warehouse } from '../src/warehouse/port.ts';
import type { KitFeaturizer, KitModelJson, ModelKit } from '../src/training/model-kit.ts';
import type { LiveModel } from '../src/model/types.ts';
import { buildScoreTable } from '../src/scores/live.ts';
import { seededRandom } from '../src/stats/rng.ts';
import type { FeatureSqlDialect as Dialect } from '../src/features/featurizer.ts';

export const OCCUPATIONS = ['エンジニア', 'デザイナー', 'マーケター', 'ライター'];
export const ANNOTATORS = [
  { id: 'alice@example.com', bias: 0.4 },
  { id: 'bob@example.com', bias: -0.3 },
  { id: 'carol@example.com', bias: 0 },
];

export function makeFreelancer(i: number, rand: () => number): Freelancer {
  const years = Math.floor(rand() * 15);
  const skills = Array.from({ length: Math.floor(rand() * 8) }, (_, k) => `skill${k}`);
  const introLen = Math.floor(rand() * 600);
  return {
    id: `f${String(i).padStart(6, '0')}`,
    occupation: OCCUPATIONS[i % OCCUPATIONS.length],
    skills,
    years_experience: years,
    self_intro: 'はじめまして。'.padEnd(introLen, 'あ'),
    portfolio_urls: rand() < 0.5 ? ['https://example.com/p'] : [],
    hourly_rate_jpy: 3000 + Math.floor(rand() * 5000),
    availability_days_per_week: 3,
    prefecture: '東京都',
    remote_ok: true,
    has_photo: rand() < 0.6,
    registered_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-06-01T00:00:00.000Z',
    last_login_at: null,
  };
}

/** The hidden rule of these tests (linear in the fake kit's features, so learnable). */
export function quality(s: ProfileSnapshot): number {
  const p = s.profile;
  return 1.2 + 0.12 * Math.min(p.years_experience, 12) + 0.18 * p.skills.length + 0.0012 * p.self_intro.length + (p.has_photo ? 0.3 : 0);
}

const COMMENTS_LOW = ['自己紹介が短く実績が不明', '経験が浅くスキルが少ない', '写真がなく実績も書かれていない'];
const COMMENTS_HIGH = ['実績が具体的で経験も豊富', 'スキルが多く自己紹介が丁寧', 'ポートフォリオが充実している'];

export interface GenOptions {
  seed: number;
  /** Replace the true score by a shuffled one (degraded data). */
  shuffled?: boolean;
  noiseSd?: number;
  createdAt: string;
  idPrefix: string;
  /** Share of freelancers annotated by a second annotator. */
  doubleShare?: number;
}

export function makeAnnotations(fl: Freelancer[], o: GenOptions): Annotation[] {
  const rand = seededRandom(o.seed);
  const out: Annotation[] = [];
  const noise = o.noiseSd ?? 0.35;
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  for (const f of fl) {
    const snapshot: ProfileSnapshot = { profile: f, activity: null };
    const n = rand() < (o.doubleShare ?? 0.2) ? 2 : 1;
    const first = Math.floor(rand() * ANNOTATORS.length);
    for (let k = 0; k < n; k++) {
      const a = ANNOTATORS[(first + k) % ANNOTATORS.length];
      const score = Math.max(1, Math.min(5, Math.round(quality(snapshot) + a.bias + noise * normal())));
      out.push({
        annotation_id: `${o.idPrefix}-${f.id}-${k}`,
        freelancer_id: f.id,
        annotator: a.id,
        score,
        comment: score <= 2 ? COMMENTS_LOW[out.length % 3] : score >= 4 ? COMMENTS_HIGH[out.length % 3] : null,
        profile_snapshot: snapshot,
        model_version: null,
        predicted_score: null,
        rubric_version: 'r1',
        created_at: o.createdAt,
        client_request_id: null,
      });
    }
  }
  if (o.shuffled) {
    const scores = out.map((a) => a.score);
    for (let i = scores.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [scores[i], scores[j]] = [scores[j], scores[i]];
    }
    out.forEach((a, i) => (a.score = scores[i]));
  }
  return out;
}

export async function seedFreelancers(w: Warehouse, n: number, seed: number, offset = 0): Promise<Freelancer[]> {
  const rand = seededRandom(seed);
  const fl = Array.from({ length: n }, (_, i) => makeFreelancer(offset + i, rand));
  await w.append(freelancersTable, fl as unknown as Record<string, unknown>[]);
  return fl;
}

export async function addAnnotations(w: Warehouse, a: Annotation[]): Promise<void> {
  await w.append(annotationsTable, a as unknown as Record<string, unknown>[]);
}

// ---------- the fake model kit ----------

const FEATURES = [
  { name: 'years_experience', label_ja: '経験年数', label_en: 'years of experience', group: 'profile', sql: (d: Dialect) => `LEAST(${d.float('years_experience')}, 40)` },
  { name: 'skill_count', label_ja: 'スキル数', label_en: 'number of skills', group: 'profile', sql: (d: Dialect) => d.float(d.arrayLength('skills')) },
  { name: 'intro_length', label_ja: '自己紹介の長さ', label_en: 'self-intro length', group: 'text', sql: () => null },
  { name: 'has_photo', label_ja: '写真あり', label_en: 'has photo', group: 'profile', sql: () => `CASE WHEN has_photo THEN 1.0 ELSE 0.0 END` },
  { name: 'constant_one', label_ja: '定数', label_en: 'constant', group: 'profile', sql: () => '1.0' },
];

export const fakeFeaturizer: KitFeaturizer = {
  spec: { version: 'fake-spec-1', features: FEATURES },
  featurize(s) {
    const p = s.profile;
    return Float64Array.from([Math.min(p.years_experience, 40), p.skills.length, p.self_intro.length, p.has_photo ? 1 : 0, 1]);
  },
};

interface FakeModelJson extends KitModelJson {
  format_version: number;
  intercept: number;
  coef: number[];
  checksum: string;
}

function checksum(m: { version: string; intercept: number; coef: number[] }): string {
  return createHash('sha256').update(JSON.stringify([m.version, m.intercept, m.coef])).digest('hex').slice(0, 16);
}

/** Solves (XᵀWX + αI)β = XᵀWy on centred data (intercept unpenalised). */
function ridge(X: Float64Array[], y: number[], w: number[], alpha: number, keep: boolean[]): { intercept: number; coef: number[] } {
  const d = X[0].length;
  const sw = w.reduce((a, b) => a + b, 0);
  const mx = new Array(d).fill(0);
  let my = 0;
  X.forEach((x, i) => {
    for (let j = 0; j < d; j++) mx[j] += (w[i] * x[j]) / sw;
    my += (w[i] * y[i]) / sw;
  });
  const A = Array.from({ length: d }, () => new Array(d).fill(0));
  const b = new Array(d).fill(0);
  X.forEach((x, i) => {
    for (let j = 0; j < d; j++) {
      if (!keep[j]) continue;
      const xj = x[j] - mx[j];
      b[j] += w[i] * xj * (y[i] - my);
      for (let k = 0; k < d; k++) if (keep[k]) A[j][k] += w[i] * xj * (x[k] - mx[k]);
    }
  });
  for (let j = 0; j < d; j++) A[j][j] += keep[j] ? alpha : 1;
  // Gaussian elimination (d is tiny).
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < d; r++) {
      if (r === c || M[c][c] === 0) continue;
      const fct = M[r][c] / M[c][c];
      for (let k = c; k <= d; k++) M[r][k] -= fct * M[c][k];
    }
  }
  const coef = M.map((r, i) => (keep[i] && r[i] !== 0 ? r[d] / r[i] : 0));
  const intercept = my - coef.reduce((a, c, j) => a + c * mx[j], 0);
  return { intercept, coef };
}

let counter = 0;

export function fakeLiveModel(m: FakeModelJson): LiveModel {
  const explain = (s: ProfileSnapshot) => {
    const x = fakeFeaturizer.featurize(s);
    const contributions = m.feature_names.map((feature, j) => ({ feature, value: x[j], contribution: m.coef[j] * x[j] }));
    const raw = m.intercept + contributions.reduce((a, c) => a + c.contribution, 0);
    return { raw, score: Math.min(5, Math.max(1, raw)), intercept: m.intercept, contributions };
  };
  return {
    version: m.version,
    featureSpecVersion: m.feature_spec_version,
    explain,
    score(s) {
      const e = explain(s);
      return { score: e.score, percentile: 50, occupation_percentile: 50, reasons: [] };
    },
    toJSON: () => m,
  };
}

export function fakeKit(o: { materializeDelayMs?: number; afterMaterialize?: () => Promise<void> } = {}): ModelKit & { materialized: number } {
  const kit = {
    materialized: 0,
    loadFeaturizer: async () => fakeFeaturizer,
    fit(X: Float64Array[], y: number[], spec: { version: string }, fo: { alpha?: number; weights?: number[]; version?: string; selected?: string[] }) {
      const keep = FEATURES.map((f) => !fo.selected || fo.selected.includes(f.name));
      const { intercept, coef } = ridge(X, y, fo.weights ?? y.map(() => 1), fo.alpha ?? 1, keep);
      const version = fo.version ?? `fake-${++counter}`;
      const model: FakeModelJson = { type: 'fake.linear', format_version: 1, version, feature_spec_version: spec.version, feature_names: FEATURES.map((f) => f.name), intercept, coef, checksum: '' };
      model.checksum = checksum(model);
      return { model, cv: { alpha: fo.alpha ?? 1, rmse: 0 } };
    },
    parse(json: unknown): FakeModelJson {
      const m = json as FakeModelJson;
      if (!m || m.type !== 'fake.linear') throw new TypeError('not a fake.linear model');
      if (!Array.isArray(m.coef) || m.coef.some((c) => typeof c !== 'number' || !Number.isFinite(c))) throw new TypeError('corrupt coefficients');
      if (checksum(m) !== m.checksum) throw new TypeError('checksum mismatch');
      return m;
    },
    predict: (m: KitModelJson, x: Float64Array) => (m as FakeModelJson).intercept + (m as FakeModelJson).coef.reduce((a, c, j) => a + c * x[j], 0),
    createLiveModel: (m: KitModelJson) => fakeLiveModel(m as FakeModelJson),
    async materializeScores(w: Warehouse, m: LiveModel, _f: KitFeaturizer, mo: { now?: Date } = {}) {
      const rows = await w.query<Freelancer>(`SELECT * FROM ${w.dialect.table('freelancers')}`);
      if (o.materializeDelayMs) await new Promise((r) => setTimeout(r, o.materializeDelayMs));
      const at = (mo.now ?? new Date()).toISOString();
      const scores: FreelancerScore[] = rows.map((f) => ({ freelancer_id: f.id, model_version: m.version, score: m.explain({ profile: f, activity: null }).score, percentile: 50, occupation_percentile: 50, occupation: f.occupation, reasons: [], scored_at: at }));
      await w.execute(`DELETE FROM ${w.dialect.table('freelancer_scores')}`);
      await w.append(freelancerScores, scores as unknown as Record<string, unknown>[]);
      kit.materialized++;
      await o.afterMaterialize?.();
      return buildScoreTable(m.version, at, scores);
    },
    async loadScoreTable(w: Warehouse) {
      const rows = await w.query<FreelancerScore>(`SELECT * FROM ${w.dialect.table('freelancer_scores')}`);
      if (!rows.length) return null;
      return buildScoreTable(rows[0].model_version, rows[0].scored_at, rows);
    },
  };
  return kit as ModelKit & { materialized: number };
}

// ---------- deps for tests ----------
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { LiveHolder } from '../src/scores/live.ts';
import { loadConfig } from '../src/config.ts';
import { memoryLogger } from '../src/log.ts';
import type { TrainingDeps } from '../src/training/deps.ts';

/** A movable clock starting at `start`. */
export function clock(start = '2026-11-01T00:00:00.000Z') {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms: number) => (t += ms), iso: () => new Date(t).toISOString() };
}

export async function testDeps(o: { kit?: ModelKit; file?: string; clock?: ReturnType<typeof clock>; env?: Record<string, string> } = {}) {
  const warehouse = new DuckdbWarehouse({ file: o.file ?? ':memory:' });
  await warehouse.migrate(allTables);
  const { logger, lines } = memoryLogger();
  const c = o.clock ?? clock();
  const deps: TrainingDeps & { kit: ModelKit } = {
    warehouse,
    live: new LiveHolder(),
    config: loadConfig({ DATA_DIR: '/tmp/workship-training-test-unused', ...o.env }),
    log: logger,
    now: c.now,
    kit: o.kit ?? fakeKit(),
  };
  return { deps, lines, clock: c };
}
