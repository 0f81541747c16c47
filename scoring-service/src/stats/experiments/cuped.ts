/**
 * CUPED (Deng et al. 2013): subtract θ(X − X̄) from each unit's metric Y, where X is the
 * unit's pre-period value of the metric and θ = cov(X, Y) / var(X) over all units of the
 * experiment (pooled so every arm is adjusted alike). Each arm's adjusted mean and
 * variance follow from its moments: var(Y − θX) = var Y + θ² var X − 2θ cov(X, Y).
 */
export interface CovariateMoments {
  n: number;
  sumY: number;
  sumYY: number;
  sumX: number;
  sumXX: number;
  sumXY: number;
}

export interface AdjustedArm {
  mean: number;
  variance: number;
  n: number;
}

export interface CupedResult {
  theta: number;
  arms: AdjustedArm[];
  /** Share of the pooled variance removed, 1 − var(Y_adj)/var(Y). */
  variance_reduction: number;
}

function cov(n: number, sa: number, sb: number, sab: number): number {
  return n > 1 ? (sab - (sa * sb) / n) / (n - 1) : NaN;
}

export function cuped(arms: CovariateMoments[]): CupedResult {
  const pooled = arms.reduce(
    (acc, a) => ({ n: acc.n + a.n, sumY: acc.sumY + a.sumY, sumYY: acc.sumYY + a.sumYY, sumX: acc.sumX + a.sumX, sumXX: acc.sumXX + a.sumXX, sumXY: acc.sumXY + a.sumXY }),
    { n: 0, sumY: 0, sumYY: 0, sumX: 0, sumXX: 0, sumXY: 0 },
  );
  const varX = cov(pooled.n, pooled.sumX, pooled.sumX, pooled.sumXX);
  const theta = varX > 0 ? cov(pooled.n, pooled.sumX, pooled.sumY, pooled.sumXY) / varX : 0;
  const xBar = pooled.n > 0 ? pooled.sumX / pooled.n : 0;
  const adjusted = arms.map((a) => {
    const vy = cov(a.n, a.sumY, a.sumY, a.sumYY);
    const vx = cov(a.n, a.sumX, a.sumX, a.sumXX);
    const cxy = cov(a.n, a.sumX, a.sumY, a.sumXY);
    return {
      n: a.n,
      mean: a.sumY / a.n - theta * (a.sumX / a.n - xBar),
      variance: Math.max(0, vy + theta * theta * vx - 2 * theta * cxy),
    };
  });
  const vyPooled = cov(pooled.n, pooled.sumY, pooled.sumY, pooled.sumYY);
  const vAdj = vyPooled + theta * theta * varX - 2 * theta * cov(pooled.n, pooled.sumX, pooled.sumY, pooled.sumXY);
  return { theta, arms: adjusted, variance_reduction: vyPooled > 0 ? 1 - vAdj / vyPooled : 0 };
}
