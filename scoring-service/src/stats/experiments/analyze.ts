/**
 * One experiment's statistics from per-arm sufficient statistics: for every metric and
 * every variant against control (the first arm) the Welch comparison, Bayesian chance to
 * beat control and expected loss, optional CUPED, then Benjamini–Hochberg over all the
 * variant × metric p-values, the SRM check, and warnings. Pure: no I/O.
 */
import { bayesCompare, posterior } from './bayes.ts';
import { cuped, type CovariateMoments } from './cuped.ts';
import { compareMoments, welchCompare, type Interval } from './frequentist.ts';
import { benjaminiHochberg } from './multiple.ts';
import { srmCheck, type SrmResult } from './srm.ts';

export interface ArmInput {
  name: string;
  weight: number;
  units: number;
}

export interface MetricInput {
  name: string;
  /** One entry per arm, same order as the arms: Y = converted (0/1) per unit, X = pre-period count. */
  arms: CovariateMoments[];
}

export interface Warning {
  code: string;
  message_ja: string;
  message_en: string;
  arm?: string;
  metric?: string;
}

export interface VariantResult {
  arm: string;
  absolute: Interval;
  relative: Interval | null;
  p_value: number;
  p_adjusted: number;
  significant: boolean;
  chance_to_beat_control: number;
  expected_loss: number;
  cuped: { theta: number; variance_reduction: number; absolute: Interval; relative: Interval | null; p_value: number } | null;
}

export interface MetricResult {
  name: string;
  goal: boolean;
  arms: { arm: string; units: number; conversions: number; rate: number; pre_mean: number | null }[];
  variants: VariantResult[];
}

export interface ExperimentStats {
  level: number;
  arms: ArmInput[];
  srm: SrmResult;
  metrics: MetricResult[];
  warnings: Warning[];
}

export interface AnalyzeOptions {
  level?: number;
  /** Use the pre-period covariate (CUPED) for the headline p-value where it has variance. */
  cuped?: boolean;
  /** Below these an arm's normal approximation is flagged. */
  minUnits?: number;
  minConversions?: number;
}

export function analyzeExperiment(arms: ArmInput[], metrics: MetricInput[], o: AnalyzeOptions = {}): ExperimentStats {
  const level = o.level ?? 0.95;
  const alpha = 1 - level;
  const minUnits = o.minUnits ?? 100;
  const minConversions = o.minConversions ?? 10;
  const warnings: Warning[] = [];
  const srm = srmCheck(arms.map((a) => a.units), arms.map((a) => a.weight));
  if (srm.alarm)
    warnings.push({
      code: 'srm',
      message_ja: `サンプル比の不一致 (SRM): 割付比が設定と異なります (p=${srm.p_value.toExponential(2)})。割付の不具合を疑い、結果を信頼しないでください。`,
      message_en: `Sample ratio mismatch: observed split differs from the configured weights (p=${srm.p_value.toExponential(2)}); the results are not trustworthy.`,
    });
  for (const a of arms)
    if (a.units < minUnits)
      warnings.push({ code: 'small_sample', arm: a.name, message_ja: `${a.name}: ユニット数 ${a.units} は少なすぎます (${minUnits} 未満)。`, message_en: `${a.name}: only ${a.units} units (fewer than ${minUnits}).` });

  const out: MetricResult[] = metrics.map((m, mi) => {
    const cup = o.cuped ? cuped(m.arms) : null;
    const useCuped = cup !== null && m.arms.some((a) => a.sumXX - (a.sumX * a.sumX) / Math.max(1, a.n) > 0);
    const control = m.arms[0];
    const armRows = m.arms.map((a, i) => ({ arm: arms[i].name, units: a.n, conversions: a.sumY, rate: a.n ? a.sumY / a.n : NaN, pre_mean: o.cuped && a.n ? a.sumX / a.n : null }));
    for (const [i, a] of m.arms.entries())
      if (a.n >= minUnits && (a.sumY < minConversions || a.n - a.sumY < minConversions))
        warnings.push({
          code: 'few_conversions',
          arm: arms[i].name,
          metric: m.name,
          message_ja: `${arms[i].name} / ${m.name}: コンバージョン ${a.sumY} 件では正規近似が不安定です (${minConversions} 件未満)。`,
          message_en: `${arms[i].name} / ${m.name}: ${a.sumY} conversions is too few for the normal approximation (fewer than ${minConversions}).`,
        });
    const variants = m.arms.slice(1).map((a, k) => {
      const i = k + 1;
      const raw = compareMoments({ n: a.n, sum: a.sumY, sumSq: a.sumYY }, { n: control.n, sum: control.sumY, sumSq: control.sumYY }, level);
      const bayes = a.n > 0 && control.n > 0 ? bayesCompare(posterior(a.sumY, a.n), posterior(control.sumY, control.n)) : { chance_to_beat_control: NaN, expected_loss: NaN };
      let cupedOut: VariantResult['cuped'] = null;
      if (cup && useCuped) {
        const c = welchCompare(cup.arms[i], cup.arms[0], level);
        cupedOut = { theta: cup.theta, variance_reduction: cup.variance_reduction, absolute: c.absolute, relative: c.relative, p_value: c.p_value };
      }
      return {
        arm: arms[i].name,
        absolute: raw.absolute,
        relative: raw.relative,
        p_value: raw.p_value,
        p_adjusted: NaN,
        significant: false,
        chance_to_beat_control: bayes.chance_to_beat_control,
        expected_loss: bayes.expected_loss,
        cuped: cupedOut,
      };
    });
    return { name: m.name, goal: mi === 0, arms: armRows, variants };
  });

  const all = out.flatMap((m) => m.variants);
  const headline = all.map((v) => (v.cuped ? v.cuped.p_value : v.p_value));
  const adjusted = benjaminiHochberg(headline.map((p) => (Number.isFinite(p) ? p : 1)));
  all.forEach((v, i) => {
    v.p_adjusted = adjusted[i];
    v.significant = adjusted[i] < alpha;
  });
  return { level, arms, srm, metrics: out, warnings };
}
