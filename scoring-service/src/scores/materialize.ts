/**
 * Materialises every freelancer's score: bring the feature store up to date (re-analysing
 * only changed profiles), refresh behaviour features from the activity summaries and the skill
 * demand features from each row's stored skill keys and the model's demand table, score the
 * stored vectors with tight typed-array loops (on a worker thread for large tables, while
 * this thread reads the next batch: score-pool.ts), rank them into percentiles, replace
 * freelancer_scores in bulk and return the in-memory ScoreTable for LiveHolder.swap.
 */
import type { ActivitySummary, FreelancerScore, Reason } from '../domain/types.ts';
import { freelancerScores } from '../domain/tables.ts';
import { activitySummaries } from '../features/activity.ts';
import { groupPositions, type Featurizer, type FullFeaturizer } from '../features/featurizer.ts';
import { freelancerFeatures } from '../features/tables.ts';
import { buildDistribution, percentileLookup, rememberDistribution, type ScoreDistribution } from '../model/distribution.ts';
import { TOP_REASONS, createLiveModel, type ExplainingModel } from '../model/live-model.ts';
import { clipScore, parseScoringModel } from '../model/scoring-model.ts';
import type { LiveModel } from '../model/types.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { buildScoreTable, type ScoreTable } from './live.ts';
import { refreshFeatureStore, type RefreshResult } from './feature-store.ts';
import { sparseScorer } from './sparse-scorer.ts';
import type { ScoreBatchResult } from './score-batch.ts';
import { inlineScoring, workerScoring, type ScoringThreads } from './score-pool.ts';

export interface MaterializeOptions {
  now?: Date;
  onProgress?: (done: number, total: number) => void;
  /** Activity summaries to use; computed from events as of `now` when absent. */
  activity?: Map<string, ActivitySummary>;
  /** Threads featurizing a large recomputation, the calling one included (default every core; 0 = inline). */
  workers?: number;
  /** Rows read before scoring moves to a worker thread (default 50 000; tests make it small). */
  scoreWorkerFrom?: number;
}

const SCORE_WORKER_FROM = 50_000;

export interface MaterializedScores extends ScoreTable {
  distribution: ScoreDistribution;
  stats: { refresh: RefreshResult; scoreSeconds: number; writeSeconds: number; totalSeconds: number };
}

function explaining(m: LiveModel, f: Featurizer): ExplainingModel {
  const e = m as Partial<ExplainingModel>;
  return typeof e.contributionsOf === 'function' && typeof e.reasonsOf === 'function' ? (m as ExplainingModel) : createLiveModel(parseScoringModel(m.toJSON()), f);
}

function behaviourOf(f: Featurizer): { index: Int32Array; compute: (a: ActivitySummary | null) => Float64Array } {
  const full = f as Partial<FullFeaturizer>;
  if (full.behaviourIndex && full.featurizeBehaviour) return { index: full.behaviourIndex, compute: memoised((a) => full.featurizeBehaviour!(a)) };
  const index = groupPositions(f.spec, 'behaviour');
  const empty = { id: '', occupation: '', skills: [], years_experience: 0, self_intro: '', portfolio_urls: [], hourly_rate_jpy: null, availability_days_per_week: null, prefecture: null, remote_ok: false, has_photo: false };
  return { index, compute: memoised((a) => Float64Array.from(index, (i) => f.featurize({ profile: empty, activity: a })[i])) };
}

/**
 * Behaviour features depend only on the summary's numbers, and most freelancers share a
 * handful of summaries (no events; a login or two): computing them once per distinct
 * summary instead of once per freelancer takes seconds off a million rows. The cache is an
 * open-addressing table over the numbers themselves (no key string per row).
 */
function memoised(compute: (a: ActivitySummary | null) => Float64Array): (a: ActivitySummary | null) => Float64Array {
  const none = compute(null);
  const F = NUMERIC.length;
  const CAP = 1 << 17;
  const keys = new Float64Array(CAP * F);
  const vals: (Float64Array | undefined)[] = new Array(CAP);
  const row = new Float64Array(F);
  const bits = new Int32Array(row.buffer);
  let size = 0;
  let asOf: string | null = null;
  let cacheable: boolean | null = null;
  return (a) => {
    if (a === null) return none;
    // Keyed on every field; should ActivitySummary gain one, or summaries differ in as_of,
    // compute instead of mixing summaries up (the shape is checked once: one producer).
    cacheable ??= Object.keys(a).length === NUMERIC.length + 1 && Object.keys(a).every((k) => k === 'as_of' || (NUMERIC as readonly string[]).includes(k));
    asOf ??= a.as_of;
    if (!cacheable || a.as_of !== asOf) return compute(a);
    let h = 0x811c9dc5;
    for (let k = 0; k < F; k++) {
      const v = a[NUMERIC[k]];
      row[k] = v === null ? -Infinity : v;
      h = Math.imul(h ^ bits[2 * k], 0x01000193) ^ bits[2 * k + 1];
      h = Math.imul(h, 0x5bd1e995);
    }
    let slot = (h >>> 0) & (CAP - 1);
    for (;;) {
      const hit = vals[slot];
      if (hit === undefined) break;
      let same = true;
      for (let k = 0; k < F && same; k++) same = keys[slot * F + k] === row[k];
      if (same) return hit;
      slot = (slot + 1) & (CAP - 1);
    }
    const v = compute(a);
    if (size < CAP / 2) {
      keys.set(row, slot * F);
      vals[slot] = v;
      size++;
    }
    return v;
  };
}

