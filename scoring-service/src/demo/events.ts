/**
 * The event stream of the demo year, simulated one actor at a time so memory stays
 * bounded. Conventions (what the KPI sheet, the activity summary and experiments read):
 *  - signup:   actor = the new freelancer/company, no target.
 *  - login:    actor = freelancer or company.
 *  - profile_view: actor company → target freelancer, properties.job_id.
 *  - interest: company → freelancer (properties.job_id) or freelancer → job (properties.company_id).
 *  - match:    written once when the second side's interest arrives: actor company → target freelancer, properties.job_id.
 *  - message:  company ⇄ freelancer, properties.thread_id (one thread per scout or match).
 *  - contract: actor company → target freelancer, properties.job_id and amount_jpy.
 *  - profile_update: actor freelancer, target the same freelancer, properties.fields.
 * Behaviour follows profile quality: better profiles are viewed and asked more often,
 * and engaged people log in, apply and answer more.
 */
import type { EventRow } from '../domain/types.ts';
import { chance, intBetween, poisson, type Rng } from './rng.ts';
import { DAY, YEAR, COMPANY_RHYTHM, FREELANCER_RHYTHM, TimeSampler } from './timing.ts';

export interface JobIndex {
  /** Job indices per occupation. */
  byOccupation: Map<string, number[]>;
  posted: Float64Array;
  closed: Float64Array;
  company: Int32Array;
}

export interface World {
  now: number;
  windowStart: number;
  freelancerTime: TimeSampler;
  companyTime: TimeSampler;
  jobs: JobIndex;
  companyId: (i: number) => string;
  jobId: (i: number) => string;
}

/** Yearly activity growth per user: the site gets busier over the demo year. */
export const ACTIVITY_GROWTH = 1.5;

export function createWorld(now: number, jobs: JobIndex, companyId: (i: number) => string, jobId: (i: number) => string): World {
  const windowStart = now - YEAR;
  return {
    now,
    windowStart,
    freelancerTime: new TimeSampler(FREELANCER_RHYTHM, windowStart, ACTIVITY_GROWTH),
    companyTime: new TimeSampler(COMPANY_RHYTHM, windowStart, ACTIVITY_GROWTH),
    jobs,
    companyId,
    jobId,
  };
}

export interface FreelancerActor {
  id: string;
  occupation: string;
  registeredAt: number;
  /** Latent profile quality (hidden rule without activity), 1..5. */
  quality: number;
  engagement: number;
}

export interface FreelancerOutcome {
  lastLoginAt: number | null;
  updatedAt: number;
  events: number;
}

class Emitter {
  private k = 0;
  constructor(private readonly owner: string, private readonly out: EventRow[], private readonly now: number) {}
  emit(t: number, type: string, actorType: string, actorId: string, targetType: string | null, targetId: string | null, properties: Record<string, unknown> | null): boolean {
    if (t >= this.now) return false;
    this.out.push({
      event_id: `e-${this.owner}-${this.k++}`,
      event_time: new Date(t).toISOString(),
      event_type: type,
      actor_type: actorType,
      actor_id: actorId,
      target_type: targetType,
      target_id: targetId,
      properties,
    });
    return true;
  }
  get count(): number {
    return this.k;
  }
}

const expDelay = (rng: Rng, meanDays: number) => -Math.log(1 - rng()) * meanDays * DAY;

function pickJob(rng: Rng, w: World, occupation: string, t: number): number {
  const list = w.jobs.byOccupation.get(occupation) ?? [];
  let j = list[Math.floor(rng() * list.length)];
  for (let tries = 0; tries < 6; tries++) {
    const open = w.jobs.posted[j] <= t && !(w.jobs.closed[j] <= t);
    if (open) break;
    j = list[Math.floor(rng() * list.length)];
  }
  return j;
}

