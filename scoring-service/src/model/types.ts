/**
 * The contract between the model code (features/, model/) and everything that serves or
 * trains with it. Implementations: model/live-model.ts (built by the model area).
 */
import type { ProfileSnapshot, Reason } from '../domain/types.ts';

export interface ScoredProfile {
  /** On the annotators' 1–5 scale (clipped). */
  score: number;
  /** 0–100 among all scored freelancers of the live model. */
  percentile: number;
  /** 0–100 within the same occupation. */
  occupation_percentile: number;
  /** Top reasons by absolute contribution, Japanese labels. */
  reasons: Reason[];
}

export interface FeatureContribution {
  feature: string;
  value: number;
  /** coefficient × standardised value; contributions + intercept = raw prediction exactly. */
  contribution: number;
}

/** A loaded, validated model ready to score. */
export interface LiveModel {
  readonly version: string;
  readonly featureSpecVersion: string;
  /** Raw prediction and exact per-feature contributions for one snapshot. */
  explain(snapshot: ProfileSnapshot): { raw: number; score: number; intercept: number; contributions: FeatureContribution[] };
  /** Score + percentiles (against the distribution the model was materialised with) + top reasons. */
  score(snapshot: ProfileSnapshot): ScoredProfile;
  /** The serialised, type-tagged model JSON (what the registry stores). */
  toJSON(): unknown;
}
