/**
 * Online benchmark (issue 2, benchmark 1): requests/s and p99 of
 * GET /v1/freelancers/{id}/score over random ids, against GET /healthz on the same server
 * in the same run (50 connections, loopback), alternating in rounds. Server in a child
 * process; autocannon here.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { writeResult } from './result.ts';

const N = 100_000;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
/** Each load runs DURATION seconds in total, alternating with the other in ROUNDS rounds. */
const ROUNDS = 5;
const ROUND_S = Math.max(1, Math.round(DURATION / ROUNDS));

function runLoad(url: string, opts: Record<string, unknown>): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 50, duration: DURATION, pipelining: 1, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

export async function main(): Promise<Record<string, unknown>> {
  const child = fork(path.join(import.meta.dirname, 'online-server.ts'), [String(N)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port: number = await new Promise((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: 'Bearer bench-scorer-token' };
  try {
    await runLoad(`${base}/healthz`, { duration: 2 }); // warm-up
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    // Both loads drive autocannon the same way (a per-request callback drawing a random id), so
    // the load generator's own cost, which shares the 2 cores, is the same in both. They
    // alternate in short rounds, so a change in background load hits both alike.
    const healthOpts = {
      headers, duration: ROUND_S,
      requests: [{ method: 'GET', setupRequest: (req: { path: string }) => ({ ...req, path: rand() >= 0 ? '/healthz' : `/x${Math.floor(rand() * N)}` }) }],
    };
    const scoreOpts = {
      headers, duration: ROUND_S,
      requests: [{ method: 'GET', setupRequest: (req: { path: string }) => ({ ...req, path: `/v1/freelancers/fl-${String(Math.floor(rand() * N)).padStart(7, '0')}/score` }) }],
    };
    const healthRounds: autocannon.Result[] = [];
    const scoreRounds: autocannon.Result[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      healthRounds.push(await runLoad(base, healthOpts));
      scoreRounds.push(await runLoad(base, scoreOpts));
    }
    const sum = (rs: autocannon.Result[]) => ({
      rps: rs.reduce((a, x) => a + x.requests.total, 0) / rs.reduce((a, x) => a + x.duration, 0),
      p99_ms: Math.max(...rs.map((x) => x.latency.p99)),
      p50_ms: [...rs.map((x) => x.latency.p50)].sort((a, b) => a - b)[rs.length >> 1],
      non2xx: rs.reduce((a, x) => a + x.non2xx, 0),
    });
    const health = sum(healthRounds);
    const score = sum(scoreRounds);
    const non2xx = score.non2xx;
    const result = {
      connections: 50,
      duration_s: DURATION,
      freelancers: N,
      rounds: ROUNDS,
      healthz: { rps: health.rps, p99_ms: health.p99_ms, p50_ms: health.p50_ms },
      score: { rps: score.rps, p99_ms: score.p99_ms, p50_ms: score.p50_ms, non2xx },
      ratio_rps: score.rps / health.rps,
      ratio_by_round: scoreRounds.map((x, i) => x.requests.total / x.duration / (healthRounds[i].requests.total / healthRounds[i].duration)),
      p99_note: 'worst round',
      targets: { ratio_rps: '>= 0.9', p99_ms: '<= 10' },
      pass: score.rps / health.rps >= 0.9 && score.p99_ms <= 10 && non2xx === 0,
    };
    console.log(`online: healthz ${result.healthz.rps.toFixed(0)} req/s p99 ${result.healthz.p99_ms} ms | score ${result.score.rps.toFixed(0)} req/s p99 ${result.score.p99_ms} ms | ratio ${result.ratio_rps.toFixed(3)} ${result.pass ? 'PASS' : 'FAIL'}`);
    writeResult('online', result);
    return result;
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv[1] === import.meta.filename) await main();