const NUMERIC = ['days_since_login', 'logins_30d', 'interests_received_30d', 'interests_received_90d', 'interests_sent_30d', 'interests_sent_90d', 'matches_90d',
  'match_rate_90d', 'messages_received_90d', 'messages_sent_90d', 'response_rate_90d', 'contracts_365d', 'profile_views_30d'] as const satisfies readonly (keyof ActivitySummary)[];

export async function materializeScores(w: Warehouse, m: LiveModel, f: Featurizer, o: MaterializeOptions = {}): Promise<MaterializedScores> {
  const t0 = performance.now();
  const now = o.now ?? new Date();
  const scoredAt = now.toISOString();
  const model = explaining(m, f);
  if (model.featureSpecVersion !== f.spec.version) throw new RangeError(`model ${model.version} uses feature spec ${model.featureSpecVersion}, the featurizer is ${f.spec.version}`);
  await w.migrate([freelancerFeatures, freelancerScores]);
  const refresh = await refreshFeatureStore(w, f, { now, workers: o.workers, onProgress: o.onProgress });
  const activity = o.activity ?? (await activitySummaries(w, 'all', now));

  const t1 = performance.now();
  const D = f.spec.features.length;
  const P = model.json.coefficients.length;
  const beh = behaviourOf(f);
  const ids: string[] = [];
  const occupations: (string | null)[] = [];
  let scores = new Float64Array(1 << 16);
  const reasons: Reason[][] = [];
  const demandIndex = groupPositions(f.spec, 'demand');
  const scorer = sparseScorer(model.json, f.spec.features, beh.index, demandIndex);
  const B = beh.index.length;
  const inline = inlineScoring(scorer, P);
  let worker: ScoringThreads | null = null;
  const queued: { ids: (string | null)[]; occupations: (string | null)[]; result: Promise<ScoreBatchResult> }[] = [];
  // Rows leave the queue in batch order: scores, occupations and reasons exactly as scored inline.
  const take = async () => {
    const q = queued.shift()!;
    const { raw, top, contributions } = await q.result;
    const rows = raw.length;
    if (ids.length + rows > scores.length) {
      const grown = new Float64Array(Math.max(scores.length * 2, ids.length + rows));
      grown.set(scores);
      scores = grown;
    }
    for (let r = 0; r < rows; r++) {
      const id = q.ids[r]!;
      if (Number.isNaN(raw[r])) throw new RangeError(`stored features of ${id} do not have ${D} entries${demandIndex.length ? ' or no skill keys' : ''}`);
      scores[ids.length] = clipScore(raw[r]);
      ids.push(id);
      occupations.push(q.occupations[r]);
      const at = r * TOP_REASONS;
      let k = 0;
      while (k < TOP_REASONS && top[at + k] >= 0) k++;
      const rs: Reason[] = new Array(k);
      for (let q2 = 0; q2 < k; q2++) rs[q2] = scorer.reason(top[at + q2], contributions[at + q2]);
      reasons.push(rs);
    }
  };
  let streamed = 0;
  try {
    // Skill keys are read only when the spec has demand features: a flat double list, like the vector.
    for await (const b of w.streamColumns(
      `SELECT freelancer_id, occupation, vector${demandIndex.length ? ', skill_keys' : ''} FROM ${w.dialect.table(freelancerFeatures.name)} WHERE feature_spec_version = @spec`,
      { spec: f.spec.version },
      { freelancer_id: 'STRING', occupation: 'STRING', vector: 'FLOAT64[]', ...(demandIndex.length ? { skill_keys: 'FLOAT64[]' as const } : {}) },
    )) {
      const { freelancer_id: bid, occupation: bocc, vector: v } = b.columns;
      const keys = (b.columns as { skill_keys?: { offsets: Uint32Array; values: Float64Array } }).skill_keys;
      const behaviour = new Float64Array(b.rows * B);
      for (let r = 0; r < b.rows; r++) behaviour.set(beh.compute(activity.get(bid[r]!) ?? null), r * B);
      streamed += b.rows;
      if (!worker && streamed > (o.scoreWorkerFrom ?? SCORE_WORKER_FROM)) worker = workerScoring(model.json, f.spec.features, beh.index, demandIndex);
      const result = (worker ?? inline).score({ rows: b.rows, offsets: v.offsets, values: v.values, behaviour, behaviourWidth: B, topN: TOP_REASONS, ...(keys ? { keys } : {}) });
      result.catch(() => {}); // awaited in take(); no unhandled rejection meanwhile
      queued.push({ ids: bid, occupations: bocc, result });
      // Two batches in flight keep the worker busy while this thread reads and takes.
      while (queued.length > (worker ? 2 : 0)) await take();
    }
    while (queued.length) await take();
  } finally {
    await worker?.close();
  }
  const n = ids.length;
  scores = scores.subarray(0, n);
  const distribution = buildDistribution(scores, occupations);
  rememberDistribution(model.version, distribution);
  const percentiles = new Float64Array(n);
  const occupationPercentiles = new Float64Array(n);
  const rows: FreelancerScore[] = new Array(n);
  // percentileOf / occupationPercentileOf, exactly, as bucketed lookups (model/distribution.ts).
  const overallPct = percentileLookup(distribution.overall);
  const byOccupation = new Map<string, (v: number) => number>();
  const occupationPct = (occ: string) => {
    let f = byOccupation.get(occ);
    if (!f) {
      const g = distribution.byOccupation.get(occ);
      byOccupation.set(occ, (f = g && g.length ? percentileLookup(g) : overallPct));
    }
    return f;
  };
  for (let i = 0; i < n; i++) {
    const occ = occupations[i];
    const s = scores[i];
    const pct = overallPct(s);
    const occPct = occ == null ? pct : occupationPct(occ)(s);
    percentiles[i] = pct;
    occupationPercentiles[i] = occPct;
    rows[i] = {
      freelancer_id: ids[i],
      model_version: model.version,
      score: s,
      percentile: pct,
      occupation_percentile: occPct,
      occupation: occ,
      reasons: reasons[i],
      scored_at: scoredAt,
    };
  }
  const t2 = performance.now();
  // Every row is replaced: in one step where the warehouse can (DuckDB: a fresh table whose key
  // index is built once), else clear and bulk-append columns (no per-key merge, no object per
  // row on the way in); should the process stop in between, the table is short or empty and
  // loadScoreTable's callers re-materialise.
  const columns = {
    freelancer_id: ids,
    model_version: { constant: model.version },
    score: scores,
    percentile: percentiles,
    occupation_percentile: occupationPercentiles,
    occupation: occupations,
    reasons: { value: reasonJsonWriter(reasons) },
    scored_at: { constant: scoredAt },
  };
  if (w.replaceColumns) await w.replaceColumns(freelancerScores, n, columns);
  else {
    await w.execute(`DELETE FROM ${w.dialect.table(freelancerScores.name)} WHERE TRUE`);
    await w.appendColumns(freelancerScores, n, columns);
  }
  const t3 = performance.now();
  o.onProgress?.(n, n);
  const table = buildScoreTable(model.version, scoredAt, rows);
  return { ...table, distribution, stats: { refresh, scoreSeconds: (t2 - t1) / 1000, writeSeconds: (t3 - t2) / 1000, totalSeconds: (t3 - t0) / 1000 } };
}

