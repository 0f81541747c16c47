/**
 * Seeds a warehouse with a deterministic demo of Workship: companies, jobs, freelancers,
 * a year of events ending at `now`, and expert annotations following the hidden rule.
 * Each entity draws from its own seeded stream, so the same seed gives the same rows
 * whatever the batch size; rows are written in batches of BATCH so 1M freelancers (and
 * ~100M events) stay in bounded memory.
 */
import type { Annotation, EventRow, Freelancer, ProfileSnapshot } from '../domain/types.ts';
import type { Row } from '../domain/table.ts';
import { annotations, companies, events, freelancers, jobs } from '../domain/tables.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { activitySummaries } from '../features/activity.ts';
import { BatchWriter } from './batch-writer.ts';
import { annotationComment } from './comments.ts';
import { createWorld, simulateCompany, simulateFreelancer } from './events.ts';
import { ANNOTATORS, NOISE_FLOOR, noiseFloorRmse, simulateScore, trueQuality } from './hidden-rule.ts';
import { generateFreelancer, previousVersion } from './profiles.ts';
import { STREAM, intBetween, streamFor, weightedIndex } from './rng.ts';
import { DAY, dayOfWeekJst, jstDayStart } from './timing.ts';
import { companyId, emptyJobIndex, freelancerId, generateCompany, generateJob, indexJob, jobId, registrationTimes } from './world.ts';

export interface DemoOptions {
  freelancers: number;
  annotations: number;
  seed: number;
  /** End of the simulated year; defaults to DEMO_NOW so output is reproducible. */
  now?: Date;
}

export interface DemoSummary {
  seed: number;
  now: string;
  freelancers: number;
  companies: number;
  jobs: number;
  events: number;
  annotations: number;
  /** Freelancers scored by two or more annotators (for agreement). */
  multiply_annotated: number;
  annotators: { id: string; bias: number; noise_sd: number; count: number }[];
  /** Noise floor of the annotations actually generated (see hidden-rule.ts NOISE_FLOOR). */
  noise_floor: { description: string; rmse: number };
  elapsed_ms: number;
}

export type DemoProgress = (p: { step: string; done: number; total: number }) => void;

/** 2026-11-01 00:00 Japan time. */
export const DEMO_NOW = new Date('2026-10-31T15:00:00.000Z');
export const BATCH = 50_000;
export const MAX_FREELANCERS = 1_000_000;
/** Tables the demo writes; `--force` clears them (and the scores derived from them). */
export const DEMO_TABLES = [freelancers, companies, jobs, events, annotations];

export function validateDemoOptions(o: DemoOptions): void {
  if (!Number.isInteger(o.freelancers) || o.freelancers < 1 || o.freelancers > MAX_FREELANCERS) throw new RangeError(`freelancers must be an integer from 1 to ${MAX_FREELANCERS}`);
  if (!Number.isInteger(o.annotations) || o.annotations < 0) throw new RangeError('annotations must be a non-negative integer');
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 2 ** 31 - 1) throw new RangeError('seed must be an integer from 0 to 2147483647');
  if (o.now && Number.isNaN(o.now.getTime())) throw new RangeError('now must be a valid date');
}

export function demoSizes(n: number): { companies: number; jobs: number } {
  return { companies: Math.max(20, Math.round(n / 25)), jobs: Math.max(30, Math.round(n / 6)) };
}

interface Planned {
  index: number;
  annotator: string;
  asOf: number;
  createdAt: number;
}

/** Wednesday, the team's weekly annotation day (Japan time). */
const ANNOTATION_DAY = 3;

/**
 * Who annotates whom and when: about one freelancer in eleven of those annotated gets a
 * second annotator (≈10% double annotation). The team annotates on a weekly annotation
 * day over the last 120 days, 10:00–18:00 Japan time; the activity shown is loaded when
 * the day's session opens (10:00), so one activity query serves a whole session.
 */
