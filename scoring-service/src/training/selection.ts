/**
 * Feature selection [特徴量選択], every decision recorded with its reason: constant and
 * almost-never-set features are dropped (they cannot be estimated), and of two nearly
 * collinear features only the first is kept (ridge would split the weight arbitrarily,
 * which makes reasons unreadable).
 */
import { pearson, sd } from '../stats/metrics.ts';

export interface SelectionDecision {
  name: string;
  kept: boolean;
  reason_ja: string;
  reason_en: string;
  /** Pearson correlation with the target (NaN when constant). */
  r_target: number;
}

export function selectFeatures(names: string[], X: Float64Array[], y: number[], o: { maxAbsCorr?: number; minNonZero?: number } = {}): SelectionDecision[] {
  const maxAbsCorr = o.maxAbsCorr ?? 0.98;
  const minNonZero = o.minNonZero ?? 5;
  const cols = names.map((_, j) => Float64Array.from(X, (row) => row[j]));
  const kept: number[] = [];
  return names.map((name, j) => {
    const col = cols[j];
    const r = pearson(col, y);
    const rTxt = Number.isFinite(r) ? r.toFixed(3) : 'n/a';
    if (sd(col) < 1e-12) return { name, kept: false, reason_ja: '全行で同じ値（定数）', reason_en: 'constant in every row', r_target: r };
    let nonZero = 0;
    for (const v of col) if (v !== 0) nonZero++;
    if (nonZero < minNonZero) return { name, kept: false, reason_ja: `0以外の行が${nonZero}行のみ`, reason_en: `non-zero in only ${nonZero} rows`, r_target: r };
    for (const k of kept) {
      const c = pearson(col, cols[k]);
      if (Math.abs(c) > maxAbsCorr) {
        return { name, kept: false, reason_ja: `${names[k]} とほぼ同一 (r=${c.toFixed(3)})`, reason_en: `nearly collinear with ${names[k]} (r=${c.toFixed(3)})`, r_target: r };
      }
    }
    kept.push(j);
    return { name, kept: true, reason_ja: `変動あり・重複なし（目的変数との相関 r=${rTxt}）`, reason_en: `varies, not redundant (r with target ${rTxt})`, r_target: r };
  });
}
