/**
 * A small hand-made dataset with hand-computed KPIs for 2026-03-01..03 (Asia/Tokyo).
 * Times are written in JST; comments give the reasoning behind every expected number.
 */
import type { Warehouse } from '../src/warehouse/port.ts';
import { annotations, events, freelancerScores, freelancers, modelVersions } from '../src/domain/tables.ts';

/** 'YYYY-MM-DD HH:MM[:SS]' in JST → ISO UTC. */
export const jst = (s: string) => new Date(s.replace(' ', 'T') + '+09:00').toISOString();

let seq = 0;
const ev = (time: string, event_type: string, actor_type: string, actor_id: string, target_type: string | null = null, target_id: string | null = null) => ({
  event_id: `e${String(++seq).padStart(4, '0')}`, event_time: jst(time), event_type, actor_type, actor_id, target_type, target_id, properties: {},
});

export const EVENTS = [
  ev('2026-01-20 12:00', 'login', 'freelancer', 'f9'), // before the 30-day look-back of 03-01: never counted
  ev('2026-02-01 00:30', 'login', 'freelancer', 'f8'), // JST 02-01 (UTC 01-31): in the MAU windows of 03-01 and 03-02 only
  ev('2026-02-05 12:00', 'login', 'freelancer', 'f1'),
  // 03-01
  ev('2026-03-01 08:00', 'login', 'freelancer', 'f1'),
  ev('2026-03-01 09:00', 'signup', 'freelancer', 'f1'),
  ev('2026-03-01 23:30', 'signup', 'freelancer', 'f2'), // UTC 14:30, still 03-01 in Tokyo
  ev('2026-03-01 10:00', 'signup', 'company', 'c1'),
  ev('2026-03-01 11:00', 'interest', 'company', 'c1', 'freelancer', 'f1'),
  ev('2026-03-01 11:05', 'interest', 'company', 'c1', 'freelancer', 'f2'),
  ev('2026-03-01 12:00', 'interest', 'freelancer', 'f1', 'job', 'j1'),
  ev('2026-03-01 13:00', 'match', 'company', 'c1', 'freelancer', 'f1'),
  ev('2026-03-01 14:00', 'message', 'freelancer', 'f1', 'company', 'c1'),
  ev('2026-03-01 14:05', 'message', 'company', 'c1', 'freelancer', 'f1'),
  // 03-02
  ev('2026-03-02 00:10', 'signup', 'freelancer', 'f3'), // UTC 03-01 15:10: 03-02 in Tokyo
  ev('2026-03-02 10:00', 'login', 'freelancer', 'f2'),
  ev('2026-03-02 11:00', 'interest', 'company', 'c2', 'freelancer', 'f3'),
  ev('2026-03-02 11:30', 'interest', 'freelancer', 'f2', 'job', 'j1'),
  ev('2026-03-02 11:40', 'interest', 'freelancer', 'f3', 'job', 'j2'),
  ev('2026-03-02 15:00', 'contract', 'company', 'c1', 'freelancer', 'f1'),
  ev('2026-03-02 16:00', 'message', 'freelancer', 'f2', 'company', 'c2'),
  // 03-03
  ev('2026-03-03 23:59', 'login', 'company', 'c1'),
  // 03-04 00:00 JST = 03-03 15:00 UTC: outside [03-01, 03-03]
  ev('2026-03-04 00:00', 'login', 'freelancer', 'f5'),
];

const intro = (n: number) => 'あ'.repeat(n);
const fl = (id: string, registered: string, o: { photo: boolean; skills: number; portfolio: number; intro: number }) => ({
  id, occupation: 'エンジニア', skills: Array.from({ length: o.skills }, (_, i) => `s${i}`), years_experience: 3, self_intro: intro(o.intro),
  portfolio_urls: Array.from({ length: o.portfolio }, (_, i) => `https://example.com/${id}/${i}`), hourly_rate_jpy: 3000, availability_days_per_week: 3,
  prefecture: '東京都', remote_ok: true, has_photo: o.photo, registered_at: jst(registered), updated_at: jst(registered), last_login_at: null,
});

