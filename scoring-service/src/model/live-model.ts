/**
 * The LiveModel (model/types.ts) over a parsed ScoringModelJson and the process's
 * featurizer: exact per-feature contributions, scores clipped to the 1–5 scale,
 * percentiles against the materialised distribution, top reasons with labels (per profile
 * attribute: model/reasons.ts).
 *
 * With a calibration g (format 2) the score is clip(g(raw)). Contributions stay exact: the
 * linear contributions c_j (summing with the intercept r0 to raw) are all multiplied by
 * (g(raw) − g(r0)) / (raw − r0), so the baseline g(r0) plus the contributions is g(raw) —
 * each feature keeps its sign and its share of the move away from the average profile.
 */
import { groupPositions, type Featurizer } from '../features/featurizer.ts';
import { fillDemand } from '../features/skill-demand.ts';
import type { ProfileSnapshot, Reason } from '../domain/types.ts';
import type { FeatureContribution, LiveModel, ScoredProfile } from './types.ts';
import { ModelFormatError, clipScore, parseScoringModel, type ScoringModelJson } from './scoring-model.ts';
import { calibrate, scaleContributions } from './calibration.ts';
import { reasonRanker } from './reasons.ts';
import { occupationPercentileOf, percentileOf, rememberedDistribution, type ScoreDistribution } from './distribution.ts';

export const TOP_REASONS = 3;

export interface ExplainingModel extends LiveModel {
  readonly json: ScoringModelJson;
  readonly distribution: ScoreDistribution | null;
  /**
   * Contributions of a precomputed feature vector (the featurizer's full vector), calibrated;
   * returns the score before clipping: baseline + Σ out = the returned score (within 1e-12).
   */
  contributionsOf(x: ArrayLike<number>, out: Float64Array): number;
  /** g(intercept): the score of the average training profile, the contributions' base. */
  readonly baseline: number;
  reasonsOf(contributions: Float64Array, n?: number): Reason[];
  /** The full feature vector this model scores for a snapshot: the featurizer's, demand features from the model's own table. */
  featuresOf(snapshot: ProfileSnapshot): Float64Array;
}

/**
 * The featurizer's vector with the 'demand' features computed from the model's skill demand
 * table (0 when it has none): what every scoring path gives this model.
 */
export function modelFeaturizer(json: Pick<ScoringModelJson, 'skill_demand'>, f: Featurizer): (s: ProfileSnapshot) => Float64Array {
  const demandIndex = groupPositions(f.spec, 'demand');
  if (!demandIndex.length) return (s) => f.featurize(s);
  return (s) => fillDemand(f.featurize(s), demandIndex, json.skill_demand, s.profile);
}

export function createLiveModel(m: ScoringModelJson, f: Featurizer, distribution?: ScoreDistribution): ExplainingModel {
  const json = parseScoringModel(m);
  if (json.feature_spec_version !== f.spec.version) {
    throw new ModelFormatError(`model ${json.version} was trained on feature spec ${json.feature_spec_version}, this service computes ${f.spec.version}`, 'feature_spec_version');
  }
  if (json.feature_spec_size !== f.spec.features.length) {
    throw new ModelFormatError(`model field 'feature_spec_size' is ${json.feature_spec_size}, the feature spec has ${f.spec.features.length} features`, 'feature_spec_size');
  }
  json.feature_names.forEach((n, j) => {
    if (f.spec.features[json.feature_index[j]].name !== n) {
      throw new ModelFormatError(`model feature '${n}' is not at position ${json.feature_index[j]} of feature spec ${f.spec.version}`, `feature_names[${j}]`);
    }
  });
  const p = json.coefficients.length;
  const coef = Float64Array.from(json.coefficients);
  const mean = Float64Array.from(json.standardization.mean);
  const scale = Float64Array.from(json.standardization.scale);
  const index = Int32Array.from(json.feature_index);
  const defs = json.feature_index.map((i) => f.spec.features[i]);
  const fallback: ScoreDistribution = { overall: Float64Array.from(json.prediction_quantiles).sort(), byOccupation: new Map() };
  // Given, else the one materialised for this version, else the training predictions' quantiles.
  const distOf = () => distribution ?? rememberedDistribution(json.version) ?? fallback;

  const featurize = modelFeaturizer(json, f);
  const cal = json.calibration ?? null;
  const r0 = json.intercept;
  const baseline = cal ? calibrate(cal, r0) : r0;

  // Same expression and order as predictRaw, so Σ contributions + intercept is the raw score bit for bit.
  function linear(x: ArrayLike<number>, out: Float64Array): number {
    let raw = r0;
    for (let j = 0; j < p; j++) {
      const c = coef[j] * ((x[index[j]] - mean[j]) / scale[j]);
      out[j] = c;
      raw += c;
    }
    return raw;
  }

  function contributionsOf(x: ArrayLike<number>, out: Float64Array): number {
    const raw = linear(x, out);
    if (!cal) return raw;
    const score = calibrate(cal, raw);
    scaleContributions(cal, r0, baseline, raw, score, out);
    return score;
  }

  // Reasons per profile attribute (the sum of its columns), shared with the sparse scorer.
  const ranker = reasonRanker(defs);
  const reasonsOf = (c: Float64Array, n = TOP_REASONS): Reason[] => ranker.reasons(c, n);

  const model: ExplainingModel = {
    version: json.version,
    featureSpecVersion: json.feature_spec_version,
    json,
    get distribution() {
      return distribution ?? rememberedDistribution(json.version) ?? null;
    },
    baseline,
    contributionsOf,
    reasonsOf,
    featuresOf: featurize,
    explain(snapshot: ProfileSnapshot) {
      const x = featurize(snapshot);
      const c = new Float64Array(p);
      const raw = linear(x, c);
      const score = cal ? calibrate(cal, raw) : raw;
      if (cal) scaleContributions(cal, r0, baseline, raw, score, c);
      const contributions: FeatureContribution[] = defs.map((d, j) => ({ feature: d.name, value: x[index[j]], contribution: c[j] }));
      return { raw, score: clipScore(score), intercept: baseline, contributions };
    },
    score(snapshot: ProfileSnapshot): ScoredProfile {
      const x = featurize(snapshot);
      const c = new Float64Array(p);
      const score = clipScore(contributionsOf(x, c));
      const dist = distOf();
      return {
        score,
        percentile: percentileOf(dist.overall, score),
        occupation_percentile: occupationPercentileOf(dist, snapshot.profile.occupation, score),
        reasons: reasonsOf(c),
      };
    },
    toJSON: () => json,
  };
  return model;
}

/** The same model measured against a new distribution (after materialisation). */
export function withDistribution(m: LiveModel, f: Featurizer, d: ScoreDistribution): ExplainingModel {
  return createLiveModel(parseScoringModel(m.toJSON()), f, d);
}
