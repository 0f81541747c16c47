/**
 * A small bootstrap ensemble of the scoring model: the same model refit on bootstrap
 * resamples of the current training data. The spread of its members' predictions is the
 * queue's uncertainty. The penalties (alpha and the interaction scale, or the per-block column
 * scales) are chosen once by the model on all rows, then held fixed for the members, so an
 * ensemble costs one full fit and `size` plain ridge fits.
 */
import { mulberry32 } from '../demo/rng.ts';
import { ridgePosteriorFactor, type CovarianceFactor } from './variance-reduction.ts';

/** What the ensemble needs from the model code (model/scoring-model.ts in production). */
export interface ModelKit {
  /**
   * Fits on rows; `alpha` undefined means "choose it (and any other penalty setting, such
   * as the interaction-column scale) by cross-validation"; given, those are held fixed.
   */
  fit(X: Float64Array[], y: number[], o: { alpha?: number; interactionScale?: number; columnScales?: readonly number[]; seed: number }): KitModel;
}

export interface KitModel {
  alpha: number;
  interactionScale?: number;
  /** Per-column penalty scales (penalty α / s²) when the model set them per block; held fixed with alpha. */
  columnScales?: readonly number[];
  predict(x: Float64Array): number;
  /** The row as the model's penalised design sees it (standardised, penalty scales applied), for the ridge posterior. */
  design?(x: Float64Array): Float64Array;
  /** The model's cross-validated squared error: σ² of the posterior. */
  residualVar?: number;
}

export interface Ensemble {
  members: { predict(x: Float64Array): number }[];
  alpha: number;
  interactionScale?: number;
  columnScales?: readonly number[];
  rows: number;
  /** Mean squared out-of-bag error of the members: the label noise (plus model error) scale. */
  noiseVar: number;
}

export interface EnsembleOptions {
  size?: number;
  seed?: number;
  /** Fixed alpha (and interaction scale or column scales); otherwise chosen once on all rows. */
  alpha?: number;
  interactionScale?: number;
  columnScales?: readonly number[];
}

/** Fewer labelled rows than this: no ensemble (the queue falls back to coverage). */
export const MIN_ROWS = 8;

export function fitEnsemble(X: Float64Array[], y: number[], kit: ModelKit, options: EnsembleOptions = {}): Ensemble | null {
  const n = X.length;
  if (n < MIN_ROWS) return null;
  const size = options.size ?? 8;
  const seed = options.seed ?? 1;
  const tuned = options.alpha === undefined ? kit.fit(X, y, { seed }) : { alpha: options.alpha, interactionScale: options.interactionScale, columnScales: options.columnScales };
  const { alpha, interactionScale, columnScales } = tuned;
  const rng = mulberry32(seed);
  const members: Ensemble['members'] = [];
  let oobSq = 0;
  let oobN = 0;
  for (let m = 0; m < size; m++) {
    const bx: Float64Array[] = new Array(n);
    const by: number[] = new Array(n);
    const inBag = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rng() * n);
      inBag[j] = 1;
      bx[i] = X[j];
      by[i] = y[j];
    }
    const member = kit.fit(bx, by, { alpha, interactionScale, columnScales, seed: seed + m + 1 });
    members.push(member);
    for (let i = 0; i < n; i++) if (!inBag[i]) {
      oobSq += (member.predict(X[i]) - y[i]) ** 2;
      oobN++;
    }
  }
  return { members, alpha, interactionScale, columnScales, rows: n, noiseVar: oobN ? oobSq / oobN : 1 };
}

/** Member predictions, members × candidates. */
export function ensemblePredictions(e: Ensemble, X: readonly Float64Array[]): Float64Array[] {
  return e.members.map((m) => Float64Array.from(X, (x) => m.predict(x)));
}

/** The ridge model's exact posterior over a pool: one cross-validated fit, no resampling. */
export interface Posterior {
  noiseVar: number;
  factor(X: readonly Float64Array[]): CovarianceFactor;
}

/**
 * Null below MIN_ROWS or when the kit's model does not expose its design (then use an ensemble).
 * `fitted` is the model's own cross-validated fit on these rows, when the caller has it.
 */
export function fitPosterior(X: Float64Array[], y: number[], kit: ModelKit, seed = 1, fitted?: KitModel): Posterior | null {
  if (X.length < MIN_ROWS) return null;
  const m = fitted ?? kit.fit(X, y, { seed });
  const design = m.design;
  if (!design) return null;
  const Zt = X.map((x) => design(x));
  return { noiseVar: m.residualVar ?? 1, factor: (P) => ridgePosteriorFactor(Zt, m.alpha, P.map((x) => design(x))) };
}

/**
 * What the queue's acquisition strategy needs, from one cross-validated fit: the ridge
 * posterior ('posterior', 'hybrid'), the bootstrap ensemble with the same penalties (every
 * other strategy, and 'posterior' when the kit exposes no design), or both ('hybrid').
 */
export function fitUncertainty(
  X: Float64Array[], y: number[], kit: ModelKit, o: { strategy: string; size: number; seed: number },
): { ensemble: Ensemble | null; posterior: Posterior | null; noiseVar: number } {
  if (X.length < MIN_ROWS) return { ensemble: null, posterior: null, noiseVar: 1 };
  const m = kit.fit(X, y, { seed: o.seed });
  const posterior = o.strategy === 'posterior' || o.strategy === 'hybrid' ? fitPosterior(X, y, kit, o.seed, m) : null;
  const ensemble = o.strategy === 'posterior' && posterior ? null : fitEnsemble(X, y, kit, { size: o.size, seed: o.seed, alpha: m.alpha, interactionScale: m.interactionScale, columnScales: m.columnScales });
  return { ensemble, posterior, noiseVar: posterior?.noiseVar ?? ensemble?.noiseVar ?? 1 };
}
