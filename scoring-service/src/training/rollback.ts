/**
 * The Act step: every run checks the live model against its predecessor on annotations
 * added since the live one was promoted. If the predecessor beats it by the gate's rule
 * (relative RMSE improvement ≥ minimum and the 95% interval excluding zero), the
 * predecessor is re-activated and the reason recorded.
 */
import { pairedBootstrapRmseDiff, type PairedDiff } from '../stats/bootstrap.ts';
import { fitRaterBias } from '../stats/agreement.ts';
import { seedFromString } from '../stats/rng.ts';
import { activateVersion, getVersion, liveVersionRow, loadModel, predecessorOf } from './registry.ts';
import type { AnnotationRecord } from './dataset.ts';
import type { TrainingDeps } from './deps.ts';
import type { KitFeaturizer, ModelKit } from './model-kit.ts';
import { rowScorer } from './predict.ts';

export const MIN_NEW_ANNOTATIONS = 30;

export interface RollbackOutcome {
  checked: boolean;
  fired: boolean;
  live_version: string | null;
  predecessor_version: string | null;
  new_annotations: number;
  live_rmse: number | null;
  predecessor_rmse: number | null;
  /** RMSE(predecessor) − RMSE(live): negative means the predecessor is better. */
  diff: PairedDiff | null;
  reason_ja: string;
  reason_en: string;
}

export async function rollbackCheck(deps: TrainingDeps, kit: ModelKit, f: KitFeaturizer, annotations: AnnotationRecord[], runId: string): Promise<RollbackOutcome> {
  const w = deps.warehouse;
  const live = await liveVersionRow(w);
  const base: RollbackOutcome = {
    checked: false,
    fired: false,
    live_version: live?.version ?? null,
    predecessor_version: null,
    new_annotations: 0,
    live_rmse: null,
    predecessor_rmse: null,
    diff: null,
    reason_ja: '',
    reason_en: '',
  };
  if (!live || !live.activated_at) return { ...base, reason_ja: 'ライブモデルなし', reason_en: 'no live model' };
  const prevVersion = await predecessorOf(w, live.version);
  const prev = prevVersion ? await getVersion(w, prevVersion) : null;
  if (!prev || prev.status === 'failed') return { ...base, reason_ja: '比較できる前のモデルなし', reason_en: 'no valid predecessor to compare with' };
  const since = live.activated_at;
  const fresh = annotations.filter((a) => a.created_at > since);
  base.predecessor_version = prev.version;
  base.new_annotations = fresh.length;
  if (fresh.length < MIN_NEW_ANNOTATIONS) {
    return { ...base, reason_ja: `昇格後の新しい注釈が${fresh.length}件（${MIN_NEW_ANNOTATIONS}件未満）のため判定保留`, reason_en: `${fresh.length} annotations since promotion (< ${MIN_NEW_ANNOTATIONS}): not enough to judge` };
  }
  let prevModel;
  try {
    prevModel = loadModel(kit, f, prev.model);
  } catch (e) {
    return { ...base, reason_ja: '前のモデルが検証に失敗', reason_en: `predecessor fails validation: ${String(e)}` };
  }
  const liveModel = deps.live.current.model?.version === live.version ? deps.live.current.model : loadModel(kit, f, live.model);
  // Targets: each new annotation with its annotator's bias (estimated on all annotations) removed.
  const bias = fitRaterBias(annotations.map((a) => ({ item: a.freelancer_id, rater: a.annotator, score: a.score }))).bias;
  const y = fresh.map((a) => a.score - (bias.get(a.annotator) ?? 0));
  const X = fresh.map((a) => f.featurize(a.profile_snapshot));
  const sLive = rowScorer(kit, f, liveModel);
  const sPrev = rowScorer(kit, f, prevModel);
  const pLive = fresh.map((a, i) => sLive(a.profile_snapshot, X[i]));
  const pPrev = fresh.map((a, i) => sPrev(a.profile_snapshot, X[i]));
  const diff = pairedBootstrapRmseDiff(y, pLive, pPrev, { seed: seedFromString(runId) });
  const rm = (p: number[]) => Math.sqrt(p.reduce((s, v, i) => s + (y[i] - v) ** 2, 0) / y.length);
  const out: RollbackOutcome = { ...base, checked: true, diff, live_rmse: rm(pLive), predecessor_rmse: rm(pPrev) };
  const minImp = deps.config.training.minImprovement;
  const interval = `[${diff.lo.toFixed(4)}, ${diff.hi.toFixed(4)}]`;
  if (diff.relImprovement >= minImp && diff.hi < 0) {
    const reason_en = `live ${live.version} is worse than its predecessor ${prev.version} on ${fresh.length} annotations since promotion: predecessor RMSE better by ${(100 * diff.relImprovement).toFixed(2)}%, 95% interval ${interval}`;
    const reason_ja = `昇格後の注釈${fresh.length}件で、ライブ ${live.version} が前のモデル ${prev.version} より悪化（前モデルのRMSEが ${(100 * diff.relImprovement).toFixed(2)}% 良い、95%区間 ${interval}）`;
    await activateVersion(deps, prev.version, { kind: 'rollback', actor: 'system:auto-rollback', reason: reason_en, runId, featurizer: f });
    deps.log.warn(`AUTO-ROLLBACK: ${reason_en}`, { from: live.version, to: prev.version, run_id: runId });
    return { ...out, fired: true, reason_ja, reason_en };
  }
  return {
    ...out,
    reason_ja: `ライブモデルは前のモデルより悪化していない（差 ${diff.diff.toFixed(4)}、95%区間 ${interval}）`,
    reason_en: `live model is not worse than its predecessor (difference ${diff.diff.toFixed(4)}, 95% interval ${interval})`,
  };
}