export const FREELANCERS = [
  fl('f0', '2025-12-01 10:00', { photo: true, skills: 2, portfolio: 1, intro: 99 }), // 99 characters: incomplete
  fl('f1', '2026-03-01 09:00', { photo: true, skills: 1, portfolio: 1, intro: 100 }), // complete
  fl('f2', '2026-03-01 23:30', { photo: false, skills: 3, portfolio: 2, intro: 300 }), // no photo: incomplete
  fl('f3', '2026-03-02 00:10', { photo: true, skills: 2, portfolio: 1, intro: 150 }), // complete
];

const ann = (id: string, created: string) => ({
  annotation_id: id, freelancer_id: 'f1', annotator: 'alice@example.com', score: 4, comment: null,
  profile_snapshot: {}, model_version: 'm2', predicted_score: 3.2, rubric_version: 'r1', created_at: jst(created), client_request_id: null,
});
export const ANNOTATIONS = [ann('a1', '2026-03-02 10:00'), ann('a2', '2026-03-02 23:59'), ann('a3', '2026-03-03 00:00:01')];

export const MODEL_VERSIONS = [
  { version: 'm1', created_at: jst('2026-02-19 04:00'), status: 'retired', model: {}, metrics: null, lineage: null, activated_at: jst('2026-02-20 04:00') },
  { version: 'm2', created_at: jst('2026-03-02 04:00'), status: 'live', model: {}, metrics: null, lineage: null, activated_at: jst('2026-03-02 05:00') },
  { version: 'm3', created_at: jst('2026-03-03 04:00'), status: 'rejected', model: {}, metrics: null, lineage: null, activated_at: null },
];

const score = (id: string, s: number) => ({
  freelancer_id: id, model_version: 'm2', score: s, percentile: 50, occupation_percentile: 50, occupation: 'エンジニア', reasons: [], scored_at: jst('2026-03-02 05:10'),
});
export const SCORES = [score('f0', 2.0), score('f1', 3.0), score('f2', 4.5), score('f3', 5.0)];

export async function loadKpiDataset(w: Warehouse): Promise<void> {
  await w.upsert(events, EVENTS);
  await w.upsert(freelancers, FREELANCERS);
  await w.upsert(annotations, ANNOTATIONS);
  await w.upsert(modelVersions, MODEL_VERSIONS);
  await w.upsert(freelancerScores, SCORES);
}

/** Hand-computed KPIs for 03-01, 03-02, 03-03. */
export const EXPECTED: Record<string, [number | string | null, number | string | null, number | string | null]> = {
  new_freelancers: [2, 1, 0], // f1, f2 | f3 (00:10 JST) | —
  new_companies: [1, 0, 0],
  dau_freelancers: [2, 2, 0], // {f1,f2} | {f2,f3} | —
  wau_freelancers: [2, 3, 3], // + f3 from 03-02
  mau_freelancers: [3, 4, 3], // {f8,f1,f2} | +f3 | f8 (02-01) leaves the 30-day window on 03-03
  dau_companies: [1, 2, 1], // {c1} | {c2, c1 (contract)} | {c1 23:59}
  wau_companies: [1, 2, 2],
  mau_companies: [1, 2, 2],
  interests_company_to_freelancer: [2, 1, 0],
  interests_freelancer_to_job: [1, 2, 0],
  matches: [1, 0, 0],
  match_rate: [1 / 3, 0, null], // 1 match / 3 interests | 0 / 3 | no interests
  messages: [2, 1, 0],
  contracts: [0, 1, 0],
  profile_completion_rate: [1 / 3, 0.5, 0.5], // {f0,f1,f2}: f1 | + f3 complete: 2/4
  median_model_score: [null, 3.75, 3.75], // m1 live on 03-01 has no stored scores | median(2, 3, 4.5, 5) = (3 + 4.5) / 2
  annotations: [0, 2, 1],
  live_model_version: ['m1', 'm2', 'm2'], // m2 activated 03-02 05:00; m3 never activated
};
