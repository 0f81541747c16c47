/**
 * The profile version a stored feature vector belongs to: a hash of exactly the profile
 * fields the features read plus the feature spec version. Timestamps, ids and prefecture
 * are not read by any feature, so editing only them does not trigger re-analysis.
 */
import { createHash } from 'node:crypto';
import type { Profile } from '../domain/types.ts';

export function profileVersion(p: Profile, featureSpecVersion: string): string {
  const used = [
    featureSpecVersion, p.occupation, p.skills, p.years_experience, p.self_intro, p.portfolio_urls,
    p.hourly_rate_jpy ?? null, p.availability_days_per_week ?? null, p.remote_ok, p.has_photo,
  ];
  return createHash('sha1').update(JSON.stringify(used)).digest('base64url');
}
