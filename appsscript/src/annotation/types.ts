/**
 * Shapes of the annotation API as the add-on uses them (the service's contract, issue 4 and
 * CONTRACTS.md). Plain JSON only: these cross google.script.run, which drops anything else.
 * The sidebar imports these types too.
 */
import type { ActivitySummary, Reason } from '../../../scoring-service/src/domain/types.ts';

export interface TaskProfile {
  id: string;
  occupation: string;
  skills: string[];
  years_experience: number;
  self_intro: string;
  portfolio_urls: string[];
  hourly_rate_jpy: number | null;
  availability_days_per_week: number | null;
  prefecture: string | null;
  remote_ok: boolean;
  has_photo: boolean;
  [key: string]: unknown;
}

/** The service's own shapes, shared so the add-on cannot drift from them (type-only import). */
export type TaskActivity = ActivitySummary;

export type TaskReason = Reason;

export interface TaskPrediction {
  score: number;
  percentile: number;
  occupation_percentile: number;
  reasons: TaskReason[];
  model_version: string;
}

export interface Task {
  task_id: string;
  lease_id: string;
  lease_expires_at: string;
  freelancer_id: string;
  profile: TaskProfile;
  activity: TaskActivity | null;
  /** null in blind mode or before any model exists. */
  prediction: TaskPrediction | null;
  why: { code: string; label_ja: string; label_en: string };
  rubric_version: string;
  /** Picked for double annotation (agreement measurement). */
  double?: boolean;
  blind?: boolean;
}

export interface TaskBatch {
  tasks: Task[];
  /** Profiles still waiting for this annotator, when the service says. */
  queue_size: number | null;
}

export interface Submission {
  lease_id: string;
  freelancer_id: string;
  score: number;
  comment: string;
  rubric_version: string;
  client_request_id: string;
}

export interface SkipRequest {
  lease_id: string;
  freelancer_id: string;
  reason: string;
}

export interface Rubric {
  version: string;
  /** Japanese, the shared text. */
  text: string;
  text_en: string | null;
  updated_by: string | null;
  updated_at: string | null;
}

export interface AnnotationSettings {
  blind_mode: boolean;
  double_share: number;
}

export interface AnnotatorStats {
  annotator: string;
  count: number;
  today: number;
  bias: number | null;
  agreement: number | null;
}

export interface MyStats {
  /** The caller's identity as the service verified it. */
  me: string | null;
  /** The caller may edit the rubric and settings; null when the service does not say. */
  is_admin: boolean | null;
  today: number;
  total: number;
  queue_size: number | null;
  annotators: AnnotatorStats[];
}

export interface SidebarState {
  settings: AnnotationSettings;
  rubric: Rubric;
  stats: MyStats;
  batch: TaskBatch;
}
