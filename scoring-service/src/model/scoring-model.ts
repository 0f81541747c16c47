/**
 * The scoring model as data: a type-tagged, versioned JSON object holding the standardised
 * ridge model over a FeatureSpec and (format 2) the monotone 1–5 calibration g of its raw
 * score (model/calibration.ts), fitted on out-of-fold raw predictions only. The served score
 * is clip(g(raw)). `parseScoringModel` is the only way in: it refuses foreign tags, unknown
 * format versions, corrupt arrays and bad checksums; format 1 models (no calibration: g is
 * the identity) still load.
 */
import { createHash } from 'node:crypto';
import type { FeatureSpec } from '../features/featurizer.ts';
import type { ProfileSnapshot } from '../domain/types.ts';
import { AppError } from '../errors.ts';
import { foldsOf } from './ridge.ts';
import { crossValidatePenalties, DEFAULT_ALPHAS, foldStatistics, solveStandard, standardProblem } from './ridge-cv.ts';
import { evidenceOutOfFold, evidencePenalties } from './evidence-cv.ts';
import { calibrate, fitCalibration, IDENTITY_CALIBRATION, parseCalibration, type Calibration } from './calibration.ts';
import { parseSkillDemand, type SkillDemandTable } from '../features/skill-demand.ts';

/** Extra-penalty candidates for interaction columns: column scale s means penalty α / s². */
export const INTERACTION_SCALES = [1, 0.3, 0.1, 0.03, 0.01];

export const MODEL_TYPE = 'workship.scoring-model';
export const MODEL_FORMAT_VERSION = 3;
/** Fewest training rows for which 'auto' considers a calibration (see fitScoringModel). */
export const MIN_CALIBRATION_ROWS = 1000;

/** Older formats this service still reads (1: no calibration; 2: no skill demand table). */
export const READABLE_FORMAT_VERSIONS = [1, 2, 3];
/** The annotators' scale. */
export const SCORE_MIN = 1;
export const SCORE_MAX = 5;

export interface ScoringModelJson {
  type: 'workship.scoring-model';
  format_version: 1 | 2 | 3;
  version: string;
  created_at: string;
  feature_spec_version: string;
  /** Length of the featurizer's vector the model reads from. */
  feature_spec_size: number;
  /** The features the model uses (all of the spec, or a selection), in coefficient order. */
  feature_names: string[];
  /** Position of each used feature in the featurizer's vector. */
  feature_index: number[];
  standardization: { mean: number[]; scale: number[] };
  coefficients: number[];
  intercept: number;
  alpha: number;
  score_range: [number, number];
  /**
   * Penalties set by evidence per block or chosen by k-fold CV (see `penalties`), measured by
   * k-fold CV. rmse (and rmse_by_alpha) measure what is served: the
   * out-of-fold raw score, calibrated when that helps (each fold by a g fitted on the other
   * folds' out-of-fold scores) and clipped to 1–5; raw_rmse is the uncalibrated, clipped
   * out-of-fold score of the same penalties. An identity calibration means raw won.
   */
  cv: {
    folds: number; alpha: number; rmse: number; alphas: number[]; rmse_by_alpha: number[]; interaction_scale: number; raw_rmse?: number;
    /** How the penalties were set (absent in older models: 'cv'); 'evidence' and 'fixed' record each column's scale (penalty α / s²) and, for 'evidence', each block's penalty. */
    penalties?: 'cv' | 'evidence' | 'fixed';
    column_scales?: number[];
    block_penalties?: Record<string, number>;
  };
  /** Format 2: g, applied to the raw score before clipping (absent in format 1: identity). */
  calibration?: Calibration;
  /**
   * Format 3: the skill demand table (features/skill-demand.ts) built from the jobs table when
   * the model was trained; every scoring path computes the 'demand' features from it. Absent
   * (formats 1 and 2, or a model trained without one): those features are 0.
   */
  skill_demand?: SkillDemandTable;
  training: { rows: number; target_mean: number; target_sd: number; fit_rmse: number };
  /** 101 quantiles (0,1,…,100 %) of the clipped in-sample predictions: percentiles before any materialisation. */
  prediction_quantiles: number[];
  /** sha256 of the canonical JSON of every other field. */
  checksum: string;
}

