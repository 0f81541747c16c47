/**
 * Featurizes many profiles on every core. kuromoji is CPU-bound and single-threaded, so
 * each thread needs its own tokenizer; loading one costs a core about 2 s. The calling
 * thread already has one loaded (the process featurizer) and is otherwise idle while the
 * pool runs, so a pool of N threads is the caller plus N − 1 workers: on two cores that is
 * one extra dictionary load instead of two, and no core left waiting.
 *
 * Work is handed out in small chunks from one queue: a worker always has the next chunk
 * queued (no gap between chunks) and the caller takes chunks between them, yielding to
 * the event loop after each so worker replies and I/O are served. Fast and slow threads
 * thus finish together, whatever the texts' lengths.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Featurizer } from '../features/featurizer.ts';
import { packList } from '../features/packing.ts';
import type { Profile } from '../domain/types.ts';

export interface FeaturizePool {
  /** Stored vectors (features/packing.ts packList) of the profiles, in order; behaviour features as for no activity. */
  packAll(profiles: Profile[]): Promise<number[][]>;
  /** Threads featurizing (the caller included when it takes part). */
  readonly workers: number;
  /** Chunks done per thread: [caller, worker 1, …] (for tests and benchmarks). */
  readonly chunksDone: number[];
  close(): Promise<void>;
}

/** About 0.1 s of work for the calling thread: short enough to keep the event loop responsive. */
const CHUNK = 48;

const packOne = (f: Featurizer, p: Profile) => packList(f.featurize({ profile: p, activity: null }));

export function inlinePool(f: Featurizer): FeaturizePool {
  const chunksDone = [0];
  return {
    workers: 0,
    chunksDone,
    packAll: async (profiles) => {
      chunksDone[0] += Math.ceil(profiles.length / CHUNK);
      return profiles.map((p) => packOne(f, p));
    },
    close: async () => {},
  };
}

interface Job {
  profiles: Profile[];
  resolve: (packed: number[][]) => void;
  reject: (e: Error) => void;
}

export function workerPool(
  f: Featurizer,
  size = Math.max(1, Math.min(os.availableParallelism(), 8)),
  o: { useCallingThread?: boolean } = {},
): FeaturizePool {
  const caller = o.useCallingThread ?? true;
  const nWorkers = Math.max(caller ? size - 1 : size, caller ? 0 : 1);
  const chunksDone = new Array<number>(nWorkers + 1).fill(0);
  const queue: Job[] = [];
  let failed: Error | null = null;
  let callerBusy = false;

  const workers = Array.from({ length: nWorkers }, (_, wi) => {
    const worker = new Worker(new URL('./featurize-worker-entry.mjs', import.meta.url));
    const inFlight = new Map<number, Job>();
    let seq = 0;
    const fail = (e: Error) => {
      failed ??= e;
      for (const j of inFlight.values()) j.reject(e);
      inFlight.clear();
      for (const j of queue.splice(0)) j.reject(e);
    };
    // Two chunks per worker: it starts the second the moment it finishes the first.
    const feed = () => {
      while (!failed && inFlight.size < 2 && queue.length) {
        const job = queue.shift()!;
        const id = seq++;
        inFlight.set(id, job);
        worker.postMessage({ id, profiles: job.profiles });
      }
    };
    worker.on('message', (m: { id: number; packed?: number[][]; specVersion?: string; error?: string }) => {
      const job = inFlight.get(m.id);
      if (!job) return;
      inFlight.delete(m.id);
      if (m.error) fail(new Error(`featurize worker failed: ${m.error}`));
      else if (m.specVersion !== f.spec.version) fail(new Error(`featurize worker computes spec ${m.specVersion}, expected ${f.spec.version}`));
      else {
        chunksDone[wi + 1]++;
        job.resolve(m.packed!);
      }
      feed();
    });
    worker.on('error', (e) => fail(e));
    worker.on('exit', (code) => {
      if (inFlight.size || queue.length) fail(new Error(`featurize worker exited (${code}) with work pending`));
    });
    return { worker, feed };
  });

  const feedAll = () => {
    for (const w of workers) w.feed();
  };

  // The calling thread takes queued chunks one at a time, yielding between them.
  async function callerLoop(): Promise<void> {
    if (callerBusy) return;
    callerBusy = true;
    try {
      while (queue.length && !failed) {
        const job = queue.shift()!;
        try {
          job.resolve(job.profiles.map((p) => packOne(f, p)));
          chunksDone[0]++;
        } catch (e) {
          job.reject(e instanceof Error ? e : new Error(String(e)));
        }
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      callerBusy = false;
    }
  }

  return {
    workers: nWorkers + (caller ? 1 : 0),
    chunksDone,
    async packAll(profiles) {
      if (failed) throw failed;
      const parts: Promise<number[][]>[] = [];
      for (let i = 0; i < profiles.length; i += CHUNK) {
        const slice = profiles.slice(i, i + CHUNK);
        parts.push(new Promise((resolve, reject) => queue.push({ profiles: slice, resolve, reject })));
      }
      feedAll();
      if (caller) void callerLoop();
      return (await Promise.all(parts)).flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
