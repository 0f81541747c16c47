/**
 * Serialised public scores: the bytes `GET /v1/freelancers/{id}/score` and the NDJSON
 * stream send, built once per score and kept with their score table (a WeakMap keyed by
 * the table, so a swapped-out table's bytes go with it; one plain Map inside, as a WeakMap
 * entry per score would burden every garbage collection).
 *
 * After every swap the live table is serialised ahead of requests in small idle slices
 * (prewarm), so no request pays for JSON, UTF-8 encoding or the allocation that follows —
 * the difference between the score read and `/healthz` in bench/online.ts. Memory is
 * bounded by a byte budget per table (SCORE_CACHE_MB): beyond it a score is serialised per
 * request and not kept, which is slower but never wrong.
 */
import type { FreelancerScore } from '../domain/types.ts';
import type { LiveHolder, ScoreTable } from '../scores/live.ts';

/** Rough heap cost of one entry beyond its bytes: the Buffer object and the Map slot. */
const ENTRY_OVERHEAD = 128;
/** Rows serialised per idle slice: ~1–2 ms of work, so requests in between wait no longer. */
const SLICE_ROWS = 500;

interface TableCache {
  entries: Map<string, Buffer>;
  bytes: number;
}

const caches = new WeakMap<ScoreTable, TableCache>();

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

function cacheOf(table: ScoreTable): TableCache {
  let c = caches.get(table);
  if (!c) caches.set(table, (c = { entries: new Map(), bytes: 0 }));
  return c;
}

/** The UTF-8 JSON of `s`'s public form: from the cache, or built (and kept while within `budgetBytes`). */
export function publicScoreBytes(table: ScoreTable, s: FreelancerScore, budgetBytes: number): Buffer {
  const c = cacheOf(table);
  let bytes = c.entries.get(s.freelancer_id);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(publicScore(s)));
    const cost = bytes.length + ENTRY_OVERHEAD;
    if (c.bytes + cost <= budgetBytes) {
      c.entries.set(s.freelancer_id, bytes);
      c.bytes += cost;
    }
  }
  return bytes;
}

/** Bytes held for `table` (for tests and the health of the budget). */
export function cachedBytes(table: ScoreTable): { entries: number; bytes: number } {
  const c = caches.get(table);
  return { entries: c?.entries.size ?? 0, bytes: c?.bytes ?? 0 };
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
      if (!isLive()) return resolve(c.entries.size);
      const end = Math.min(i + SLICE_ROWS, ids.length);
      for (; i < end; i++) {
        publicScoreBytes(table, table.byId.get(ids[i])!, budgetBytes);
        if (c.bytes + ENTRY_OVERHEAD > budgetBytes) return resolve(c.entries.size);
      }
      if (i >= ids.length) return resolve(c.entries.size);
      setImmediate(slice);
    };
    setImmediate(slice);
  });
}

/**
 * Keeps the live table prewarmed: now and after every swap, until the returned stop is
 * called (the server's close).
 */
export function prewarmLiveScores(live: LiveHolder, budgetBytes: number): () => void {
  let stopped = false;
  const start = (table: ScoreTable | null) => {
    if (table && budgetBytes > 0) void prewarm(table, () => !stopped && live.current.scores === table, budgetBytes);
  };
  start(live.current.scores);
  const off = live.onSwap((s) => start(s.scores));
  return () => {
    stopped = true;
    off();
  };
}
