/**
 * One training run: rollback check → training set → features → selection → final fit
 * (written as a candidate) → cross-validated challenger vs live on the same folds →
 * learning curve → gate → materialise + activate → report. Used by POST /v1/train, `cli train`, the in-process
 * schedule and start-up. One run at a time per warehouse.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../errors.ts';
import { seedFromString } from '../stats/rng.ts';
import { featureDrift, summarizeFeature, type FeatureSummary } from '../stats/drift.ts';
import { buildTrainingSet, loadAnnotations } from './dataset.ts';
import { snapshotFeatures } from './snapshot-features.ts';
import { fillDemand, loadSkillDemand } from '../features/skill-demand.ts';
import { groupPositions } from '../features/featurizer.ts';
import { selectFeatures } from './selection.ts';
import { compare, gate, type Comparison } from './evaluate.ts';
import { crossValidate, FOLDS, learningCurve } from './cross-validate.ts';
import { activateVersion, liveVersionRow, loadModel, setStatus, writeVersion } from './registry.ts';
import type { LiveModel } from '../model/types.ts';
import { heartbeat, previousFeatureSummary, saveCandidate, saveProgress, saveRun, type RunRow, type StepRecord } from './runs.ts';
import { rollbackCheck, type RollbackOutcome } from './rollback.ts';
import { kitOf, type TrainingDeps } from './deps.ts';
import type { KitFeaturizer, KitModelJson, ModelKit } from './model-kit.ts';
import { buildReportData } from '../report/data.ts';
import { renderReport } from '../report/render.ts';
import { redactSecrets } from './secrets.ts';

export interface TrainingProgress {
  run_id: string;
  step: string;
  done: number;
  total: number;
}

export interface TrainingRunResult {
  run_id: string;
  status: 'succeeded' | 'failed';
  decision: 'promoted' | 'rejected' | 'no_data' | 'failed';
  decision_reason: string;
  candidate_version: string | null;
  live_version: string | null;
  rollback: RollbackOutcome | null;
  error?: string;
}

export const STEPS = ['rollback_check', 'dataset', 'features', 'selection', 'final_fit', 'cross_validation', 'learning_curve', 'gate', 'activate', 'report'] as const;
export type StepName = (typeof STEPS)[number];

const running = new WeakMap<object, string>();

/** The id of the run in progress on this warehouse, if any. */
export function runningRunId(deps: Pick<TrainingDeps, 'warehouse'>): string | null {
  return running.get(deps.warehouse) ?? null;
}

/**
 * Runs `fn` holding the same per-warehouse lock as training (manual activation uses it, so an
 * activation and a run never interleave their registry writes).
 */
export async function withTrainingLock<T>(deps: Pick<TrainingDeps, 'warehouse'>, label: string, fn: () => Promise<T>): Promise<T> {
  const current = running.get(deps.warehouse);
  if (current) throw new ConflictError(`a training run or activation is in progress: ${current}`, { run_id: current });
  running.set(deps.warehouse, label);
  try {
    return await fn();
  } finally {
    running.delete(deps.warehouse);
  }
}

export const HEARTBEAT_MS = 30_000;

export interface RunOptions {
  /** Called at each step start; a returned promise is awaited (tests pause a run this way). */
  onProgress?: (p: TrainingProgress) => void | Promise<void>;
  /** Learning-curve points (0 skips it). */
  learningCurvePoints?: number;
}

/**
 * Starts a run and returns its id immediately plus the promise of its result; throws
 * ConflictError (409) naming the running run's id when one is in progress.
 */
