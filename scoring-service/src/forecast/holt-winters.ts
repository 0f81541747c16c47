/**
 * Additive damped Holt-Winters (ETS(A,Ad,A)): level, damped trend and an additive season
 * of period m. Pure: no I/O, runs in Node and in the Apps Script bundle (ES2020).
 *
 * Recursions are the component form used by statsmodels' ExponentialSmoothing
 * (trend='add', damped_trend=True, seasonal='add'), so a fit with known parameters
 * reproduces its fitted values exactly (test/forecast-holt-winters.test.ts):
 *   l_t = α(y_t − s_{t−m}) + (1−α)(l_{t−1} + φ b_{t−1})
 *   b_t = β(l_t − l_{t−1}) + (1−β) φ b_{t−1}
 *   s_t = γ(y_t − l_{t−1} − φ b_{t−1}) + (1−γ) s_{t−m}
 * Parameters are chosen by minimising the one-step SSE (the Gaussian likelihood's core
 * for fixed σ) with Nelder–Mead over a bounded transform.
 */
import { nelderMead } from './nelder-mead.ts';

export interface HwParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

export interface HwState {
  level: number;
  trend: number;
  /** The last m seasonal terms, oldest first: season[i] applies to step t+1+i (mod m). */
  season: number[];
}

export interface HwModel {
  type: 'workship.holt-winters';
  period: number;
  params: HwParams;
  /** States at the end of the data. */
  state: HwState;
  /** One-step-ahead fitted values for every observation. */
  fitted: number[];
  sse: number;
  /** Residual variance σ² = SSE / (n − k). */
  sigma2: number;
  n: number;
}

export interface Interval {
  mean: number[];
  lower: number[];
  upper: number[];
  /** Central coverage of [lower, upper], e.g. 0.8. */
  level: number;
}

/**
 * Heuristic initial states from the first (up to) 10 cycles, as statsmodels' "heuristic"
 * initialisation does: a centred moving average of one cycle is the trend-cycle; the
 * season is each position's mean deviation from it (centred to sum 0); level and trend
 * come from a least-squares line through the moving average, taken one step before t = 0.
 */
export function initialState(y: number[], m: number): HwState {
  const cycles = Math.min(10, Math.floor(y.length / m));
  if (cycles < 2) throw new RangeError(`Holt-Winters needs at least ${2 * m} observations, got ${y.length}`);
  const n = cycles * m;
  const half = Math.floor(m / 2);
  const ma: (number | null)[] = new Array(n).fill(null);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (m % 2 === 1) for (let j = -half; j <= half; j++) s += y[t + j];
    else {
      // Even period: 2×m moving average (half weights at both ends).
      if (t + half >= n) continue;
      for (let j = -half; j <= half; j++) s += (j === -half || j === half ? 0.5 : 1) * y[t + j];
    }
    ma[t] = s / m;
  }
  const season = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  let sx = 0, sy = 0, sxx = 0, sxy = 0, k = 0;
  for (let t = 0; t < n; t++) {
    const v = ma[t];
    if (v === null) continue;
    season[t % m] += y[t] - v;
    counts[t % m]++;
    sx += t; sy += v; sxx += t * t; sxy += t * v; k++;
  }
  for (let i = 0; i < m; i++) season[i] /= counts[i];
  const sMean = mean(season);
  for (let i = 0; i < m; i++) season[i] -= sMean;
  const trend = (k * sxy - sx * sy) / (k * sxx - sx * sx);
  const intercept = (sy - trend * sx) / k;
  // l_0, b_0 sit one step before the first observation.
  return { level: intercept - trend, trend, season };
}