export interface TrainingRow {
  snapshot: ProfileSnapshot;
  target: number;
  weight?: number;
}

export class ModelFormatError extends AppError {
  constructor(message: string, readonly field?: string) {
    super(400, 'invalid_argument', message, field ? { field } : {});
  }
}

/** JSON with object keys sorted at every level: the same bytes whichever store reordered them. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function modelChecksum(m: Omit<ScoringModelJson, 'checksum'> & { checksum?: string }): string {
  const { checksum: _ignored, ...rest } = m;
  return `sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`;
}

export const clipScore = (raw: number) => Math.min(SCORE_MAX, Math.max(SCORE_MIN, raw));

/**
 * Raw prediction: intercept + Σ coefficient × standardised value, summed in feature order.
 * explain() sums its contributions in the same order, so the two agree exactly.
 */
export function predictRaw(m: ScoringModelJson, x: ArrayLike<number>): number {
  let raw = m.intercept;
  const { mean, scale } = m.standardization;
  for (let j = 0; j < m.coefficients.length; j++) raw += m.coefficients[j] * ((x[m.feature_index[j]] - mean[j]) / scale[j]);
  return raw;
}

/**
 * The model's score before clipping: g(raw) with the model's calibration, raw for a format 1
 * model. Everything that serves or evaluates a model goes through this (or the same steps).
 */
export function predictScore(m: ScoringModelJson, x: ArrayLike<number>): number {
  const raw = predictRaw(m, x);
  return m.calibration ? calibrate(m.calibration, raw) : raw;
}

function quantiles(values: number[], k = 100): number[] {
  const s = [...values].sort((a, b) => a - b);
  return Array.from({ length: k + 1 }, (_, i) => {
    const pos = (i / k) * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  });
}

