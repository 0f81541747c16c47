/**
 * Benjamini–Hochberg step-up adjustment (false discovery rate) across every arm × metric
 * comparison of an experiment. Matches statsmodels' multipletests(method='fdr_bh').
 */
export function benjaminiHochberg(pValues: number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    running = Math.min(running, (order[k].p * m) / (k + 1));
    adjusted[order[k].i] = Math.min(1, running);
  }
  return adjusted;
}
