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
  private readonly preparers = new Set<(scores: ScoreTable) => Promise<unknown>>();
  /** Swaps requested so far: a prepared swap overtaken by a later one is dropped. */
  private requested = 0;

  get current(): LiveState {
    return this.state;
  }

  /** Atomically replaces model and scores together. */
  swap(next: LiveState): void {
    this.requested++;
    this.install(next);
  }

  /**
   * Readies `next`'s scores with every registered preparer (the server serialises them, so
   * the first reads after a promotion cost what every later read costs), then swaps. When
   * another swap was requested meanwhile, the later one stands and this one is dropped;
   * resolves with whether `next` went live. Preparation only saves later work, so a
   * preparer that fails does not hold the swap back.
   */
  async swapPrepared(next: LiveState): Promise<boolean> {
    const ticket = ++this.requested;
    const scores = next.scores;
    if (scores) await Promise.allSettled([...this.preparers].map((p) => p(scores)));
    if (ticket !== this.requested) return false;
    this.install(next);
    return true;
  }

  /** Registers work a score table needs before it serves; returns the unregister function. */
  onPrepare(preparer: (scores: ScoreTable) => Promise<unknown>): () => void {
    this.preparers.add(preparer);
    return () => this.preparers.delete(preparer);
  }

  private install(next: LiveState): void {
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
