/**
 * Materialises every freelancer's score: bring the feature store up to date (re-analysing
 * only changed profiles), refresh behaviour features from the activity summaries, score the
 * stored vectors with tight typed-array loops, rank them into percentiles, write
 * freelancer_scores in bulk and return the in-memory ScoreTable for LiveHolder.swap.
 */
import type { ActivitySummary, FreelancerScore } from '../domain/types.ts';
import { freelancerScores } from '../domain/tables.ts';
import { activitySummaries } from '../features/activity.ts';
import type { Featurizer, FullFeaturizer } from '../features/featurizer.ts';
import { unpackInto } from '../features/packing.ts';
import { freelancerFeatures } from '../features/tables.ts';
import { buildDistribution, occupationPercentileOf, percentileOf, rememberDistribution, type ScoreDistribution } from '../model/distribution.ts';
import { createLiveModel, type ExplainingModel } from '../model/live-model.ts';
import { clipScore, parseScoringModel } from '../model/scoring-model.ts';
import type { LiveModel } from '../model/types.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { buildScoreTable, type ScoreTable } from './live.ts';
import { refreshFeatureStore, type RefreshResult } from './feature-store.ts';

export interface MaterializeOptions {
  now?: Date;
  onProgress?: (done: number, total: number) => void;
  /** Activity summaries to use; computed from events as of `now` when absent. */
  activity?: Map<string, ActivitySummary>;
  /** Worker threads for a large recomputation (default 2; 0 = inline). */
  workers?: number;
}

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
  if (full.behaviourIndex && full.featurizeBehaviour) return { index: full.behaviourIndex, compute: (a) => full.featurizeBehaviour!(a) };
  const index = Int32Array.from(f.spec.features.flatMap((d, i) => (d.group === 'behaviour' ? [i] : [])));
  const empty = { id: '', occupation: '', skills: [], years_experience: 0, self_intro: '', portfolio_urls: [], hourly_rate_jpy: null, availability_days_per_week: null, prefecture: null, remote_ok: false, has_photo: false };
  return { index, compute: (a) => Float64Array.from(index, (i) => f.featurize({ profile: empty, activity: a })[i]) };
}

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
  const scores: number[] = [];
  const reasons: FreelancerScore['reasons'][] = [];
  const x = new Float64Array(D);
  const c = new Float64Array(P);
  for await (const batch of w.stream<{ freelancer_id: string; occupation: string | null; features: string }>(
    `SELECT freelancer_id, occupation, features FROM ${w.dialect.table(freelancerFeatures.name)} WHERE feature_spec_version = @spec ORDER BY freelancer_id`,
    { spec: f.spec.version },
    20_000,
  )) {
    for (const r of batch) {
      if (!unpackInto(r.features, x)) throw new RangeError(`stored features of ${r.freelancer_id} do not have ${D} entries`);
      const bv = beh.compute(activity.get(r.freelancer_id) ?? null);
      for (let k = 0; k < bv.length; k++) x[beh.index[k]] = bv[k];
      const raw = model.contributionsOf(x, c);
      ids.push(r.freelancer_id);
      occupations.push(r.occupation);
      scores.push(clipScore(raw));
      reasons.push(model.reasonsOf(c));
    }
  }
  const distribution = buildDistribution(scores, occupations);
  rememberDistribution(model.version, distribution);
  const rows: FreelancerScore[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const occ = occupations[i];
    rows[i] = {
      freelancer_id: ids[i],
      model_version: model.version,
      score: scores[i],
      percentile: percentileOf(distribution.overall, scores[i]),
      occupation_percentile: occ == null ? percentileOf(distribution.overall, scores[i]) : occupationPercentileOf(distribution, occ, scores[i]),
      occupation: occ,
      reasons: reasons[i],
      scored_at: scoredAt,
    };
  }
  const t2 = performance.now();
  // Every row is replaced, so clear and bulk-append (no per-key merge). Should the process
  // stop in between, the table is short or empty and loadScoreTable's callers re-materialise.
  await w.execute(`DELETE FROM ${w.dialect.table(freelancerScores.name)} WHERE TRUE`);
  await w.append(freelancerScores, rows as unknown as Record<string, unknown>[]);
  const t3 = performance.now();
  o.onProgress?.(ids.length, ids.length);
  const table = buildScoreTable(model.version, scoredAt, rows);
  return { ...table, distribution, stats: { refresh, scoreSeconds: (t2 - t1) / 1000, writeSeconds: (t3 - t2) / 1000, totalSeconds: (t3 - t0) / 1000 } };
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