/** Runs the recursions; returns fitted one-step values, SSE and the final states. */
export function filter(y: number[], m: number, p: HwParams, init: HwState): { fitted: number[]; sse: number; state: HwState } {
  let l = init.level;
  let b = init.trend;
  const s = init.season.slice();
  const fitted = new Array<number>(y.length);
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const sPrev = s[t % m];
    const yhat = l + p.phi * b + sPrev;
    fitted[t] = yhat;
    const e = y[t] - yhat;
    sse += e * e;
    const lNew = p.alpha * (y[t] - sPrev) + (1 - p.alpha) * (l + p.phi * b);
    const bNew = p.beta * (lNew - l) + (1 - p.beta) * p.phi * b;
    s[t % m] = p.gamma * (y[t] - l - p.phi * b) + (1 - p.gamma) * sPrev;
    l = lNew;
    b = bNew;
  }
  // Rotate so season[0] is the term for the next step.
  const k = y.length % m;
  return { fitted, sse, state: { level: l, trend: b, season: s.slice(k).concat(s.slice(0, k)) } };
}

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));
const PHI_MIN = 0.8;
const PHI_MAX = 0.98;

/** Unconstrained vector → admissible parameters (α, β ∈ (0,1), γ ∈ (0, 1−α), φ ∈ [0.8, 0.98]). */
function toParams(v: number[], alphaMax = 0.9999): HwParams {
  const alpha = 0.0001 + (alphaMax - 0.0001) * sig(v[0]);
  return { alpha, beta: 0.9999 * sig(v[1]), gamma: (1 - alpha) * 0.9999 * sig(v[2]), phi: PHI_MIN + (PHI_MAX - PHI_MIN) * sig(v[3]) };
}

export interface FitOptions {
  period?: number;
  /** Fixed parameters (no optimisation), e.g. to compare with a reference implementation. */
  params?: HwParams;
  init?: HwState;
  /** Upper bound of α (default 0.9999). */
  alphaMax?: number;
}

export function fitHoltWinters(y: number[], o: FitOptions = {}): HwModel {
  const m = o.period ?? 7;
  if (y.some((v) => !Number.isFinite(v))) throw new TypeError('Holt-Winters needs finite observations');
  const init = o.init ?? initialState(y, m);
  let params = o.params;
  if (!params) {
    const objective = (v: number[]) => filter(y, m, toParams(v, o.alphaMax), init).sse;
    let best: { x: number[]; f: number } | null = null;
    // A few starts: smooth, reactive, strongly seasonal.
    for (const start of [
      [logit(0.2), logit(0.05), logit(0.1), 0],
      [logit(0.6), logit(0.1), logit(0.3), 1],
      [logit(0.05), logit(0.01), logit(0.05), -1],
    ]) {
      const r = nelderMead(objective, start, { maxIterations: 400, tolerance: 1e-10 });
      if (!best || r.f < best.f) best = r;
    }
    params = toParams(best!.x, o.alphaMax);
  }
  const run = filter(y, m, params, init);
  const k = o.params ? 0 : 4;
  const sigma2 = run.sse / Math.max(1, y.length - k);
  return { type: 'workship.holt-winters', period: m, params, state: run.state, fitted: run.fitted, sse: run.sse, sigma2, n: y.length };
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be in (0, 1)');
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * Point forecasts and prediction intervals h = 1..H. Variance of ETS(A,Ad,A) in
 * error-correction form (Hyndman et al. 2008, class 1): σ²_h = σ²(1 + Σ_{j<h} c_j²),
 * c_j = α + αβ·(φ + … + φ^j) + γ·[j mod m = 0].
 */
export function forecastHoltWinters(model: HwModel, horizon: number, level = 0.8): Interval {
  const { alpha, beta, gamma, phi } = model.params;
  const m = model.period;
  const z = normalQuantile(0.5 + level / 2);
  const out: Interval = { mean: [], lower: [], upper: [], level };
  let phiSum = 0; // φ + … + φ^h
  let varSum = 0; // Σ_{j<h} c_j²
  let phiJ = 0; // φ_j for the variance term
  for (let h = 1; h <= horizon; h++) {
    phiSum += Math.pow(phi, h);
    const mean = model.state.level + phiSum * model.state.trend + model.state.season[(h - 1) % m];
    if (h > 1) {
      const j = h - 1;
      phiJ += Math.pow(phi, j);
      const cj = alpha + alpha * beta * phiJ + (j % m === 0 ? gamma : 0);
      varSum += cj * cj;
    }
    const sd = Math.sqrt(model.sigma2 * (1 + varSum));
    out.mean.push(mean);
    out.lower.push(mean - z * sd);
    out.upper.push(mean + z * sd);
  }
  return out;
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
