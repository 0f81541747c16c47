/**
 * The annotation service: leases from the active-learning queue, submissions (idempotent,
 * stored with the snapshot that was served), skips, undo, statistics, rubric and settings.
 * Writes that must not interleave (lease allocation, submit, undo) run one at a time in
 * this process; the HTTP routes are a thin shell over these methods.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Annotation, ProfileSnapshot } from '../domain/types.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { LiveHolder } from '../scores/live.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { WHY } from './acquisition.ts';
import { ActiveQueue, type QueueDeps, type Ranked } from './queue.ts';
import type { SettingsBody, SkipBody, SubmitBody, RubricBody } from './requests.ts';
import { DEFAULT_RUBRIC_EN, DEFAULT_RUBRIC_JA } from './rubric.ts';
import { annotatorStats } from './stats.ts';
import { eligibility } from './eligibility.ts';
import { AnnotationStore, type LeaseRow, type PredictionShown, type RubricRow, type SettingsRow } from './store.ts';

export interface AnnotationDeps extends QueueDeps {
  /** Draws for the double-annotation share (seeded in tests). */
  random(): number;
}

export interface Task {
  task_id: string;
  lease_id: string;
  lease_expires_at: string;
  freelancer_id: string;
  profile: ProfileSnapshot['profile'];
  activity: ProfileSnapshot['activity'];
  prediction: PredictionShown | null;
  why: { code: string; label_ja: string; label_en: string; details?: Record<string, unknown> };
  rubric_version: string | null;
  double: boolean;
  blind: boolean;
}

/** A lease problem: 409 (someone else's, closed, other profile) or 410 (expired); `details.reason` says which. */
export class LeaseError extends AppError {
  constructor(status: 409 | 410, reason: 'lease_expired' | 'lease_foreign' | 'lease_closed' | 'lease_mismatch', message: string, details: Record<string, unknown> = {}) {
    super(status, status === 410 ? 'failed_precondition' : 'conflict', message, { reason, ...details });
  }
}