export function fitScoringModel(
  X: Float64Array[], y: number[], spec: FeatureSpec,
  o: { alphas?: number[]; alpha?: number; folds?: number; seed?: number; weights?: number[]; version?: string; selected?: string[]; now?: Date; interactionScales?: number[];
    /**
     * How the penalties are chosen when none is given: 'evidence' (default) = one prior per
     * block of columns by evidence maximisation (model/evidence.ts); with fewer rows than
     * columns only when its honest out-of-fold error beats the grid's; 'cv' = one α and the interaction columns' extra
     * scale by k-fold CV over a grid. Giving alpha, alphas or interactionScales implies 'cv'.
     */
    penalties?: 'evidence' | 'cv';
    /** Fixed per-column penalty scales (with `alpha`, default 1): a previous fit's cv.column_scales, held fixed (the queue's bootstrap members). */
    columnScales?: ArrayLike<number>;
    /** 'auto' (default from MIN_CALIBRATION_ROWS rows, else 'never'): calibrate when the cross-fitted CV error says it helps; 'always' / 'never' force it. */
    calibrate?: 'auto' | 'always' | 'never';
    /** The demand table X's 'demand' features were computed with; stored in the model for serving. */
    skillDemand?: SkillDemandTable | null } = {},
): { model: ScoringModelJson; cv: { alpha: number; rmse: number } } {
  if (X.length !== y.length) throw new RangeError(`X has ${X.length} rows but y has ${y.length} values`);
  if (X.length < 3) throw new RangeError(`need at least 3 training rows, got ${X.length}`);
  const size = spec.features.length;
  X.forEach((r, i) => {
    if (r.length !== size) throw new RangeError(`row ${i} has ${r.length} features, the spec has ${size}`);
  });
  const names = spec.features.map((f) => f.name);
  const selected = o.selected ?? names;
  const index = selected.map((n) => {
    const i = names.indexOf(n);
    if (i < 0) throw new RangeError(`selected feature '${n}' is not in feature spec ${spec.version}`);
    return i;
  });
  const Xs = index.length === size ? X : X.map((r) => Float64Array.from(index, (i) => r[i]));
  // Grid ('cv'): occupation-specific interaction columns get an extra penalty chosen by the same
  // CV as α (a generalised ridge): with few annotations they are mostly noise, with many they
  // pay. One pass gathers per-fold statistics; every (α, scale) candidate, the evidence fit
  // and the final fit are solved from them, with the standardiser refit on each training fold.
  const interaction = index.map((i) => spec.features[i].group === 'interaction');
  let method: 'fixed' | 'cv' | 'evidence' = o.columnScales ? 'fixed' : o.alpha !== undefined || o.alphas?.length || o.interactionScales ? 'cv' : o.penalties ?? 'evidence';
  const scales = o.interactionScales ?? (interaction.some(Boolean) ? INTERACTION_SCALES : [1]);
  if (!scales.length) throw new RangeError('no penalty candidates');
  const k = Math.max(2, Math.min(o.folds ?? 5, Xs.length));
  const stats = foldStatistics(Xs, y, foldsOf(Xs.length, k, o.seed ?? 1), k, o.weights);
  const w = o.weights;
  const sw = w ? w.reduce((a, b) => a + b, 0) : y.length;
  const servedRmse = (pred: (i: number) => number) => {
    let e2 = 0;
    for (let i = 0; i < y.length; i++) e2 += (w ? w[i] : 1) * (clipScore(pred(i)) - y[i]) ** 2;
    return Math.sqrt(e2 / sw);
  };
  let alphas = o.alpha !== undefined ? [o.alpha] : o.alphas?.length ? o.alphas : DEFAULT_ALPHAS;
  let columnScales = scales.map((sc) => Float64Array.from(interaction, (x) => (x ? sc : 1)));
  let blockPenalties: Record<string, number> | undefined;
  // The grid's raw CV when the evidence was judged against it (reused below if the grid wins).
  let gridCv: ReturnType<typeof crossValidatePenalties> | undefined;
  if (method === 'fixed') {
    if (o.columnScales!.length !== index.length) throw new RangeError(`columnScales has ${o.columnScales!.length} entries, the model has ${index.length} columns`);
    alphas = [o.alpha ?? 1];
    columnScales = [Float64Array.from(o.columnScales!)];
  } else if (method === 'evidence') {
    // One prior per block by evidence (evidence.ts), written as a reference α and per-column
    // scales, so the CV below measures the penalties (it does not choose them) and the
    // calibration choice and the final solve are the same code as for the grid. With fewer rows
    // than columns the design is rank-deficient and the block priors can explain the noise
    // (bench/active-learning.ts at 50 random-order labels: served RMSE 0.82 against the grid's
    // 0.55), so there they must earn their place: the evidence refit inside every training fold
    // (honest out-of-fold error) against the grid's CV error, the lower kept.
    const features = index.map((i) => spec.features[i]);
    const ev = evidencePenalties(stats, features);
    if (Xs.length < index.length) {
      const oof = evidenceOutOfFold(Xs, stats, features, ev.fit);
      const evidenceRmse = servedRmse((i) => oof[i]);
      gridCv = crossValidatePenalties(Xs, y, stats, alphas, columnScales, w, (o) => servedRmse((i) => o[i]));
      if (evidenceRmse > gridCv.rmse) method = 'cv';
    }
    if (method === 'evidence') ({ alphas, columnScales, blockPenalties } = ev);
  }
  // What is served is judged honestly: out-of-fold raw scores, either as they are or
  // calibrated — each fold's scores by a g fitted on the other folds' out-of-fold scores only
  // (cross-fitting, so g's own fit is not rewarded) — then clipped. The calibration is kept
  // only when that cross-fitted error beats the raw one: with few or unrepresentative
  // annotations a fitted g adds variance, with thousands it removes the 1–5 scale's curvature.
  // Below MIN_CALIBRATION_ROWS the choice itself is too noisy to trust
  // (bench/active-learning.ts: at 500 random-order annotations the auto choice served RMSE
  // 0.389 against 0.377 without calibration), so 'auto' keeps the raw score there.
  const calibrationOf = (oof: Float64Array, rows?: number[]) =>
    rows
      ? fitCalibration(Float64Array.from(rows, (i) => oof[i]), Float64Array.from(rows, (i) => y[i]), { weights: w && Float64Array.from(rows, (i) => w[i]) })
      : fitCalibration(oof, y, { weights: w });
  const foldRows: number[][] = Array.from({ length: stats.k }, () => []);
  for (let i = 0; i < y.length; i++) foldRows[stats.fold[i]].push(i);
  const crossFitted = (oof: Float64Array) => {
    const served = new Float64Array(oof.length);
    foldRows.forEach((test, f) => {
      const g = calibrationOf(oof, foldRows.flatMap((rows, h) => (h === f ? [] : rows)));
      for (const i of test) served[i] = calibrate(g, oof[i]);
    });
    return servedRmse((i) => served[i]);
  };
  // Penalties are chosen twice from the same fold statistics: by the raw served error, and by
  // the calibrated one (g refit on each candidate's out-of-fold scores: a 4–6 parameter fit on
  // the whole set, cheap enough for every candidate). Only the calibrated winner is then
  // cross-fitted, and it is served only if that honest error beats the raw winner's.
  const mode = o.calibrate ?? (y.length >= MIN_CALIBRATION_ROWS ? 'auto' : 'never');
  const rawCv = (method === 'cv' && gridCv) || crossValidatePenalties(Xs, y, stats, alphas, columnScales, w, (oof) => servedRmse((i) => oof[i]));
  let cvr = rawCv;
  let calibration: Calibration = { ...IDENTITY_CALIBRATION, range: rangeOf(rawCv.oof) };
  if (mode !== 'never') {
    const calCv = crossValidatePenalties(Xs, y, stats, alphas, columnScales, w, (oof) => {
      const g = calibrationOf(oof);
      return servedRmse((i) => calibrate(g, oof[i]));
    });
    const honest = crossFitted(calCv.oof);
    if (mode === 'always' || honest < rawCv.rmse) {
      cvr = { ...calCv, rmse: honest };
      calibration = calibrationOf(calCv.oof);
    }
  }
  const bestScale = scales[cvr.scaleIndex];
  const st = standardProblem(stats, null, columnScales[cvr.scaleIndex]);
  const fit = solveStandard(st, cvr.alpha);
  const createdAt = (o.now ?? new Date()).toISOString();
  const yMean = y.reduce((a, b) => a + b, 0) / y.length;
  const body: Omit<ScoringModelJson, 'checksum'> = {
    type: MODEL_TYPE,
    format_version: MODEL_FORMAT_VERSION,
    version: o.version ?? `m-${createdAt.replace(/[-:.TZ]/g, '').slice(0, 14)}`,
    created_at: createdAt,
    feature_spec_version: spec.version,
    feature_spec_size: size,
    feature_names: selected,
    feature_index: index,
    standardization: { mean: Array.from(st.mean), scale: Array.from(st.scale) },
    coefficients: Array.from(fit.coef),
    intercept: fit.intercept,
    alpha: cvr.alpha,
    score_range: [SCORE_MIN, SCORE_MAX],
    cv: {
      folds: cvr.folds, alpha: cvr.alpha, rmse: cvr.rmse, alphas: cvr.alphas, rmse_by_alpha: cvr.rmseByAlpha, interaction_scale: bestScale,
      raw_rmse: servedRmse((i) => cvr.oof[i]),
      penalties: method === 'cv' ? 'cv' : method === 'fixed' ? 'fixed' : 'evidence',
      ...(method === 'cv' ? {} : { column_scales: Array.from(columnScales[0]) }),
      ...(blockPenalties ? { block_penalties: blockPenalties } : {}),
    },
    calibration,
    ...(o.skillDemand ? { skill_demand: o.skillDemand } : {}),
    training: { rows: y.length, target_mean: yMean, target_sd: Math.sqrt(y.reduce((a, b) => a + (b - yMean) ** 2, 0) / y.length), fit_rmse: 0 },
    prediction_quantiles: [],
  };
  const tmp = { ...body, checksum: '' } as ScoringModelJson;
  const preds = X.map((r) => clipScore(predictScore(tmp, r)));
  body.training.fit_rmse = Math.sqrt(preds.reduce((a, p, i) => a + (p - y[i]) ** 2, 0) / y.length);
  body.prediction_quantiles = quantiles(preds);
  const model: ScoringModelJson = { ...body, checksum: modelChecksum(body) };
  return { model, cv: { alpha: cvr.alpha, rmse: cvr.rmse } };
}

