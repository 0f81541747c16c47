/**
 * Worker thread of materialisation's scoring: builds the sparse scorer from the model sent
 * first, then scores batches (score-batch.ts) and transfers the typed arrays back.
 * Messages: {init: {model, features, behaviourIndex, demandIndex?}}, then {id, batch} → {id, result} or {id, error}.
 */
import { parentPort } from 'node:worker_threads';
import type { FeatureDef } from '../features/featurizer.ts';
import type { ScoringModelJson } from '../model/scoring-model.ts';
import { scoreBatch, type ScoreBatchInput } from './score-batch.ts';
import { sparseScorer, type SparseScorer } from './sparse-scorer.ts';

const port = parentPort;
if (port) {
  let scorer: SparseScorer | null = null;
  let c = new Float64Array(0);
  port.on('message', (m: { init?: { model: ScoringModelJson; features: FeatureDef[]; behaviourIndex: Int32Array; demandIndex?: Int32Array } } & { id?: number; batch?: ScoreBatchInput }) => {
    try {
      if (m.init) {
        scorer = sparseScorer(m.init.model, m.init.features, m.init.behaviourIndex, m.init.demandIndex);
        c = new Float64Array(m.init.model.coefficients.length);
        return;
      }
      if (!scorer) throw new Error('score worker used before init');
      const result = scoreBatch(scorer, c, m.batch!);
      port.postMessage({ id: m.id, result }, [result.raw.buffer as ArrayBuffer, result.top.buffer as ArrayBuffer, result.contributions.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ id: m.id ?? -1, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
