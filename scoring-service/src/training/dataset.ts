/**
 * The training set comes from annotations and the profile snapshot stored with each one —
 * never from the live profile, which may have been edited after the annotator saw it.
 * Several annotations of one freelancer are combined after removing each annotator's bias.
 */
import { createHash } from 'node:crypto';
import type { ProfileSnapshot } from '../domain/types.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { fitRaterBias, type BiasFit } from '../stats/agreement.ts';

export interface AnnotationRecord {
  annotation_id: string;
  freelancer_id: string;
  annotator: string;
  score: number;
  comment: string | null;
  profile_snapshot: ProfileSnapshot;
  created_at: string;
}

export interface TrainingExample {
  freelancerId: string;
  /** Snapshot of the freelancer's most recent annotation. */
  snapshot: ProfileSnapshot;
  /** Bias-corrected consensus score. */
  target: number;
  /** Number of annotations combined. */
  weight: number;
  occupation: string;
}

export interface TrainingSet {
  annotations: AnnotationRecord[];
  examples: TrainingExample[];
  bias: BiasFit;
  contentHash: string;
}

export async function loadAnnotations(w: Warehouse): Promise<AnnotationRecord[]> {
  const rows = await w.query<AnnotationRecord>(
    `SELECT annotation_id, freelancer_id, annotator, score, comment, profile_snapshot, created_at
     FROM ${w.dialect.table('annotations')} ORDER BY created_at, annotation_id`,
  );
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}

/** sha256 over the ids, scores, annotators and snapshots, in id order. */
export function contentHash(annotations: AnnotationRecord[]): string {
  const h = createHash('sha256');
  for (const a of [...annotations].sort((x, y) => (x.annotation_id < y.annotation_id ? -1 : 1))) {
    h.update(`${a.annotation_id}\u0000${a.annotator}\u0000${a.score}\u0000${JSON.stringify(a.profile_snapshot)}\n`);
  }
  return 'sha256:' + h.digest('hex');
}

export function buildTrainingSet(annotations: AnnotationRecord[]): TrainingSet {
  const bias = fitRaterBias(annotations.map((a) => ({ item: a.freelancer_id, rater: a.annotator, score: a.score })));
  const latest = new Map<string, AnnotationRecord>();
  const count = new Map<string, number>();
  for (const a of annotations) {
    const prev = latest.get(a.freelancer_id);
    if (!prev || a.created_at >= prev.created_at) latest.set(a.freelancer_id, a);
    count.set(a.freelancer_id, (count.get(a.freelancer_id) ?? 0) + 1);
  }
  const examples: TrainingExample[] = [...latest.values()]
    .sort((a, b) => (a.freelancer_id < b.freelancer_id ? -1 : 1))
    .map((a) => ({
      freelancerId: a.freelancer_id,
      snapshot: a.profile_snapshot,
      target: bias.quality.get(a.freelancer_id)!,
      weight: count.get(a.freelancer_id)!,
      occupation: a.profile_snapshot?.profile?.occupation ?? '(不明)',
    }));
  return { annotations, examples, bias, contentHash: contentHash(annotations) };
}

/** Scores of several annotators per freelancer (for agreement statistics). */
export function multiAnnotated(annotations: AnnotationRecord[]): number[][] {
  const by = new Map<string, number[]>();
  for (const a of annotations) {
    const l = by.get(a.freelancer_id) ?? [];
    l.push(a.score);
    by.set(a.freelancer_id, l);
  }
  return [...by.values()].filter((u) => u.length >= 2);
}
