/**
 * A small bootstrap ensemble of the scoring model: the same model refit on bootstrap
 * resamples of the current training data. The spread of its members' predictions is the
 * queue's uncertainty. Alpha is chosen once by the model's own cross-validation on all
 * rows, then held fixed for the members, so an ensemble costs `size` plain ridge fits.
 */
import { mulberry32 } from '../demo/rng.ts';

/** What the ensemble needs from the model code (model/scoring-model.ts in production). */
export interface ModelKit {
  /** Fits on rows; `alpha` undefined means "choose it by cross-validation". */
  fit(X: Float64Array[], y: number[], o: { alpha?: number; seed: number }): { alpha: number; predict(x: Float64Array): number };
}

export interface Ensemble {
  members: { predict(x: Float64Array): number }[];
  alpha: number;
  rows: number;
  /** Mean squared out-of-bag error of the members: the label noise (plus model error) scale. */
  noiseVar: number;
}

export interface EnsembleOptions {
  size?: number;
  seed?: number;
  /** Fixed alpha; otherwise cross-validated once on all rows. */
  alpha?: number;
}

/** Fewer labelled rows than this: no ensemble (the queue falls back to coverage). */
export const MIN_ROWS = 8;

export function fitEnsemble(X: Float64Array[], y: number[], kit: ModelKit, options: EnsembleOptions = {}): Ensemble | null {
  const n = X.length;
  if (n < MIN_ROWS) return null;
  const size = options.size ?? 8;
  const seed = options.seed ?? 1;
  const alpha = options.alpha ?? kit.fit(X, y, { seed }).alpha;
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
    const member = kit.fit(bx, by, { alpha, seed: seed + m + 1 });
    members.push(member);
    for (let i = 0; i < n; i++) if (!inBag[i]) {
      oobSq += (member.predict(X[i]) - y[i]) ** 2;
      oobN++;
    }
  }
  return { members, alpha, rows: n, noiseVar: oobN ? oobSq / oobN : 1 };
}

/** Member predictions, members × candidates. */
export function ensemblePredictions(e: Ensemble, X: readonly Float64Array[]): Float64Array[] {
  return e.members.map((m) => Float64Array.from(X, (x) => m.predict(x)));
}