/** Every event one freelancer takes part in during the window (the company side of their interactions included). */
export function simulateFreelancer(rng: Rng, w: World, f: FreelancerActor, out: EventRow[]): FreelancerOutcome {
  const e = new Emitter(f.id, out, w.now);
  const from = Math.max(f.registeredAt, w.windowStart);
  // A share of people go quiet some months after signing up; they stop logging in and are shown less.
  const dormantAt = chance(rng, 0.4) ? f.registeredAt + expDelay(rng, 200) : Infinity;
  const ownEnd = Math.min(w.now, dormantAt);
  const attract = Math.exp(0.9 * (f.quality - 3));
  const respond = 1 / (1 + Math.exp(-(1.5 * Math.log(f.engagement) + 0.8)));
  const ft = w.freelancerTime;
  const ct = w.companyTime;
  const fid = f.id;
  let lastLogin: number | null = null;
  let updatedAt = f.registeredAt;
  let threads = 0;

  if (f.registeredAt >= w.windowStart) e.emit(f.registeredAt, 'signup', 'freelancer', fid, null, null, { occupation: f.occupation });

  const thread = (start: number, companyId: string, replyP: number) => {
    const id = `th-${fid}-${threads++}`;
    let t = start;
    if (!e.emit(t, 'message', 'company', companyId, 'freelancer', fid, { thread_id: id })) return;
    const rounds = intBetween(rng, 1, 4);
    for (let r = 0; r < rounds; r++) {
      t += expDelay(rng, 0.6);
      if (t >= ownEnd || !chance(rng, r === 0 ? replyP : 0.8)) return;
      e.emit(t, 'message', 'freelancer', fid, 'company', companyId, { thread_id: id });
      t += expDelay(rng, 0.8);
      if (!chance(rng, 0.7) || !e.emit(t, 'message', 'company', companyId, 'freelancer', fid, { thread_id: id })) return;
    }
  };

  const match = (t: number, job: number, companyId: string) => {
    if (!e.emit(t, 'match', 'company', companyId, 'freelancer', fid, { job_id: w.jobId(job) })) return;
    thread(t + expDelay(rng, 0.3), companyId, respond);
    if (chance(rng, Math.min(0.6, 0.2 * attract))) {
      const amount = intBetween(rng, 10, 200) * 10_000;
      e.emit(t + expDelay(rng, 10), 'contract', 'company', companyId, 'freelancer', fid, { job_id: w.jobId(job), amount_jpy: amount });
    }
  };

  if (ownEnd > from) {
    const span = (ownEnd - from) / YEAR;
    const g = ft.meanGrowth(from, ownEnd);
    const logins = poisson(rng, 35 * f.engagement * span * g);
    for (let i = 0; i < logins; i++) {
      const t = ft.sample(rng, from, ownEnd);
      if (e.emit(t, 'login', 'freelancer', fid, null, null, null) && (lastLogin === null || t > lastLogin)) lastLogin = t;
    }
    const updates = poisson(rng, 2.5 * f.engagement * span * g);
    for (let i = 0; i < updates; i++) {
      const t = ft.sample(rng, from, ownEnd);
      const fields = chance(rng, 0.6) ? ['self_intro'] : chance(rng, 0.5) ? ['skills'] : ['hourly_rate_jpy', 'availability_days_per_week'];
      if (e.emit(t, 'profile_update', 'freelancer', fid, 'freelancer', fid, { fields }) && t > updatedAt) updatedAt = t;
    }
    const applied = poisson(rng, 6 * f.engagement * span * g);
    for (let i = 0; i < applied; i++) {
      const t = ft.sample(rng, from, ownEnd);
      const job = pickJob(rng, w, f.occupation, t);
      const cid = w.companyId(w.jobs.company[job]);
      if (!e.emit(t, 'interest', 'freelancer', fid, 'job', w.jobId(job), { company_id: cid })) continue;
      if (chance(rng, Math.min(0.8, 0.2 * attract))) {
        const tb = t + expDelay(rng, 2);
        if (e.emit(tb, 'interest', 'company', cid, 'freelancer', fid, { job_id: w.jobId(job) })) match(tb, job, cid);
      }
    }
  }
  // Logged in before the window (or went quiet before it): the last login predates the events.
  if (lastLogin === null && Math.min(ownEnd, w.windowStart) > f.registeredAt) {
    lastLogin = f.registeredAt + rng() * (Math.min(ownEnd, w.windowStart) - f.registeredAt);
  }
  if (updatedAt === f.registeredAt && f.registeredAt < w.windowStart) updatedAt = f.registeredAt + rng() * (w.windowStart - f.registeredAt) * 0.5;

  // What companies do to this freelancer: full visibility while active, a third after going quiet.
  for (const [a, b, vis] of [[from, ownEnd, 1], [Math.max(from, ownEnd), w.now, 0.3]] as const) {
    if (b <= a) continue;
    const span = ((b - a) / YEAR) * vis * ct.meanGrowth(a, b);
    const views = poisson(rng, 16 * attract * span);
    for (let i = 0; i < views; i++) {
      const t = ct.sample(rng, a, b);
      const job = pickJob(rng, w, f.occupation, t);
      e.emit(t, 'profile_view', 'company', w.companyId(w.jobs.company[job]), 'freelancer', fid, { job_id: w.jobId(job) });
    }
    const asked = poisson(rng, 5 * attract * span);
    for (let i = 0; i < asked; i++) {
      const t = ct.sample(rng, a, b);
      const job = pickJob(rng, w, f.occupation, t);
      const cid = w.companyId(w.jobs.company[job]);
      if (!e.emit(t, 'interest', 'company', cid, 'freelancer', fid, { job_id: w.jobId(job) })) continue;
      const tb = t + expDelay(rng, 1.5);
      if (tb < ownEnd && chance(rng, 0.5 * Math.min(1, f.engagement))) {
        if (e.emit(tb, 'interest', 'freelancer', fid, 'job', w.jobId(job), { company_id: cid })) match(tb, job, cid);
      } else if (chance(rng, 0.35)) thread(t + expDelay(rng, 0.5), cid, respond * 0.7);
    }
  }
  return { lastLoginAt: lastLogin, updatedAt, events: e.count };
}

/** A company's own events: signup and logins (its interactions are written with each freelancer). */
export function simulateCompany(rng: Rng, w: World, id: string, registeredAt: number, activity: number, out: EventRow[]): number {
  const e = new Emitter(id, out, w.now);
  if (registeredAt >= w.windowStart) e.emit(registeredAt, 'signup', 'company', id, null, null, null);
  const from = Math.max(registeredAt, w.windowStart);
  if (from >= w.now) return e.count;
  const n = poisson(rng, 120 * activity * ((w.now - from) / YEAR) * w.companyTime.meanGrowth(from, w.now));
  for (let i = 0; i < n; i++) e.emit(w.companyTime.sample(rng, from, w.now), 'login', 'company', id, null, null, null);
  return e.count;
}
