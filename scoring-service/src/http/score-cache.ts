/**
 * Serialised public scores: the bytes `GET /v1/freelancers/{id}/score` and the NDJSON
 * stream send, built once per score and kept with their score table (a WeakMap keyed by
 * the table, so a swapped-out table's bytes go with it; inside, a ScoreArena: records in a
 * few large Buffers behind an open-addressing index, see score-arena.ts).
 *
 * After every swap the live table is serialised ahead of requests in small idle slices
 * (prewarm), so no request pays for JSON, UTF-8 encoding or the allocation that follows —
 * the difference between the score read and `/healthz` in bench/online.ts. Memory is
 * bounded by a byte budget per table (SCORE_CACHE_MB): beyond it a score is serialised per
 * request and not kept, which is slower but never wrong.
 */
import type { FreelancerScore } from '../domain/types.ts';
import type { LiveHolder, ScoreTable } from '../scores/live.ts';
import { ScoreArena } from './score-arena.ts';

/** Rows serialised per idle slice: ~1–2 ms of work, so requests in between wait no longer. */
const SLICE_ROWS = 500;
/** Budget check before a record is added: its table share and length prefix. */
const ENTRY_OVERHEAD = 40;

const caches = new WeakMap<ScoreTable, ScoreArena>();

export function publicScore(s: FreelancerScore) {
  return {
    freelancer_id: s.freelancer_id,
    score: s.score,
    percentile: s.percentile,
    occupation_percentile: s.occupation_percentile,
    model_version: s.model_version,
    scored_at: s.scored_at,
    reasons: s.reasons,
  };
}

function cacheOf(table: ScoreTable): ScoreArena {
  let c = caches.get(table);
  if (!c) caches.set(table, (c = new ScoreArena()));
  return c;
}

/** The kept bytes of freelancer `id` in `table`, if serialised already: one arena probe. */
export function cachedScoreBytes(table: ScoreTable, id: string): Buffer | undefined {
  return caches.get(table)?.get(id);
}

/** The UTF-8 JSON of `s`'s public form: from the cache, or built (and kept while within `budgetBytes`). */
export function publicScoreBytes(table: ScoreTable, s: FreelancerScore, budgetBytes: number): Buffer {
  const c = cacheOf(table);
  return c.get(s.freelancer_id) ?? serialise(c, s, budgetBytes);
}

/** publicScoreBytes for a score the caller just found not kept (cachedScoreBytes missed): no second probe. */
export function uncachedScoreBytes(table: ScoreTable, s: FreelancerScore, budgetBytes: number): Buffer {
  return serialise(cacheOf(table), s, budgetBytes);
}

/** Builds the bytes of a score not kept yet, and keeps them while within `budgetBytes`. */
function serialise(c: ScoreArena, s: FreelancerScore, budgetBytes: number): Buffer {
  const json = JSON.stringify(publicScore(s));
  const bodyBytes = Buffer.byteLength(json);
  if (c.bytes + bodyBytes + Buffer.byteLength(s.freelancer_id) + ENTRY_OVERHEAD <= budgetBytes) return c.put(s.freelancer_id, json, bodyBytes);
  return Buffer.from(json);
}

/** Bytes held for `table` (for tests and the health of the budget). */
export function cachedBytes(table: ScoreTable): { entries: number; bytes: number } {
  const c = caches.get(table);
  return { entries: c?.size ?? 0, bytes: c?.bytes ?? 0 };
}

/**
 * Serialises `table` in idle slices while it stays live and the budget lasts. Resolves
 * with the number of scores held when it stops.
 */
export function prewarm(table: ScoreTable, isLive: () => boolean, budgetBytes: number): Promise<number> {
  const c = cacheOf(table);
  const ids = table.orderedIds;
  let i = 0;
  return new Promise((resolve) => {
    const slice = () => {
      if (!isLive()) return resolve(c.size);
      const end = Math.min(i + SLICE_ROWS, ids.length);
      for (; i < end; i++) {
        publicScoreBytes(table, table.byId.get(ids[i])!, budgetBytes);
        if (c.bytes + ENTRY_OVERHEAD > budgetBytes) return resolve(c.size);
      }
      if (i >= ids.length) return resolve(c.size);
      setImmediate(slice);
    };
    setImmediate(slice);
  });
}

/**
 * Keeps the live table prewarmed: now and after every swap, until the returned stop is
 * called (the server's close). A table swapped in with `LiveHolder.swapPrepared` (model
 * promotion, rollback) is serialised before it goes live, as far as the budget allows
 * beside the live table's bytes, so `budgetBytes` bounds both tables together; the rest
 * follows after the swap, when the old table's bytes are freed.
 */
export function prewarmLiveScores(live: LiveHolder, budgetBytes: number): () => void {
  let stopped = false;
  const start = (table: ScoreTable | null) => {
    if (table && budgetBytes > 0) void prewarm(table, () => !stopped && live.current.scores === table, budgetBytes);
  };
  start(live.current.scores);
  const off = live.onSwap((s) => start(s.scores));
  const offPrepare = live.onPrepare((table) => {
    const held = live.current.scores && live.current.scores !== table ? cachedBytes(live.current.scores).bytes : 0;
    return prewarm(table, () => !stopped, budgetBytes - held);
  });
  return () => {
    stopped = true;
    off();
    offPrepare();
  };
}
