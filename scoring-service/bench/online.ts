/**
 * Online benchmark (issue 2, benchmark 1): requests/s and p99 of
 * GET /v1/freelancers/{id}/score over random ids, against GET /healthz on the same server
 * in the same run (50 connections, loopback), alternating in ten 2-second rounds (ABBA
 * order) so a change in background load, or anything one load leaves behind for the next,
 * hits both alike. Server in a child process (bench/online-server.ts).
 *
 * Two load generators, each measured the same way:
 * - wrk (Debian `wrk`, C, one thread; bench/online-wrk.lua) — the verdict. On 2 cores the
 *   load generator shares the machine with the server, and wrk's own cost per request is a
 *   fraction of the server's, so the ratio measures the server.
 * - autocannon (npm) — reported beside it. It is JavaScript and spends about as much CPU per
 *   request as the server does, more on the longer score responses, so its ratio mixes the
 *   client's cost into the server's. When wrk is missing, autocannon gives the verdict and
 *   the result says so.
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { writeResult } from './result.ts';

const N = 100_000;
const DURATION = Number(process.env.BENCH_SECONDS ?? 20);
/** Each load runs DURATION seconds in total, alternating with the other in ROUNDS rounds. */
const ROUNDS = 10;
const ROUND_S = Math.max(1, Math.round(DURATION / ROUNDS));
const CONNECTIONS = 50;
const TOKEN = 'bench-scorer-token';

type Arm = 'health' | 'score';
interface Round {
  requests: number;
  seconds: number;
  p99_ms: number;
  p50_ms: number;
  /** Latency distribution points [percentile 0–100, ms], min and max included. */
  pct: [number, number][];
  non2xx: number;
  errors: number;
}

/**
 * The q-th percentile of all requests of several rounds together: the rounds' distributions,
 * each piecewise linear between its reported percentiles, mixed by request count, and
 * inverted by bisection.
 */
export function pooledPercentile(rounds: readonly Pick<Round, 'requests' | 'pct'>[], q: number): number {
  const total = rounds.reduce((a, r) => a + r.requests, 0);
  const cdf = (pct: [number, number][], x: number) => {
    if (x < pct[0][1]) return 0;
    for (let k = 1; k < pct.length; k++) {
      const [p0, v0] = pct[k - 1];
      const [p1, v1] = pct[k];
      if (x < v1) return (p0 + (v1 > v0 ? ((x - v0) / (v1 - v0)) * (p1 - p0) : 0)) / 100;
    }
    return 1;
  };
  const below = (x: number) => rounds.reduce((a, r) => a + r.requests * cdf(r.pct, x), 0) / total;
  let lo = Math.min(...rounds.map((r) => r.pct[0][1]));
  let hi = Math.max(...rounds.map((r) => r.pct[r.pct.length - 1][1]));
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (below(mid) < q / 100) lo = mid;
    else hi = mid;
  }
  return hi;
}
type Load = (base: string, arm: Arm, seconds: number) => Promise<Round>;

const hasWrk = () => spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;

const wrkLoad: Load = (base, arm, seconds) =>
  new Promise((resolve, reject) => {
    const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', path.join(import.meta.dirname, 'online-wrk.lua'), base, '--', arm, String(N)];
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`wrk exited ${code}: ${out}`));
      const r = JSON.parse(line) as { requests: number; duration_us: number; p99_us: number; p50_us: number; non2xx: number; socket_errors: number; pct_us: [number, number][] };
      const pct = r.pct_us.map(([p, us]) => [p, us / 1000] as [number, number]);
      resolve({ requests: r.requests, seconds: r.duration_us / 1e6, p99_ms: r.p99_us / 1000, p50_ms: r.p50_us / 1000, pct, non2xx: r.non2xx, errors: r.socket_errors });
    });
  });

let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

const autocannonLoad: Load = (base, arm, seconds) =>
  new Promise((resolve, reject) => {
    // Both arms draw a random id per request through the same callback, so the client's own
    // work differs only by the path.
    const setupRequest = (req: autocannon.Request) => {
      const id = String(Math.floor(rand() * N)).padStart(7, '0');
      return { ...req, path: arm === 'score' ? `/v1/freelancers/fl-${id}/score` : '/healthz' };
    };
    autocannon(
      { url: base, connections: CONNECTIONS, duration: seconds, pipelining: 1, headers: { authorization: `Bearer ${TOKEN}` }, requests: [{ method: 'GET', setupRequest }] },
      (err, r) => {
        if (err) return reject(err);
        const l = r.latency;
        const pct: [number, number][] = [[0, l.min], [10, l.p10], [25, l.p25], [50, l.p50], [75, l.p75], [90, l.p90], [97.5, l.p97_5], [99, l.p99], [99.9, l.p99_9], [99.99, l.p99_99], [100, l.max]];
        resolve({ requests: r.requests.total, seconds: r.duration, p99_ms: l.p99, p50_ms: l.p50, pct, non2xx: r.non2xx, errors: r.errors });
      },
    );
  });

