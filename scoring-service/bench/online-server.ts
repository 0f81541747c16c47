/**
 * Child process for the online benchmark: the real app (auth, logging, routing, JSON) over
 * an in-memory score table of N freelancers in the shape the materialiser produces.
 */
import { loadConfig } from '../src/config.ts';
import { buildContext, listen } from '../src/server.ts';
import { createAuthenticator } from '../src/http/auth.ts';
import { prewarm } from '../src/http/score-cache.ts';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { Logger } from '../src/log.ts';
import { buildScoreTable, LiveHolder } from '../src/scores/live.ts';
import type { FreelancerScore } from '../src/domain/types.ts';

const n = Number(process.argv[2] ?? 100_000);
const rows: FreelancerScore[] = [];
// Values with the precision and reasons the materialiser writes (full-precision scores and
// percentiles, three reasons with Japanese and English labels, contributions to 4 places),
// so the response bodies are as long as production's.
const frac = (x: number) => x - Math.floor(x);
for (let i = 0; i < n; i++) {
  const score = 1 + 4 * frac(i * 0.6180339887498949);
  rows.push({
    freelancer_id: `fl-${String(i).padStart(7, '0')}`,
    model_version: 'm-20261129-0400-3f9c2a',
    score,
    percentile: ((score - 1) / 4) * 100,
    occupation_percentile: 100 * frac(i * 0.7548776662466927),
    occupation: 'エンジニア',
    reasons: [
      { feature: 'self_intro_length', label: '自己紹介の長さ', label_en: 'self-introduction length', contribution: 0.3127 },
      { feature: 'skill_x_occupation:TypeScript', label: '職種に合うスキル: TypeScript', label_en: 'skill for the occupation: TypeScript', contribution: 0.2214 },
      { feature: 'years_experience_log', label: '経験年数', label_en: 'years of experience', contribution: -0.1208 },
    ],
    scored_at: '2026-11-29T04:00:12.345Z',
  });
}
const live = new LiveHolder();
live.swap({ model: null, scores: buildScoreTable('bench', new Date().toISOString(), rows) });
// A model object is required by the read path; the online path never calls it.
live.swap({ model: { version: 'bench', featureSpecVersion: 'bench', explain: () => { throw new Error('unused'); }, score: () => { throw new Error('unused'); }, toJSON: () => ({}) }, scores: live.current.scores });
const config = loadConfig({ PORT: '0', DATA_DIR: '/tmp/workship-bench' });
// Ready as the service is after a promotion (LiveHolder.swapPrepared): every score serialised.
await prewarm(live.current.scores!, () => true, config.scoreCacheMb * 2 ** 20);
const ctx = await buildContext(config, {
  warehouse: new DuckdbWarehouse({ file: ':memory:' }),
  auth: createAuthenticator({ tokenSpec: 'bench-scorer-token=scorer' }),
  log: new Logger({ write: () => {} }),
  live,
});
const running = await listen(ctx, { host: '127.0.0.1' });
process.send?.({ port: running.port });