/** Serialises async critical sections. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export function publicAnnotation(a: Annotation, lease?: Pick<LeaseRow, 'lease_id'> | null) {
  return { ...a, lease_id: lease?.lease_id ?? null };
}

export class AnnotationService {
  readonly store: AnnotationStore;
  readonly queue: ActiveQueue;
  private readonly lock = new Mutex();

  constructor(
    private readonly w: Warehouse,
    private readonly config: Config,
    private readonly live: LiveHolder,
    private readonly deps: AnnotationDeps,
    private readonly now: () => Date,
  ) {
    this.store = new AnnotationStore(w);
    this.queue = new ActiveQueue(w, this.store, deps, {
      cacheMinutes: config.annotation.queueCacheMinutes,
      ensembleSize: config.annotation.ensembleSize,
      poolWaitMs: config.annotation.poolWaitMs,
      poolMax: config.annotation.poolMax,
    });
  }

  // ---- settings and rubric -------------------------------------------------------------

  async settings(): Promise<SettingsRow> {
    return (await this.store.settings()) ?? { seq: 0, blind_mode: false, double_share: this.config.annotation.doubleAnnotationShare, updated_at: new Date(0).toISOString(), updated_by: 'config' };
  }

  publicSettings(s: SettingsRow) {
    return {
      blind_mode: s.blind_mode,
      double_share: s.double_share,
      double_annotation_share: s.double_share,
      lease_minutes: this.config.annotation.leaseMinutes,
      undo_minutes: this.config.annotation.undoMinutes,
      updated_at: s.seq ? s.updated_at : null,
      updated_by: s.seq ? s.updated_by : null,
    };
  }

  async putSettings(by: string, body: SettingsBody): Promise<SettingsRow> {
    return this.lock.run(async () => {
      const cur = await this.settings();
      const next: SettingsRow = {
        seq: cur.seq + 1,
        blind_mode: body.blind_mode ?? cur.blind_mode,
        double_share: body.double_share ?? cur.double_share,
        updated_at: this.now().toISOString(),
        updated_by: by,
      };
      await this.store.putSettings(next);
      return next;
    });
  }

  /** The current rubric; v1 (the default text) is stored the first time it is needed. */
  async rubric(version?: string): Promise<RubricRow> {
    if (version) {
      const r = await this.store.rubric(version);
      if (!r) throw new NotFoundError('rubric_version', version);
      return r;
    }
    const cur = await this.store.rubric();
    if (cur) return cur;
    return this.lock.run(async () => {
      const again = await this.store.rubric();
      if (again) return again;
      const row: RubricRow = { version: 'v1', seq: 1, text_ja: DEFAULT_RUBRIC_JA, text_en: DEFAULT_RUBRIC_EN, created_at: this.now().toISOString(), created_by: 'system' };
      await this.store.putRubric(row);
      return row;
    });
  }

  async putRubric(by: string, body: RubricBody): Promise<{ rubric: RubricRow; created: boolean }> {
    const cur = await this.rubric();
    return this.lock.run(async () => {
      const latest = (await this.store.rubric()) ?? cur;
      if (body.base_version && body.base_version !== latest.version)
        throw new ConflictError(`the rubric changed since ${body.base_version}: the current version is ${latest.version}`, { reason: 'rubric_changed', current_version: latest.version, field: 'base_version' });
      if (latest.text_ja === body.text_ja && (body.text_en === null || body.text_en === latest.text_en)) return { rubric: latest, created: false };
      const row: RubricRow = {
        version: `v${latest.seq + 1}`,
        seq: latest.seq + 1,
        text_ja: body.text_ja,
        text_en: body.text_en ?? latest.text_en,
        created_at: this.now().toISOString(),
        created_by: by,
      };
      await this.store.putRubric(row);
      return { rubric: row, created: true };
    });
  }

  // ---- the queue ---------------------------------------------------------------------

  /** Who may get what: regular candidates, double-annotation candidates, and per-occupation counts. */
  private async eligibility(annotator: string, now: Date) {
    const [heads, facts, leases, skipped] = await Promise.all([
      this.store.freelancerHeads(),
      this.store.annotationFacts(),
      this.store.openLeases(now.toISOString()),
      this.store.skippedBy(annotator),
    ]);
    return { ...eligibility(annotator, heads, facts, leases, skipped), facts, leases };
  }

  async queueSize(annotator: string): Promise<number> {
    return (await this.eligibility(annotator, this.now())).regular.length;
  }

  async next(annotator: string, count: number): Promise<{ tasks: Task[]; queue_size: number; blind_mode: boolean; rubric_version: string }> {
    const [settings, rubric] = await Promise.all([this.settings(), this.rubric()]);
    const live = this.live.current;
    // Waits at most poolWaitMs, outside the lock: a slow rebuild never queues other annotators.
    const view = await this.queue.view(this.now(), live.model?.version ?? null);
    return this.lock.run(async () => {
      const now = this.now();
      const el = await this.eligibility(annotator, now);
      let doubles = 0;
      for (let i = 0; i < count; i++) if (this.deps.random() < settings.double_share) doubles++;
      doubles = Math.min(doubles, el.double.length);
      const seed = Math.floor(this.deps.random() * 2 ** 31);
      const trained = view?.trainedOn ?? new Set<string>();
      const pending = [...el.leases.map((l) => l.freelancer_id), ...el.facts.filter((f) => !trained.has(f.annotation_id)).map((f) => f.freelancer_id)];
      const annotated = [...new Set(el.facts.map((f) => f.freelancer_id))];
      const regular = this.queue.rank(view, el.regular, el.changed, el.occupationCounts, count - doubles, seed, pending, annotated);
      const chosen: { r: Ranked; double: boolean }[] = regular.batch.map((r) => ({ r, double: false }));
      if (doubles) {
        const d = this.queue.rank(view, el.double, el.changed, el.occupationCounts, 0, seed);
        chosen.push(...d.all.sort((a, b) => b.priority - a.priority).slice(0, doubles).map((r) => ({ r, double: true })));
      }
      const ids = chosen.map((c) => c.r.freelancerId);
      const [fresh, activity] = ids.length ? await Promise.all([this.store.freelancersByIds(ids), this.deps.activity(this.w, ids, now)]) : [[], new Map()];
      const byId = new Map(fresh.map((f) => [f.id, f]));
      const expires = new Date(now.getTime() + this.config.annotation.leaseMinutes * 60_000).toISOString();
      const leases: LeaseRow[] = [];
      for (const c of chosen) {
        const profile = byId.get(c.r.freelancerId);
        if (!profile) continue;
        const snapshot: ProfileSnapshot = { profile, activity: activity.get(profile.id) ?? null };
        const prediction = settings.blind_mode || !live.model ? null : { ...live.model.score(snapshot), model_version: live.model.version };
        const why = c.double ? WHY.double : WHY[c.r.why];
        leases.push({
          lease_id: randomUUID(),
          freelancer_id: profile.id,
          annotator,
          created_at: now.toISOString(),
          expires_at: expires,
          status: 'open',
          is_double: c.double,
          blind: settings.blind_mode,
          snapshot,
          prediction,
          model_version: live.model?.version ?? null,
          why: {
            ...why,
            details: {
              priority: c.r.priority,
              uncertainty: c.r.uncertainty,
              density: c.r.density,
              occupation_annotations: c.r.occupationAnnotations,
              changed_since_annotation: el.changed.has(profile.id),
            },
          },
          priority: c.r.priority,
          rubric_version: rubric.version,
          closed_at: null,
          annotation_id: null,
        });
      }
      await this.store.putLeases(leases);
      return {
        tasks: leases.map(taskOf),
        queue_size: Math.max(0, el.regular.length - regular.batch.length),
        blind_mode: settings.blind_mode,
        rubric_version: rubric.version,
      };
    });
  }

  // ---- submissions ----------------------------------------------------------------------

  private async openLease(annotator: string, leaseId: string, freelancerId: string, now: Date): Promise<LeaseRow> {
    const lease = await this.store.lease(leaseId);
    if (!lease) throw new NotFoundError('lease_id', leaseId);
    if (lease.annotator !== annotator) throw new LeaseError(409, 'lease_foreign', 'this lease belongs to another annotator', { field: 'lease_id' });
    if (lease.freelancer_id !== freelancerId)
      throw new LeaseError(409, 'lease_mismatch', `lease ${leaseId} is for freelancer ${lease.freelancer_id}, not ${freelancerId}`, { field: 'freelancer_id' });
    if (lease.status !== 'open') throw new LeaseError(409, 'lease_closed', `this lease is already ${lease.status}`, { field: 'lease_id', status: lease.status });
    if (Date.parse(lease.expires_at) <= now.getTime())
      throw new LeaseError(410, 'lease_expired', `the lease expired at ${lease.expires_at}; fetch a new task`, { field: 'lease_id', expired_at: lease.expires_at });
    return lease;
  }

  /** 201 with the new annotation; a repeat of the same request returns the same annotation (200). */
  async submit(annotator: string, body: SubmitBody): Promise<{ created: boolean; annotation: ReturnType<typeof publicAnnotation> }> {
    const hash = createHash('sha256').update(JSON.stringify([body.lease_id, body.freelancer_id, body.score, body.comment, body.rubric_version])).digest('hex');
    if (body.rubric_version && !(await this.store.rubric(body.rubric_version)))
      throw new ValidationError('rubric_version', `rubric version '${body.rubric_version}' does not exist`);
    return this.lock.run(async () => {
      const prior = await this.store.request(body.client_request_id);
      if (prior) {
        if (prior.annotator !== annotator || prior.body_hash !== hash)
          throw new ConflictError('this client_request_id was already used for a different annotation', { reason: 'idempotency_key_reused', field: 'client_request_id' });
        if (prior.status === 'undone') throw new ConflictError('this annotation was undone', { reason: 'annotation_undone', field: 'client_request_id' });
        return { created: false, annotation: prior.annotation as ReturnType<typeof publicAnnotation> };
      }
      const now = this.now();
      const lease = await this.openLease(annotator, body.lease_id, body.freelancer_id, now);
      // Derived from the key: a retry after a crash between the writes below replaces, never duplicates.
      const annotationId = createHash('sha256').update(`${annotator}\n${body.client_request_id}`).digest('hex').slice(0, 32);
      const annotation: Annotation = {
        annotation_id: annotationId,
        freelancer_id: lease.freelancer_id,
        annotator,
        score: body.score,
        comment: body.comment,
        profile_snapshot: lease.snapshot,
        model_version: lease.prediction ? lease.prediction.model_version : null,
        predicted_score: lease.prediction ? lease.prediction.score : null,
        rubric_version: body.rubric_version ?? lease.rubric_version,
        created_at: now.toISOString(),
        client_request_id: body.client_request_id,
      };
      const out = publicAnnotation(annotation, lease);
      await this.store.putAnnotation(annotation);
      await this.store.putRequest({ client_request_id: body.client_request_id, annotator, body_hash: hash, annotation_id: annotationId, status: 'stored', created_at: annotation.created_at, annotation: out });
      await this.store.putLeases([{ ...lease, status: 'submitted', closed_at: annotation.created_at, annotation_id: annotationId }]);
      return { created: true, annotation: out };
    });
  }

  async skip(annotator: string, body: SkipBody) {
    return this.lock.run(async () => {
      const now = this.now();
      const lease = await this.openLease(annotator, body.lease_id, body.freelancer_id, now);
      const row = { skip_id: randomUUID(), lease_id: lease.lease_id, freelancer_id: lease.freelancer_id, annotator, reason: body.reason, created_at: now.toISOString() };
      await this.store.putSkip(row);
      await this.store.putLeases([{ ...lease, status: 'skipped', closed_at: row.created_at }]);
      return row;
    });
  }

  async mine(annotator: string, limit: number) {
    return (await this.store.annotationsBy(annotator, limit)).map((a) => publicAnnotation(a));
  }

  async all(limit: number, annotator?: string) {
    return (await this.store.allAnnotations(limit, annotator)).map((a) => publicAnnotation(a));
  }

  /** Removes the caller's latest annotation if it is recent enough and hands the profile back as a task. */
  async undoLast(annotator: string) {
    return this.lock.run(async () => {
      const now = this.now();
      const [last] = await this.store.annotationsBy(annotator, 1);
      if (!last) throw new NotFoundError('annotation', 'last');
      const windowMs = this.config.annotation.undoMinutes * 60_000;
      if (now.getTime() - Date.parse(last.created_at) > windowMs)
        throw new ConflictError(`only an annotation from the last ${this.config.annotation.undoMinutes} minutes can be undone`, {
          reason: 'undo_window_passed',
          annotation_id: last.annotation_id,
          created_at: last.created_at,
        });
      await this.store.deleteAnnotation(last.annotation_id);
      const req = await this.store.requestForAnnotation(last.annotation_id);
      if (req) await this.store.putRequest({ ...req, status: 'undone' });
      const oldLeaseId = (req?.annotation as { lease_id?: string } | undefined)?.lease_id;
      const old = oldLeaseId ? await this.store.lease(oldLeaseId) : null;
      let task: Task | null = null;
      if (old) {
        const lease: LeaseRow = {
          ...old,
          lease_id: randomUUID(),
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + this.config.annotation.leaseMinutes * 60_000).toISOString(),
          status: 'open',
          closed_at: null,
          annotation_id: null,
        };
        await this.store.putLeases([{ ...old, status: 'undone' }, lease]);
        task = taskOf(lease);
      }
      return { undone: publicAnnotation(last, old), task };
    });
  }

  async stats(annotator: string, role?: string) {
    const [facts, queueSize] = await Promise.all([this.store.annotationFacts(), this.queueSize(annotator)]);
    const s = annotatorStats(facts, this.now(), this.config.training.timeZone);
    const me = s.annotators.find((a) => a.annotator === annotator);
    return {
      // The caller's role lets the sidebar show admin actions without probing for a 403.
      role: role ?? null,
      is_admin: role === undefined ? null : role === 'admin',
      queue_size: queueSize,
      total: facts.length,
      today_count: me?.today_count ?? 0,
      me: me ?? { annotator, count: 0, today_count: 0, overlaps: 0, bias: null, agreement: null, agreement_within_1: null, mean_score: null },
      annotators: s.annotators,
      agreement: s.overall,
      time_zone: this.config.training.timeZone,
    };
  }
}

function taskOf(l: LeaseRow): Task {
  return {
    task_id: l.lease_id,
    lease_id: l.lease_id,
    lease_expires_at: l.expires_at,
    freelancer_id: l.freelancer_id,
    profile: l.snapshot.profile,
    activity: l.snapshot.activity,
    prediction: l.prediction,
    why: l.why,
    rubric_version: l.rubric_version,
    double: l.is_double,
    blind: l.blind,
  };
}
