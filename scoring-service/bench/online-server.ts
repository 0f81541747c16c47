/**
 * Child process for the online benchmark: the real app (auth, logging, routing, JSON) over
 * an in-memory score table of N freelancers in the shape the materialiser produces.
 */
import { loadConfig } from '../src/config.ts';
import { buildContext, listen } from '../src/server.ts';
import { createAuthenticator } from '../src/http/auth.ts';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { Logger } from '../src/log.ts';
import { buildScoreTable, LiveHolder } from '../src/scores/live.ts';
import type { FreelancerScore } from '../src/domain/types.ts';

const n = Number(process.argv[2] ?? 100_000);
const rows: FreelancerScore[] = [];
for (let i = 0; i < n; i++) {
  rows.push({
    freelancer_id: `fl-${String(i).padStart(7, '0')}`,
    model_version: 'bench',
    score: 1 + ((i * 7919) % 4000) / 1000,
    percentile: (i / n) * 100,
    occupation_percentile: ((i * 31) % 100),
    occupation: 'エンジニア',
    reasons: [
      { feature: 'self_intro_length', label: '自己紹介の長さ', contribution: 0.31 },
      { feature: 'skill_match', label: '職種に合うスキル', contribution: 0.22 },
      { feature: 'years_experience', label: '経験年数', contribution: -0.12 },
    ],
    scored_at: new Date().toISOString(),
  });
}
const live = new LiveHolder();
live.swap({ model: null, scores: buildScoreTable('bench', new Date().toISOString(), rows) });
// A model object is required by the read path; the online path never calls it.
live.swap({ model: { version: 'bench', featureSpecVersion: 'bench', explain: () => { throw new Error('unused'); }, score: () => { throw new Error('unused'); }, toJSON: () => ({}) }, scores: live.current.scores });
const config = loadConfig({ PORT: '0', DATA_DIR: '/tmp/workship-bench' });
const ctx = await buildContext(config, {
  warehouse: new DuckdbWarehouse({ file: ':memory:' }),
  auth: createAuthenticator({ tokenSpec: 'bench-scorer-token=scorer' }),
  log: new Logger({ write: () => {} }),
  live,
});
const running = await listen(ctx, { host: '127.0.0.1' });
process.send?.({ port: running.port });