export function planAnnotations(seed: number, count: number, regs: Float64Array, now: number): Planned[] {
  if (count === 0) return [];
  const rng = streamFor(seed, STREAM.annotations, 0);
  let eligible = 0;
  while (eligible < regs.length && regs[eligible] < now - 14 * DAY) eligible++;
  if (eligible === 0) return [];
  const maxPer = ANNOTATORS.length;
  const total = Math.min(count, eligible * maxPer);
  const distinct = Math.min(eligible, Math.max(1, Math.round(total / 1.1)));
  const chosen: number[] = [];
  const seen = new Set<number>();
  if (distinct * 2 > eligible) {
    const all = Int32Array.from({ length: eligible }, (_, i) => i);
    for (let i = 0; i < distinct; i++) {
      const j = i + Math.floor(rng() * (eligible - i));
      [all[i], all[j]] = [all[j], all[i]];
      chosen.push(all[i]);
    }
  } else {
    while (chosen.length < distinct) {
      const i = Math.floor(rng() * eligible);
      if (!seen.has(i)) {
        seen.add(i);
        chosen.push(i);
      }
    }
  }
  const shares = ANNOTATORS.map((a) => a.share);
  const session = (index: number, after: number) => {
    const lo = Math.max(now - 120 * DAY, regs[index] + DAY, after);
    const hi = now - DAY;
    let day = jstDayStart(lo + Math.max(0, hi - lo) * rng()) + DAY;
    while (dayOfWeekJst(day) !== ANNOTATION_DAY) day += DAY;
    let asOf = day + 10 * 3_600_000;
    while (asOf > now - 9 * 3_600_000) asOf -= 7 * DAY;
    return { asOf, createdAt: asOf + Math.floor(rng() * 8 * 3_600_000) };
  };
  const plan: Planned[] = [];
  const by = new Map<number, string[]>();
  const lastAsOf = new Map<number, number>();
  for (let k = 0; k < total; k++) {
    const index = chosen[k % distinct];
    const done = by.get(index) ?? [];
    let a = ANNOTATORS[weightedIndex(rng, shares)].id;
    while (done.includes(a)) a = ANNOTATORS[(ANNOTATORS.findIndex((x) => x.id === a) + 1) % maxPer].id;
    done.push(a);
    by.set(index, done);
    const prev = lastAsOf.get(index);
    const when = session(index, prev === undefined ? 0 : prev + intBetween(rng, 1, 3) * 7 * DAY - DAY);
    lastAsOf.set(index, when.asOf);
    plan.push({ index, annotator: a, ...when });
  }
  return plan;
}

export async function seedDemo(w: Warehouse, o: DemoOptions, onProgress?: DemoProgress): Promise<DemoSummary> {
  validateDemoOptions(o);
  const started = Date.now();
  const now = (o.now ?? DEMO_NOW).getTime();
  const seed = o.seed;
  const n = o.freelancers;
  const sizes = demoSizes(n);
  const progress = (step: string, done: number, total: number) => onProgress?.({ step, done, total });

  const out = new BatchWriter(w, BATCH);
  // Companies.
  const companyRegs = registrationTimes(streamFor(seed, STREAM.misc, 1), sizes.companies, now, 0.6, 5, 2);
  const companyActivity = new Float64Array(sizes.companies);
  for (let i = 0; i < sizes.companies; i++) {
    const c = generateCompany(seed, i, companyRegs[i]);
    companyActivity[i] = c.activity;
    await out.push(companies, c.row as unknown as Row);
  }
  progress('companies', sizes.companies, sizes.companies);

  // Jobs.
  const jobIndex = emptyJobIndex(sizes.jobs);
  for (let i = 0; i < sizes.jobs; i++) {
    const j = generateJob(seed, i, companyRegs, now);
    indexJob(jobIndex, i, j);
    await out.push(jobs, j as unknown as Row);
  }
  progress('jobs', sizes.jobs, sizes.jobs);

  // Freelancers and their events.
  const world = createWorld(now, jobIndex, companyId, jobId);
  const regs = registrationTimes(streamFor(seed, STREAM.misc, 2), n, now, 0.55, 4, 2.5);
  const plan = planAnnotations(seed, o.annotations, regs, now);
  const keep = new Map<number, Freelancer>(plan.map((p) => [p.index, null as unknown as Freelancer]));
  const evs: EventRow[] = [];
  const step = Math.max(1, Math.floor(n / 20));
  for (let i = 0; i < n; i++) {
    const g = generateFreelancer(streamFor(seed, STREAM.freelancer, i), freelancerId(i), regs[i]);
    const quality = trueQuality({ profile: g.row, activity: null });
    const outcome = simulateFreelancer(
      streamFor(seed, STREAM.events, i),
      world,
      { id: g.row.id, occupation: g.row.occupation, registeredAt: regs[i], quality, engagement: g.engagement },
      evs,
    );
    g.row.updated_at = new Date(outcome.updatedAt).toISOString();
    g.row.last_login_at = outcome.lastLoginAt === null ? null : new Date(outcome.lastLoginAt).toISOString();
    if (keep.has(i)) keep.set(i, g.row);
    await out.push(freelancers, g.row as unknown as Row);
    for (const e of evs.splice(0)) await out.push(events, e as unknown as Row);
    if ((i + 1) % step === 0 || i === n - 1) progress('freelancers', i + 1, n);
  }
  // Companies' own logins.
  for (let i = 0; i < sizes.companies; i++) {
    simulateCompany(streamFor(seed, STREAM.companyEvents, i), world, companyId(i), companyRegs[i], companyActivity[i], evs);
    for (const e of evs.splice(0)) await out.push(events, e as unknown as Row);
  }
  await out.close();
  const eventCount = out.written.get('events') ?? 0;
  progress('events', eventCount, eventCount);

  // Annotations, with the activity each annotator saw at the start of their session.
  const written = await writeAnnotations(w, seed, plan, keep, (done) => progress('annotations', done, plan.length));
  const perAnnotator = new Map<string, number>();
  for (const p of plan) perAnnotator.set(p.annotator, (perAnnotator.get(p.annotator) ?? 0) + 1);
  const counts = new Map<number, number>();
  for (const p of plan) counts.set(p.index, (counts.get(p.index) ?? 0) + 1);
  return {
    seed,
    now: new Date(now).toISOString(),
    freelancers: n,
    companies: sizes.companies,
    jobs: sizes.jobs,
    events: eventCount,
    annotations: plan.length,
    multiply_annotated: [...counts.values()].filter((c) => c > 1).length,
    annotators: ANNOTATORS.map((a) => ({ id: a.id, bias: a.bias, noise_sd: a.noiseSd, count: perAnnotator.get(a.id) ?? 0 })),
    noise_floor: { description: NOISE_FLOOR.description, rmse: written.noiseFloor },
    elapsed_ms: Date.now() - started,
  };
}

