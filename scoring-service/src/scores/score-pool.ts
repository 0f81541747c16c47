/**
 * Scores materialisation's batches on a worker thread while the calling thread reads the
 * next batch and turns finished ones into rows: on two cores the scoring no longer adds to
 * the read. Batches come back in the order given. `inlineScoring` does the same work on the
 * calling thread (small tables, where starting a worker costs more than it saves).
 */
import { Worker } from 'node:worker_threads';
import type { FeatureDef } from '../features/featurizer.ts';
import type { ScoringModelJson } from '../model/scoring-model.ts';
import { scoreBatch, type ScoreBatchInput, type ScoreBatchResult } from './score-batch.ts';
import type { SparseScorer } from './sparse-scorer.ts';

export interface ScoringThreads {
  score(batch: ScoreBatchInput): Promise<ScoreBatchResult>;
  close(): Promise<void>;
}

export function inlineScoring(scorer: SparseScorer, coefficients: number): ScoringThreads {
  const c = new Float64Array(coefficients);
  return { score: async (b) => scoreBatch(scorer, c, b), close: async () => {} };
}

const ownBuffer = (a: ArrayBufferView) => a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer;

export function workerScoring(model: ScoringModelJson, features: readonly FeatureDef[], behaviourIndex: Int32Array, demandIndex?: Int32Array): ScoringThreads {
  const worker = new Worker(new URL('./score-worker-entry.mjs', import.meta.url));
  // Feature definitions carry functions; the scorer needs only names and labels.
  const plain = features.map((d) => ({ name: d.name, label_ja: d.label_ja, label_en: d.label_en }));
  worker.postMessage({ init: { model, features: plain, behaviourIndex, demandIndex } });
  const pending = new Map<number, { resolve: (r: ScoreBatchResult) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let failed: Error | null = null;
  const fail = (e: Error) => {
    failed ??= e;
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
  };
  worker.on('message', (m: { id: number; result?: ScoreBatchResult; error?: string }) => {
    if (m.error !== undefined) return fail(new Error(`score worker failed: ${m.error}`));
    const p = pending.get(m.id);
    pending.delete(m.id);
    p?.resolve(m.result!);
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => {
    if (pending.size) fail(new Error(`score worker exited (${code}) with work pending`));
  });
  return {
    score(batch) {
      if (failed) return Promise.reject(failed);
      const id = seq++;
      const transfer = [batch.offsets, batch.values, batch.behaviour, ...(batch.keys ? [batch.keys.offsets, batch.keys.values] : [])].filter(ownBuffer).map((a) => a.buffer as ArrayBuffer);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, batch }, transfer);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
