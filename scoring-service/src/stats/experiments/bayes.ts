/**
 * Bayesian view of a conversion metric: Beta(1 + conversions, 1 + non-conversions)
 * posteriors (uniform prior), the chance that a variant beats control, P(p_t > p_c), and
 * the expected loss of shipping it, E[max(p_c − p_t, 0)] (GrowthBook's "risk"). Both by
 * deterministic numeric integration (composite Simpson over the variant's posterior):
 *   P(p_t > p_c) = ∫ f_t(x) F_c(x) dx
 *   E[(p_c − x)⁺] = μ_c (1 − I_x(a_c + 1, b_c)) − x (1 − I_x(a_c, b_c))
 * The second identity uses x·Beta(x; a, b) = μ·Beta(x; a + 1, b), so only one integral
 * is numeric.
 */
import { betaCdf, betaPdf } from './dist.ts';

export interface BetaPosterior {
  a: number;
  b: number;
}

export interface BayesComparison {
  chance_to_beat_control: number;
  /** Expected absolute loss (in rate units) if the variant is shipped and it is worse. */
  expected_loss: number;
  /** Expected absolute loss if control is kept and the variant is better. */
  expected_loss_control: number;
}

export function posterior(conversions: number, units: number): BetaPosterior {
  return { a: 1 + conversions, b: 1 + Math.max(0, units - conversions) };
}

const meanOf = (p: BetaPosterior) => p.a / (p.a + p.b);
const sdOf = (p: BetaPosterior) => Math.sqrt((p.a * p.b) / ((p.a + p.b) ** 2 * (p.a + p.b + 1)));

export function bayesCompare(t: BetaPosterior, c: BetaPosterior, intervals = 4000): BayesComparison {
  const mt = meanOf(t);
  const st = sdOf(t);
  const lo = Math.max(0, mt - 12 * st);
  const hi = Math.min(1, mt + 12 * st);
  const n = intervals % 2 === 0 ? intervals : intervals + 1;
  const h = (hi - lo) / n;
  const mc = meanOf(c);
  let win = 0;
  let loss = 0;
  let mass = 0;
  for (let i = 0; i <= n; i++) {
    const x = lo + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    const f = betaPdf(x, t.a, t.b);
    if (!(f > 0) || !Number.isFinite(f)) continue;
    const fc = betaCdf(x, c.a, c.b);
    const upper = 1 - betaCdf(x, c.a + 1, c.b);
    win += w * f * fc;
    loss += w * f * Math.max(0, mc * upper - x * (1 - fc));
    mass += w * f;
  }
  // Normalising by the integrated mass removes the truncation and quadrature error of f_t.
  const chance = Math.min(1, Math.max(0, win / mass));
  const lossT = Math.max(0, loss / mass);
  return { chance_to_beat_control: chance, expected_loss: lossT, expected_loss_control: Math.max(0, lossT + mt - mc) };
}
