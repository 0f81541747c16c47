/**
 * The read path's in-memory state: the live model and the materialised scores of every
 * freelancer, held together in one immutable object and replaced by a single reference
 * assignment, so a reader sees either the old version or the new one, never a mix.
 */
import type { FreelancerScore } from '../domain/types.ts';
import type { LiveModel } from '../model/types.ts';

export interface ScoreTable {
  modelVersion: string;
  scoredAt: string;
  byId: ReadonlyMap<string, FreelancerScore>;
  /** Freelancer ids in ascending order, for cursor paging. */
  orderedIds: readonly string[];
}

export interface LiveState {
  model: LiveModel | null;
  scores: ScoreTable | null;
}

export class LiveHolder {
  private state: LiveState = Object.freeze({ model: null, scores: null });
  private readonly listeners = new Set<(s: LiveState) => void>();

  get current(): LiveState {
    return this.state;
  }

  /** Atomically replaces model and scores together. */
  swap(next: LiveState): void {
    this.state = Object.freeze({ ...next });
    for (const l of this.listeners) l(this.state);
  }

  onSwap(listener: (s: LiveState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function buildScoreTable(modelVersion: string, scoredAt: string, rows: FreelancerScore[]): ScoreTable {
  const byId = new Map<string, FreelancerScore>();
  for (const r of rows) byId.set(r.freelancer_id, r);
  const orderedIds = [...byId.keys()].sort();
  return { modelVersion, scoredAt, byId, orderedIds };
}