/**
 * JSON.stringify(reasons) of a row, exactly, from per-feature fragments built once (a
 * million rows repeat the same few dozen feature names and labels), made only as the row
 * is written so that a million JSON texts never sit in memory together.
 */
function reasonJsonWriter(all: Reason[][]): (row: number) => string {
  const heads = new Map<string, { label: string; label_en: string | undefined; head: string }>();
  return (row) => {
    const reasons = all[row];
    let out = '[';
    for (let k = 0; k < reasons.length; k++) {
      const r = reasons[k];
      let h = heads.get(r.feature);
      if (h === undefined || h.label !== r.label || h.label_en !== r.label_en) {
        const { contribution: _, ...rest } = r;
        h = { label: r.label, label_en: r.label_en, head: JSON.stringify(rest).slice(0, -1) + ',"contribution":' };
        heads.set(r.feature, h);
      }
      out += (k ? ',' : '') + h.head + JSON.stringify(r.contribution) + '}';
    }
    return out + ']';
  };
}

/** The stored scores (null when none), with their distribution remembered for the model's percentiles. */
export async function loadScoreTable(w: Warehouse): Promise<ScoreTable | null> {
  await w.migrate([freelancerScores]);
  const rows: FreelancerScore[] = [];
  for await (const batch of w.stream<FreelancerScore>(`SELECT * FROM ${w.dialect.table(freelancerScores.name)} ORDER BY freelancer_id`, {}, 20_000)) {
    for (const r of batch) rows.push(r);
  }
  if (!rows.length) return null;
  const versions = new Set(rows.map((r) => r.model_version));
  if (versions.size !== 1) return null;
  const version = rows[0].model_version;
  let scoredAt = rows[0].scored_at;
  for (const r of rows) if (r.scored_at > scoredAt) scoredAt = r.scored_at;
  rememberDistribution(version, buildDistribution(rows.map((r) => r.score), rows.map((r) => r.occupation)));
  return buildScoreTable(version, scoredAt, rows);
}
