/** Validates `POST /v1/score` bodies: `{profile, activity?}` for a profile that is not stored. */
import { ValidationError } from '../errors.ts';
import { freelancers } from '../domain/tables.ts';
import type { ActivitySummary, Profile, ProfileSnapshot } from '../domain/types.ts';
import { validateRow } from '../domain/validate.ts';

const ACTIVITY_NUMBERS: (keyof ActivitySummary)[] = [
  'logins_30d', 'interests_received_30d', 'interests_received_90d', 'interests_sent_30d', 'interests_sent_90d',
  'matches_90d', 'messages_received_90d', 'messages_sent_90d', 'contracts_365d', 'profile_views_30d',
];
const ACTIVITY_NULLABLE: (keyof ActivitySummary)[] = ['days_since_login', 'match_rate_90d', 'response_rate_90d'];

export function emptyActivity(asOf: string): ActivitySummary {
  return {
    as_of: asOf, days_since_login: null, logins_30d: 0, interests_received_30d: 0, interests_received_90d: 0,
    interests_sent_30d: 0, interests_sent_90d: 0, matches_90d: 0, match_rate_90d: null, messages_received_90d: 0,
    messages_sent_90d: 0, response_rate_90d: null, contracts_365d: 0, profile_views_30d: 0,
  };
}

export function parseActivity(raw: unknown, now: Date, prefix = 'activity'): ActivitySummary {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ValidationError(prefix, `${prefix} must be an object`);
  const a = raw as Record<string, unknown>;
  const out = emptyActivity(typeof a.as_of === 'string' ? a.as_of : now.toISOString());
  const known = new Set<string>([...ACTIVITY_NUMBERS, ...ACTIVITY_NULLABLE, 'as_of']);
  for (const k of Object.keys(a)) if (!known.has(k)) throw new ValidationError(`${prefix}.${k}`, `${prefix}.${k} is not a known activity field`);
  for (const k of ACTIVITY_NUMBERS) {
    if (a[k] === undefined) continue;
    const v = a[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValidationError(`${prefix}.${k}`, `${prefix}.${k} must be a non-negative number`);
    (out as unknown as Record<string, unknown>)[k] = v;
  }
  for (const k of ACTIVITY_NULLABLE) {
    const v = a[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValidationError(`${prefix}.${k}`, `${prefix}.${k} must be a non-negative number or null`);
    if (k !== 'days_since_login' && v > 1) throw new ValidationError(`${prefix}.${k}`, `${prefix}.${k} must be a share from 0 to 1`);
    (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}

export function parseProfile(raw: unknown, prefix = 'profile'): Profile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ValidationError(prefix, `${prefix} must be an object`);
  const p = { ...(raw as Record<string, unknown>) };
  if (p.id === undefined) p.id = '';
  p.portfolio_urls ??= [];
  p.remote_ok ??= false;
  p.has_photo ??= false;
  const issues = validateRow(freelancers, p, { allowMissing: ['id', 'registered_at', 'updated_at'] }).filter(
    (i) => !(i.field === 'id' && p.id === ''),
  );
  if (issues.length) {
    const first = issues[0];
    throw new ValidationError(`${prefix}.${first.field}`, `${prefix}.${first.field} ${first.message}`, { issues: issues.map((i) => ({ field: `${prefix}.${i.field}`, message: i.message })) });
  }
  return p as unknown as Profile;
}

export function parseScoreRequest(body: unknown, now: Date): ProfileSnapshot {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('body', 'body must be a JSON object {profile, activity?}');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (k !== 'profile' && k !== 'activity') throw new ValidationError(k, `${k} is not a field of this request (profile, activity)`);
  if (b.profile === undefined) throw new ValidationError('profile', 'profile is required');
  const profile = parseProfile(b.profile);
  const activity = b.activity === undefined || b.activity === null ? null : parseActivity(b.activity, now);
  return { profile, activity };
}
