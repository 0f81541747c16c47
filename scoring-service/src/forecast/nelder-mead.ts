/** Nelder–Mead simplex minimiser (standard coefficients 1, 2, ½, ½). Pure. */
export interface NelderMeadOptions {
  maxIterations?: number;
  /** Stops when the simplex's function values span less than this. */
  tolerance?: number;
  /** Initial step along each axis. */
  step?: number;
}

export function nelderMead(f: (x: number[]) => number, x0: number[], o: NelderMeadOptions = {}): { x: number[]; f: number; iterations: number } {
  const n = x0.length;
  const maxIt = o.maxIterations ?? 200 * n;
  const tol = o.tolerance ?? 1e-8;
  const step = o.step ?? 0.5;
  const safe = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.MAX_VALUE;
  };
  let simplex: { x: number[]; f: number }[] = [{ x: x0.slice(), f: safe(x0) }];
  for (let i = 0; i < n; i++) {
    const x = x0.slice();
    x[i] += step;
    simplex.push({ x, f: safe(x) });
  }
  let it = 0;
  for (; it < maxIt; it++) {
    simplex.sort((a, b) => a.f - b.f);
    if (Math.abs(simplex[n].f - simplex[0].f) <= tol * (Math.abs(simplex[0].f) + tol)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i].x[j] / n;
    const worst = simplex[n];
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j] - c));
    const xr = along(-1);
    const fr = safe(xr);
    if (fr < simplex[0].f) {
      const xe = along(-2);
      const fe = safe(xe);
      simplex[n] = fe < fr ? { x: xe, f: fe } : { x: xr, f: fr };
    } else if (fr < simplex[n - 1].f) {
      simplex[n] = { x: xr, f: fr };
    } else {
      const xc = fr < worst.f ? along(-0.5) : along(0.5);
      const fc = safe(xc);
      if (fc < Math.min(fr, worst.f)) simplex[n] = { x: xc, f: fc };
      else {
        const best = simplex[0].x;
        simplex = simplex.map((p, i) => {
          if (i === 0) return p;
          const x = p.x.map((v, j) => best[j] + 0.5 * (v - best[j]));
          return { x, f: safe(x) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return { x: simplex[0].x, f: simplex[0].f, iterations: it };
}
