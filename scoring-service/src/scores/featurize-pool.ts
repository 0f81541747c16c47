/**
 * Featurizes many profiles on every core: one worker thread per core, each with its own
 * kuromoji tokenizer (the analyser is CPU-bound and single-threaded). Small jobs run inline.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Featurizer } from '../features/featurizer.ts';
import { packVector } from '../features/packing.ts';
import type { Profile } from '../domain/types.ts';

export interface FeaturizePool {
  /** Packed vectors (features/packing.ts) of the profiles, in order; behaviour features as for no activity. */
  packAll(profiles: Profile[]): Promise<string[]>;
  readonly workers: number;
  close(): Promise<void>;
}

export function inlinePool(f: Featurizer): FeaturizePool {
  return {
    workers: 0,
    packAll: async (profiles) => profiles.map((p) => packVector(f.featurize({ profile: p, activity: null }))),
    close: async () => {},
  };
}

export function workerPool(f: Featurizer, size = Math.max(1, Math.min(os.availableParallelism(), 8))): FeaturizePool {
  const workers = Array.from({ length: size }, () => new Worker(new URL('./featurize-worker-entry.mjs', import.meta.url)));
  const pending = new Map<number, { resolve: (v: string[]) => void; reject: (e: Error) => void }>();
  let next = 0;
  let turn = 0;
  for (const w of workers) {
    w.on('message', (m: { id: number; packed?: string[]; specVersion?: string; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error) p.reject(new Error(`featurize worker failed: ${m.error}`));
      else if (m.specVersion !== f.spec.version) p.reject(new Error(`featurize worker computes spec ${m.specVersion}, expected ${f.spec.version}`));
      else p.resolve(m.packed!);
    });
    w.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
  }
  const send = (profiles: Profile[]) =>
    new Promise<string[]>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      workers[turn++ % workers.length].postMessage({ id, profiles });
    });
  return {
    workers: size,
    async packAll(profiles) {
      // Chunks small enough to balance the workers, large enough to amortise messaging.
      const chunk = Math.max(50, Math.ceil(profiles.length / (size * 4)));
      const parts: Promise<string[]>[] = [];
      for (let i = 0; i < profiles.length; i += chunk) parts.push(send(profiles.slice(i, i + chunk)));
      return (await Promise.all(parts)).flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
