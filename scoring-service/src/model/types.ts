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
  /**
   * coefficient × standardised value, scaled by the model's calibration when it has one
   * (model/live-model.ts): intercept + Σ contributions = the score before clipping.
   */
  contribution: number;
}

/** A loaded, validated model ready to score. */
export interface LiveModel {
  readonly version: string;
  readonly featureSpecVersion: string;
  /**
   * Raw (linear, uncalibrated) prediction, served score (calibrated, clipped), and exact
   * per-feature contributions with their base `intercept` (the calibrated score of the
   * average training profile): intercept + Σ contributions = the score before clipping.
   */
  explain(snapshot: ProfileSnapshot): { raw: number; score: number; intercept: number; contributions: FeatureContribution[] };
  /** Score + percentiles (against the distribution the model was materialised with) + top reasons. */
  score(snapshot: ProfileSnapshot): ScoredProfile;
  /** The serialised, type-tagged model JSON (what the registry stores). */
  toJSON(): unknown;
}
