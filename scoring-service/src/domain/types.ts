/** Plain row types of the core tables (see tables.ts for the column definitions). */

export interface Freelancer {
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
  registered_at: string;
  updated_at: string;
  last_login_at: string | null;
}

/** The part of a freelancer that is scored (what an annotator sees); ids and timestamps aside. */
export type Profile = Omit<Freelancer, 'registered_at' | 'updated_at' | 'last_login_at'> & {
  registered_at?: string;
  updated_at?: string;
  last_login_at?: string | null;
};

/**
 * Behaviour summary of one freelancer, computed from events as of a moment
 * (features/activity.ts). Stored inside annotation snapshots so training never
 * depends on what the live data says later.
 */
export interface ActivitySummary {
  as_of: string;
  days_since_login: number | null;
  logins_30d: number;
  interests_received_30d: number;
  interests_received_90d: number;
  interests_sent_30d: number;
  interests_sent_90d: number;
  matches_90d: number;
  /** matches / interests received, 90 days; null when nothing was received. */
  match_rate_90d: number | null;
  messages_received_90d: number;
  messages_sent_90d: number;
  /** Share of received message threads the freelancer answered (90 days); null without messages. */
  response_rate_90d: number | null;
  contracts_365d: number;
  profile_views_30d: number;
}

export interface ProfileSnapshot {
  profile: Profile;
  activity: ActivitySummary | null;
}

export interface Company {
  id: string;
  name: string;
  industry: string | null;
  employees: number | null;
  prefecture: string | null;
  registered_at: string;
}

export interface Job {
  id: string;
  company_id: string;
  title: string;
  occupation: string;
  skills: string[];
  description: string | null;
  hourly_rate_min_jpy: number | null;
  hourly_rate_max_jpy: number | null;
  remote_ok: boolean | null;
  posted_at: string;
  closed_at: string | null;
}

export interface EventRow {
  event_id: string;
  event_time: string;
  event_type: string;
  actor_type: string;
  actor_id: string;
  target_type: string | null;
  target_id: string | null;
  properties: Record<string, unknown> | null;
}

export interface Annotation {
  annotation_id: string;
  freelancer_id: string;
  annotator: string;
  score: number;
  comment: string | null;
  profile_snapshot: ProfileSnapshot;
  model_version: string | null;
  predicted_score: number | null;
  rubric_version: string | null;
  created_at: string;
  client_request_id: string | null;
}

export interface FreelancerScore {
  freelancer_id: string;
  model_version: string;
  score: number;
  percentile: number;
  occupation_percentile: number;
  occupation: string | null;
  reasons: Reason[];
  scored_at: string;
}

export interface Reason {
  feature: string;
  label: string;
  label_en?: string;
  contribution: number;
}