export async function startTraining(deps: TrainingDeps, trigger: { by: string; reason?: string }, o: RunOptions = {}): Promise<{ runId: string; done: Promise<TrainingRunResult> }> {
  const current = running.get(deps.warehouse);
  if (current) throw new ConflictError(`a training run is already running: ${current}`, { run_id: current });
  const runId = `run-${deps.now().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  running.set(deps.warehouse, runId);
  let row: RunRow;
  try {
    row = await createRun(deps, runId, trigger);
  } catch (e) {
    running.delete(deps.warehouse);
    throw e;
  }
  // A heartbeat lets another instance's start-up tell a live run from one whose process died.
  const beat = setInterval(() => void heartbeat(deps.warehouse, runId, deps.now()).catch(() => {}), HEARTBEAT_MS);
  beat.unref();
  const done = execute(deps, row, o).finally(() => {
    clearInterval(beat);
    running.delete(deps.warehouse);
  });
  return { runId, done };
}

export async function runTraining(
  deps: TrainingDeps,
  trigger: { by: string; reason?: string },
  onProgress?: (p: TrainingProgress) => void | Promise<void>,
  o: Omit<RunOptions, 'onProgress'> = {},
): Promise<TrainingRunResult> {
  return (await startTraining(deps, trigger, { ...o, onProgress })).done;
}

function versionName(now: Date, runId: string): string {
  return `m-${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${runId.slice(-8)}`;
}

async function createRun(deps: TrainingDeps, runId: string, trigger: { by: string; reason?: string }): Promise<RunRow> {
  const liveBefore = await liveVersionRow(deps.warehouse);
  const row: RunRow = {
    run_id: runId,
    status: 'running',
    triggered_by: trigger.by,
    trigger_reason: trigger.reason ?? null,
    started_at: deps.now().toISOString(),
    finished_at: null,
    progress: null,
    heartbeat_at: deps.now().toISOString(),
    steps: [],
    decision: null,
    decision_reason: null,
    candidate_version: null,
    live_version_before: liveBefore?.version ?? null,
    live_version_after: null,
    metrics: null,
    feature_summary: null,
    report_html: null,
    error: null,
  };
  await saveRun(deps.warehouse, row);
  return row;
}

async function execute(deps: TrainingDeps, row: RunRow, o: RunOptions): Promise<TrainingRunResult> {
  const w = deps.warehouse;
  const runId = row.run_id;
  const trigger = { by: row.triggered_by, reason: row.trigger_reason ?? undefined };
  const log = deps.log.child({ run_id: runId });
  log.info('training run started', { triggered_by: trigger.by });
  const steps: StepRecord[] = row.steps;
  let stepStart = 0;
  let current: StepRecord | null = null;
  const endStep = (detail?: Record<string, unknown>) => {
    if (current) {
      current.seconds = (performance.now() - stepStart) / 1000;
      if (detail) current.detail = detail;
      current = null;
    }
  };
  const step = async (name: StepName) => {
    endStep();
    stepStart = performance.now();
    current = { name, started_at: deps.now().toISOString(), seconds: 0 };
    steps.push(current);
    const p = { run_id: runId, step: name, done: STEPS.indexOf(name), total: STEPS.length };
    row.progress = { step: name, done: p.done, total: p.total };
    await saveProgress(w, runId, row.progress, steps, deps.now());
    await o.onProgress?.(p);
  };
  const detail = (d: Record<string, unknown>) => {
    if (current) current.detail = { ...(current.detail ?? {}), ...d };
  };

  let candidate: string | null = null;
  try {
    const kit = await kitOf(deps);
    const f = await kit.loadFeaturizer();

    await step('rollback_check');
    const annotations = await loadAnnotations(w);
    const rollback = await rollbackCheck(deps, kit, f, annotations, runId);
    detail({ fired: rollback.fired, reason: rollback.reason_en });

    await step('dataset');
    if (annotations.length < 10) {
      const reason = `注釈が${annotations.length}件しかないため学習できません / only ${annotations.length} annotations: need at least 10`;
      endStep();
      Object.assign(row, { status: 'succeeded', finished_at: deps.now().toISOString(), decision: 'no_data', decision_reason: reason, live_version_after: (await liveVersionRow(w))?.version ?? null });
      await saveRun(w, row);
      return { run_id: runId, status: 'succeeded', decision: 'no_data', decision_reason: reason, candidate_version: null, live_version: row.live_version_after, rollback };
    }
    const ts = buildTrainingSet(annotations);
    detail({ annotations: annotations.length, freelancers: ts.examples.length, content_hash: ts.contentHash });

    await step('features');
    const sf = await snapshotFeatures(w, f, ts.examples);
    const X = sf.X;
    // Skill demand from today's job postings: the model stores the table, so serving computes
    // these features exactly as they are computed here.
    const demandIndex = groupPositions(f.spec, 'demand');
    const skillDemand = demandIndex.length ? await loadSkillDemand(w) : null;
    if (skillDemand) X.forEach((x, i) => fillDemand(x, demandIndex, skillDemand, ts.examples[i].snapshot.profile));
    detail({ reused_from_feature_store: sf.reused, analysed: sf.computed, skill_demand_jobs: skillDemand?.jobs ?? null });
    const y = ts.examples.map((e) => e.target);
    const weights = ts.examples.map((e) => e.weight);
    const names = f.spec.features.map((d) => d.name);

    await step('selection');
    const selection = selectFeatures(names, X, y);
    const selected = selection.filter((s) => s.kept).map((s) => s.name);
    detail({ kept: selected.length, dropped: selection.length - selected.length });

    const seed = seedFromString(ts.contentHash);
    await step('final_fit');
    candidate = versionName(deps.now(), runId);
    const fit = kit.fit(X, y, f.spec, { folds: FOLDS, seed, weights, version: candidate, selected, now: deps.now(), skillDemand });
    const modelJson: KitModelJson = fit.model;
    const hyper = { alpha: fit.cv.alpha, interaction_scale: fit.cv.interactionScale ?? null, penalties: fit.cv.columnScales ? 'evidence' : 'cv', cv_rmse: fit.cv.rmse, folds: FOLDS, seed, selected_features: selected };
    await writeVersion(w, {
      version: candidate,
      created_at: deps.now().toISOString(),
      status: 'candidate',
      model: modelJson,
      metrics: null,
      lineage: {
        run_id: runId,
        triggered_by: trigger.by,
        training_set: { annotations: annotations.length, freelancers: ts.examples.length, content_hash: ts.contentHash },
        feature_spec_version: f.spec.version,
        hyperparameters: hyper,
        code_version: deps.config.codeVersion,
      },
      activated_at: null,
    });
    row.candidate_version = candidate;
    await saveCandidate(w, runId, candidate);
    detail({ version: candidate, alpha: fit.cv.alpha });

    // The penalties (ridge α and the interaction scale) are chosen once, by the final fit's
    // inner cross-validation, and reused by the outer folds: no nested search per fold, at the
    // price of hyperparameters seen on all rows.
    await step('cross_validation');
    const liveModel = await currentLiveModel(deps, kit, f);
    const cv = crossValidate(kit, f, ts, X, y, weights, selected, seed, fit.cv, liveModel);
    const comparison = compare(y, cv.challenger, cv.live, cv.baseline, ts.examples.map((e) => e.occupation), seed);
    detail({ challenger_rmse: comparison.challenger.rmse, live_rmse: comparison.live?.rmse ?? null });

    await step('learning_curve');
    const curve = learningCurve(kit, f, X, y, weights, selected, seed, fit.cv, o.learningCurvePoints ?? 6);

    await step('gate');
    const g = gate(comparison, deps.config.training.minImprovement);
    detail({ promote: g.promote });
    const metrics = { comparison, selection, learning_curve: curve, rollback, gate: g };

    await step('activate');
    if (g.promote) {
      try {
        await activateVersion(deps, candidate, { kind: 'promotion', actor: `training:${trigger.by}`, reason: g.reason_en, runId, featurizer: f });
      } catch (e) {
        throw new Error(`promotion of ${candidate} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    } else {
      await setStatus(w, candidate, 'rejected');
    }
    await w.execute(`UPDATE ${w.dialect.table('model_versions')} SET metrics = CAST(@m AS JSON) WHERE version = @v`, {
      v: candidate,
      m: JSON.stringify({ challenger: comparison.challenger, live: comparison.live, diff: comparison.diff, timings: steps.map((s) => ({ name: s.name, seconds: s.seconds })) }),
    });

    await step('report');
    const featureSummary: FeatureSummary[] = names.map((n, j) => summarizeFeature(n, Float64Array.from(X, (r) => r[j])));
    const prev = await previousFeatureSummary(w, runId);
    const columns = new Map(names.map((n, j) => [n, Float64Array.from(X, (r) => r[j])] as const));
    const drift = prev && Array.isArray(prev.feature_summary) ? { previousRunId: prev.run_id, rows: featureDrift(prev.feature_summary as FeatureSummary[], columns) } : null;
    const liveAfter = (await liveVersionRow(w))?.version ?? null;
    Object.assign(row, {
      decision: g.promote ? 'promoted' : 'rejected',
      decision_reason: `${g.reason_ja} / ${g.reason_en}`,
      live_version_after: liveAfter,
      metrics: { ...summaryMetrics(comparison), gate: g, rollback, learning_curve: curve, hyperparameters: hyper, feature_selection: selection },
      feature_summary: featureSummary,
    });
    endStep();
    const data = await buildReportData({
      run: row,
      trainingSet: ts,
      featurizer: f,
      comparison,
      heldOut: { y, challenger: cv.challenger, occupations: ts.examples.map((e) => e.occupation) },
      selection,
      curve,
      candidateModel: kit.createLiveModel(modelJson, f),
      features: X,
      drift,
      gate: g,
      rollback,
      metrics,
    });
    row.report_html = redactSecrets(renderReport(data), deps.config);
    const last = steps[steps.length - 1];
    last.seconds = (performance.now() - stepStart) / 1000;
    row.status = 'succeeded';
    row.finished_at = deps.now().toISOString();
    row.progress = { step: 'done', done: STEPS.length, total: STEPS.length };
    await saveRun(w, row);
    log.info(`training run finished: ${row.decision}`, { decision: row.decision, reason: g.reason_en, candidate_version: candidate, live_version: liveAfter });
    return { run_id: runId, status: 'succeeded', decision: g.promote ? 'promoted' : 'rejected', decision_reason: row.decision_reason!, candidate_version: candidate, live_version: liveAfter, rollback };
  } catch (e) {
    endStep();
    const msg = e instanceof Error ? e.message : String(e);
    log.error('training run failed', { error: msg, stack: e instanceof Error ? e.stack : undefined });
    if (candidate) await setStatus(w, candidate, 'failed').catch(() => {});
    const liveAfter = (await liveVersionRow(w).catch(() => null))?.version ?? null;
    Object.assign(row, { status: 'failed', finished_at: deps.now().toISOString(), decision: 'failed', decision_reason: msg, error: msg, live_version_after: liveAfter });
    await saveRun(w, row).catch(() => {});
    return { run_id: runId, status: 'failed', decision: 'failed', decision_reason: msg, candidate_version: candidate, live_version: liveAfter, rollback: null, error: msg };
  }
}

/** The registry's live model (the in-memory one when it is the same version, e.g. in the CLI it is not loaded). */
async function currentLiveModel(deps: TrainingDeps, kit: ModelKit, f: KitFeaturizer): Promise<LiveModel | null> {
  const row = await liveVersionRow(deps.warehouse);
  if (!row) return null;
  const inMemory = deps.live.current.model;
  if (inMemory?.version === row.version) return inMemory;
  try {
    return loadModel(kit, f, row.model);
  } catch (e) {
    deps.log.error(`live model ${row.version} fails validation; the challenger is compared as if no model were live`, { error: String(e) });
    return null;
  }
}

function summaryMetrics(c: Comparison) {
  return {
    challenger: { rmse: c.challenger.rmse, mae: c.challenger.mae, spearman: c.challenger.spearman, n: c.challenger.n },
    live: c.live ? { rmse: c.live.rmse, mae: c.live.mae, spearman: c.live.spearman, n: c.live.n } : null,
    rmse_diff: c.diff,
  };
}