/** The profile an annotator saw: the version before the last edit when the edit came later. */
export function snapshotProfile(row: Freelancer, createdAt: number, daysSinceLogin: number | null, asOf: number, rng: () => number): ProfileSnapshot['profile'] {
  const edited = Date.parse(row.updated_at) > createdAt;
  const base = edited ? previousVersion(row) : row;
  const reg = Date.parse(row.registered_at);
  const updated = edited ? Math.max(reg, createdAt - Math.floor(rng() * 30 * DAY)) : Date.parse(row.updated_at);
  return {
    ...base,
    updated_at: new Date(Math.min(updated, createdAt)).toISOString(),
    last_login_at: daysSinceLogin === null ? null : new Date(Math.round(asOf - daysSinceLogin * DAY)).toISOString(),
  };
}

async function writeAnnotations(w: Warehouse, seed: number, plan: Planned[], rows: Map<number, Freelancer>, onDone: (done: number) => void): Promise<{ noiseFloor: number }> {
  const sessions = new Map<number, number[]>();
  plan.forEach((p, k) => sessions.set(p.asOf, [...(sessions.get(p.asOf) ?? []), k]));
  const floorItems: { q: number; annotator: string }[] = [];
  let out: Row[] = [];
  let done = 0;
  for (const asOf of [...sessions.keys()].sort((a, b) => a - b)) {
    const ks = sessions.get(asOf) as number[];
    const acts = await activitySummaries(w, [...new Set(ks.map((k) => freelancerId(plan[k].index)))], new Date(asOf));
    for (const k of ks) {
      const p = plan[k];
      const row = rows.get(p.index) as Freelancer;
      const rng = streamFor(seed, STREAM.annotations, k + 1);
      const activity = acts.get(row.id) ?? null;
      const snapshot: ProfileSnapshot = { profile: snapshotProfile(row, p.createdAt, activity?.days_since_login ?? null, asOf, rng), activity };
      const score = simulateScore(snapshot, p.annotator, rng);
      const a = ANNOTATORS.find((x) => x.id === p.annotator);
      floorItems.push({ q: trueQuality(snapshot), annotator: p.annotator });
      const ann: Annotation = {
        annotation_id: `demo-${seed}-${String(k + 1).padStart(7, '0')}`,
        freelancer_id: row.id,
        annotator: p.annotator,
        score,
        comment: annotationComment(snapshot, score, a?.verbose ?? false, rng),
        profile_snapshot: snapshot,
        model_version: null,
        predicted_score: null,
        rubric_version: 'v1',
        created_at: new Date(p.createdAt).toISOString(),
        client_request_id: `demo-${seed}-${k + 1}`,
      };
      out.push(ann as unknown as Row);
      if (out.length >= 5000) {
        await w.upsert(annotations, out);
        out = [];
      }
      done++;
    }
    onDone(done);
  }
  if (out.length) await w.upsert(annotations, out);
  return { noiseFloor: noiseFloorRmse(floorItems) };
}
