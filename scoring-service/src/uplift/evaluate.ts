/**
 * Held-out evaluation of an uplift ranking (Radcliffe 2007, "Using control groups to
 * target on predicted lift"). Units are sorted by predicted uplift, best first; after the
 * top k the Qini value is the incremental conversions
 *   Q(k) = Y_t(k) − Y_c(k) · N_t(k) / N_c(k)
 * (cumulative treated / control conversions and units). The random ranking is the straight
 * line to Q(N). AUUC is the area under the Qini curve per unit of population, and the Qini
 * coefficient the area between the curve and the random line. uplift@q is the observed
 * treated − control rate in the top q share.
 */
export interface QiniPoint {
  fraction: number;
  qini: number;
  random: number;
}

export interface UpliftEvaluation {
  units: number;
  qini: QiniPoint[];
  auuc: number;
  qini_coefficient: number;
  /** Observed uplift (rate difference) in the top 30 % and in everyone. */
  uplift_at_30: number | null;
  overall_uplift: number | null;
  lift_ratio_at_30: number | null;
}

function rateDiff(treated: number[], y: number[], idx: number[]): number | null {
  let nt = 0;
  let yt = 0;
  let nc = 0;
  let yc = 0;
  for (const i of idx) {
    if (treated[i] === 1) {
      nt++;
      yt += y[i];
    } else {
      nc++;
      yc += y[i];
    }
  }
  return nt && nc ? yt / nt - yc / nc : null;
}

export function upliftAt(score: number[], treated: number[], y: number[], fraction: number): number | null {
  const order = score.map((_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  return rateDiff(treated, y, order.slice(0, Math.max(1, Math.round(fraction * order.length))));
}

export function evaluateUplift(score: number[], treated: number[], y: number[], points = 50): UpliftEvaluation {
  const n = score.length;
  const order = score.map((_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  const q = new Array<number>(n + 1).fill(0);
  let nt = 0;
  let nc = 0;
  let yt = 0;
  let yc = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (treated[i] === 1) {
      nt++;
      yt += y[i];
    } else {
      nc++;
      yc += y[i];
    }
    q[k + 1] = nc > 0 ? yt - (yc * nt) / nc : yt;
  }
  const total = q[n];
  let area = 0;
  for (let k = 1; k <= n; k++) area += (q[k - 1] + q[k]) / 2;
  const auuc = n ? area / n / n : 0;
  const randomArea = total / 2;
  const curve: QiniPoint[] = [];
  for (let s = 0; s <= points; s++) {
    const k = Math.round((s / points) * n);
    curve.push({ fraction: n ? k / n : 0, qini: q[k], random: n ? (total * k) / n : 0 });
  }
  const at30 = upliftAt(score, treated, y, 0.3);
  const overall = rateDiff(treated, y, order);
  return {
    units: n,
    qini: curve,
    auuc,
    qini_coefficient: n ? (area / n - randomArea) / n : 0,
    uplift_at_30: at30,
    overall_uplift: overall,
    lift_ratio_at_30: at30 !== null && overall ? at30 / overall : null,
  };
}

/** Area under the ROC curve (Mann–Whitney U with ties averaged): the conversion model's check. */
export function auc(score: number[], y: number[]): number | null {
  const idx = score.map((_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0;
  let rankSum = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && score[idx[j + 1]] === score[idx[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[idx[k]] === 1) {
      pos++;
      rankSum += rank;
    }
    i = j + 1;
  }
  const neg = idx.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : null;
}