function rangeOf(v: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return v.length ? [lo, hi] : [0, 0];
}

// ---- parsing -------------------------------------------------------------------------

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function finite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelFormatError(`model field '${field}' is not a finite number`, field);
  return v;
}

function str(o: Record<string, unknown>, field: string): string {
  const v = o[field];
  if (typeof v !== 'string' || !v) throw new ModelFormatError(`model field '${field}' must be a non-empty string`, field);
  return v;
}

function numbers(v: unknown, field: string, length: number): number[] {
  if (!Array.isArray(v)) throw new ModelFormatError(`model field '${field}' must be an array`, field);
  if (v.length !== length) throw new ModelFormatError(`model field '${field}' has ${v.length} entries, expected ${length} (one per feature)`, field);
  return v.map((x, i) => finite(x, `${field}[${i}]`));
}

export function parseScoringModel(json: unknown): ScoringModelJson {
  const o = typeof json === 'string' ? safeParse(json) : json;
  if (!isObj(o)) throw new ModelFormatError('model JSON must be an object');
  if (o.type !== MODEL_TYPE) throw new ModelFormatError(`not a Workship scoring model: type is ${JSON.stringify(o.type ?? null)}, expected "${MODEL_TYPE}"`, 'type');
  if (!READABLE_FORMAT_VERSIONS.includes(o.format_version as number)) {
    throw new ModelFormatError(`unsupported scoring model format_version ${JSON.stringify(o.format_version ?? null)} (this service reads ${READABLE_FORMAT_VERSIONS.slice(0, -1).join(', ')} and ${READABLE_FORMAT_VERSIONS[READABLE_FORMAT_VERSIONS.length - 1]})`, 'format_version');
  }
  if (o.format_version === 1 && o.calibration !== undefined) throw new ModelFormatError(`model field 'calibration' is not part of format_version 1`, 'calibration');
  if (o.format_version !== 3 && o.skill_demand !== undefined) throw new ModelFormatError(`model field 'skill_demand' is not part of format_version ${String(o.format_version)}`, 'skill_demand');
  if (o.skill_demand !== undefined) {
    parseSkillDemand(o.skill_demand, (message, field) => {
      throw new ModelFormatError(message, field);
    });
  }
  if (o.format_version !== 1) {
    parseCalibration(o.calibration, (message, field) => {
      throw new ModelFormatError(message, field);
    });
  }
  str(o, 'version');
  str(o, 'created_at');
  str(o, 'feature_spec_version');
  str(o, 'checksum');
  const size = finite(o.feature_spec_size, 'feature_spec_size');
  if (!Array.isArray(o.feature_names) || o.feature_names.some((n) => typeof n !== 'string')) throw new ModelFormatError(`model field 'feature_names' must be an array of strings`, 'feature_names');
  const p = o.feature_names.length;
  if (p === 0) throw new ModelFormatError(`model field 'feature_names' is empty`, 'feature_names');
  const index = numbers(o.feature_index, 'feature_index', p);
  index.forEach((i, k) => {
    if (!Number.isInteger(i) || i < 0 || i >= size) throw new ModelFormatError(`model field 'feature_index[${k}]' is outside the feature spec (size ${size})`, `feature_index[${k}]`);
  });
  if (!isObj(o.standardization)) throw new ModelFormatError(`model field 'standardization' must be an object`, 'standardization');
  numbers(o.standardization.mean, 'standardization.mean', p);
  numbers(o.standardization.scale, 'standardization.scale', p).forEach((s, j) => {
    if (s <= 0) throw new ModelFormatError(`model field 'standardization.scale[${j}]' must be positive`, `standardization.scale[${j}]`);
  });
  numbers(o.coefficients, 'coefficients', p);
  finite(o.intercept, 'intercept');
  finite(o.alpha, 'alpha');
  if (!Array.isArray(o.prediction_quantiles)) throw new ModelFormatError(`model field 'prediction_quantiles' must be an array`, 'prediction_quantiles');
  o.prediction_quantiles.forEach((q, i) => finite(q, `prediction_quantiles[${i}]`));
  if (!isObj(o.cv) || !isObj(o.training)) throw new ModelFormatError(`model fields 'cv' and 'training' must be objects`, 'cv');
  const expected = modelChecksum(o as unknown as ScoringModelJson);
  if (o.checksum !== expected) throw new ModelFormatError('model checksum mismatch: the JSON was modified or corrupted', 'checksum');
  return o as unknown as ScoringModelJson;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    throw new ModelFormatError('model JSON is not valid JSON');
  }
}