/**
 * Warm-up before the measured rounds, ABBA, WARMUP_S seconds per arm: the first seconds of
 * load on a fresh process run at ~1.5× the steady CPU per request, with p99 over 100 ms
 * (JIT tiers, inline caches, first page touches). Its figures are reported as `warmup`.
 */
const WARMUP_S = 6;

async function compare(load: Load, base: string) {
  const warm: Record<Arm, Round[]> = { health: [], score: [] };
  for (const arm of ['health', 'score', 'score', 'health'] as Arm[]) warm[arm].push(await load(base, arm, WARMUP_S / 2));
  const rounds: Record<Arm, Round[]> = { health: [], score: [] };
  // ABBA order: odd rounds run the score load first, so neither load always follows the other.
  for (let r = 0; r < ROUNDS; r++) {
    const order: Arm[] = r % 2 ? ['score', 'health'] : ['health', 'score'];
    for (const arm of order) rounds[arm].push(await load(base, arm, ROUND_S));
  }
  const sum = (rs: Round[]) => ({
    rps: rs.reduce((a, x) => a + x.requests, 0) / rs.reduce((a, x) => a + x.seconds, 0),
    p99_ms: Number(pooledPercentile(rs, 99).toFixed(3)),
    p99_worst_round_ms: Math.max(...rs.map((x) => x.p99_ms)),
    p50_ms: [...rs.map((x) => x.p50_ms)].sort((a, b) => a - b)[rs.length >> 1],
    non2xx: rs.reduce((a, x) => a + x.non2xx, 0),
    socket_errors: rs.reduce((a, x) => a + x.errors, 0),
  });
  const health = sum(rounds.health);
  const score = sum(rounds.score);
  return {
    healthz: health,
    score,
    warmup: { healthz: sum(warm.health), score: sum(warm.score) },
    ratio_rps: score.rps / health.rps,
    ratio_by_round: rounds.score.map((x, i) => x.requests / x.seconds / (rounds.health[i].requests / rounds.health[i].seconds)),
    p99_ms_by_round: { healthz: rounds.health.map((x) => x.p99_ms), score: rounds.score.map((x) => x.p99_ms) },
  };
}

export async function main(): Promise<Record<string, unknown>> {
  const child = fork(path.join(import.meta.dirname, 'online-server.ts'), [String(N)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port: number = await new Promise((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const base = `http://127.0.0.1:${port}`;
  try {
    const wrk = hasWrk() ? await compare(wrkLoad, base) : null;
    const ac = await compare(autocannonLoad, base);
    const verdict = wrk ?? ac;
    const pass = verdict.ratio_rps >= 0.9 && verdict.score.p99_ms <= 10 && verdict.score.non2xx === 0 && verdict.score.socket_errors === 0;
    const result = {
      connections: CONNECTIONS,
      duration_s: DURATION,
      freelancers: N,
      rounds: ROUNDS,
      verdict_by: wrk ? 'wrk' : 'autocannon (wrk not installed: apt-get install wrk)',
      wrk,
      autocannon: ac,
      p99_note: `p99 of all measured requests of the arm (its rounds' percentile curves pooled by request count); p99_ms_by_round and p99_worst_round_ms beside it; warmup = the ${WARMUP_S} s per arm before them, on a process just started (reported, not judged)`,
      targets: { ratio_rps: '>= 0.9', p99_ms: '<= 10' },
      pass,
    };
    const line = (name: string, r: typeof ac) =>
      `online (${name}): healthz ${r.healthz.rps.toFixed(0)} req/s p99 ${r.healthz.p99_ms} ms | score ${r.score.rps.toFixed(0)} req/s p99 ${r.score.p99_ms} ms (worst round ${r.score.p99_worst_round_ms}) | ratio ${r.ratio_rps.toFixed(3)}` +
      ` (warm-up: score p99 ${r.warmup.score.p99_ms} ms)`;
    if (wrk) console.log(line('wrk', wrk));
    console.log(line('autocannon', ac));
    console.log(`online verdict by ${result.verdict_by}: ${pass ? 'PASS' : 'FAIL'}`);
    writeResult('online', result);
    return result;
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv[1] === import.meta.filename) await main();
