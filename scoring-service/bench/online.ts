/**
 * Online benchmark (issue 2, benchmark 1): requests/s and p99 of
 * GET /v1/freelancers/{id}/score over random ids, against GET /healthz on the same server
 * in the same run (50 connections, loopback). Server in a child process; autocannon here.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { writeResult } from './result.ts';

const N = 100_000;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

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
    // Both runs drive autocannon the same way (a per-request callback drawing a random id), so
    // the load generator's own cost, which shares the 2 cores, is the same in both.
    const health = await runLoad(base, {
      headers,
      requests: [{ method: 'GET', setupRequest: (req: { path: string }) => ({ ...req, path: rand() >= 0 ? '/healthz' : `/x${Math.floor(rand() * N)}` }) }],
    });
    const score = await runLoad(base, {
      headers,
      requests: [{ method: 'GET', setupRequest: (req: { path: string }) => ({ ...req, path: `/v1/freelancers/fl-${String(Math.floor(rand() * N)).padStart(7, '0')}/score` }) }],
    });
    const non2xx = score.non2xx;
    const result = {
      connections: 50,
      duration_s: DURATION,
      freelancers: N,
      healthz: { rps: health.requests.average, p99_ms: health.latency.p99, p50_ms: health.latency.p50 },
      score: { rps: score.requests.average, p99_ms: score.latency.p99, p50_ms: score.latency.p50, non2xx },
      ratio_rps: score.requests.average / health.requests.average,
      targets: { ratio_rps: '>= 0.9', p99_ms: '<= 10' },
      pass: score.requests.average / health.requests.average >= 0.9 && score.latency.p99 <= 10 && non2xx === 0,
    };
    console.log(`online: healthz ${result.healthz.rps.toFixed(0)} req/s p99 ${result.healthz.p99_ms} ms | score ${result.score.rps.toFixed(0)} req/s p99 ${result.score.p99_ms} ms | ratio ${result.ratio_rps.toFixed(3)} ${result.pass ? 'PASS' : 'FAIL'}`);
    writeResult('online', result);
    return result;
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv[1] === import.meta.filename) await main();
