/**
 * `seed [--freelancers N] [--annotations N] [--seed S] [--now ISO] [--force]`: writes the
 * deterministic demo set into the warehouse. Seeding rewrites whole tables, so it never
 * goes through a running service: with one on this DATA_DIR it refuses and says why.
 */
import { CliUsageError, intFlag, parseArgs, type CliCommand, type CliIo } from '../command.ts';
import { findRunningService } from '../service-link.ts';
import { openWarehouse } from '../../warehouse/index.ts';
import { allTables } from '../../domain/all-tables.ts';
import { freelancerScores } from '../../domain/tables.ts';
import type { Warehouse } from '../../warehouse/port.ts';
import { DEMO_NOW, DEMO_TABLES, MAX_FREELANCERS, seedDemo, type DemoSummary } from '../../demo/generator.ts';

const STEP_LABELS: Record<string, string> = {
  companies: '企業 / companies',
  jobs: '求人 / jobs',
  freelancers: 'フリーランス・行動ログ / freelancers and their events',
  events: '行動ログ合計 / events in total',
  annotations: 'アノテーション / annotations',
};

async function rowCounts(w: Warehouse): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of DEMO_TABLES) {
    const rows = await w.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${w.dialect.table(t.name)}`);
    out[t.name] = Number(rows[0]?.n ?? 0);
  }
  return out;
}

function progressPrinter(io: CliIo): (p: { step: string; done: number; total: number }) => void {
  const started = Date.now();
  let stepStart = started;
  let current = '';
  let nextQuarter = 0.25;
  return ({ step, done, total }) => {
    if (step !== current) {
      current = step;
      nextQuarter = 0.25;
    }
    const secs = ((Date.now() - stepStart) / 1000).toFixed(1);
    if (done >= total) {
      io.out(`✔ ${STEP_LABELS[step] ?? step}: ${done.toLocaleString('en-US')} (${secs}s)`);
      stepStart = Date.now();
      current = '';
    } else if (total >= 10_000 && done / total >= nextQuarter) {
      io.out(`  ${STEP_LABELS[step] ?? step}: ${Math.floor((100 * done) / total)}% (${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}, ${secs}s)`);
      while (done / total >= nextQuarter) nextQuarter += 0.25;
    }
  };
}

export function printSummary(io: CliIo, s: DemoSummary): void {
  io.out(`デモデータを生成しました / demo data seeded in ${(s.elapsed_ms / 1000).toFixed(1)}s (seed ${s.seed}, now ${s.now})`);
  io.out(`  freelancers ${s.freelancers.toLocaleString('en-US')} · companies ${s.companies.toLocaleString('en-US')} · jobs ${s.jobs.toLocaleString('en-US')} · events ${s.events.toLocaleString('en-US')}`);
  io.out(`  annotations ${s.annotations.toLocaleString('en-US')} (${s.multiply_annotated} freelancers by 2+ annotators)`);
  for (const a of s.annotators) io.out(`    ${a.id.padEnd(26)} bias ${a.bias >= 0 ? '+' : ''}${a.bias.toFixed(2)} noise sd ${a.noise_sd.toFixed(2)} · ${a.count}`);
  io.out(`  ノイズ下限 / noise floor: RMSE ${s.noise_floor.rmse.toFixed(3)} — ${s.noise_floor.description}`);
}

export const seedCommand: CliCommand = {
  name: 'seed',
  summary: 'generate the deterministic demo data set (freelancers, events, annotations)',
  usage:
    'usage: workship-ml seed [--freelancers N] [--annotations N] [--seed S] [--now ISO-8601] [--force] [--json]\n' +
    `  defaults: DEMO_FREELANCERS, DEMO_ANNOTATIONS, DEMO_SEED; --now defaults to ${DEMO_NOW.toISOString()}\n` +
    '  --force replaces an existing data set (freelancers, companies, jobs, events, annotations, scores)',
  async run(args, config, io) {
    const { flags, positional } = parseArgs(args, ['force', 'json']);
    if (positional.length) throw new CliUsageError(`unexpected argument '${positional[0]}'`);
    const freelancers = intFlag(flags, 'freelancers', config.demo.freelancers, 1, MAX_FREELANCERS);
    const annotations = intFlag(flags, 'annotations', config.demo.annotations, 0, 10_000_000);
    const seed = intFlag(flags, 'seed', config.demo.seed, 0, 2 ** 31 - 1);
    let now: Date | undefined;
    if (flags.now !== undefined) {
      now = new Date(String(flags.now));
      if (flags.now === true || Number.isNaN(now.getTime())) throw new CliUsageError('--now must be an ISO-8601 timestamp');
    }

    let running = false;
    try {
      running = (await findRunningService(config)) !== null;
    } catch {
      running = true; // a service answered but the CLI has no token for it: still running
    }
    if (running) {
      io.err(
        `サービスが ${config.dataDir} で起動中のため seed できません。サービスを停止してから再実行してください。\n` +
          `a service is running on ${config.dataDir}; seeding replaces whole tables and needs the warehouse to itself — stop the service, then run seed again.`,
      );
      return 1;
    }

    const w = await openWarehouse(config);
    try {
      await w.migrate(allTables);
      const counts = await rowCounts(w);
      const nonEmpty = Object.entries(counts).filter(([, n]) => n > 0);
      if (nonEmpty.length && !flags.force) {
        io.err(
          `ウェアハウスにはすでにデータがあります (${nonEmpty.map(([t, n]) => `${t} ${n}`).join(', ')})。置き換えるには --force を付けてください。\n` +
            'the warehouse already holds data; add --force to replace it with the demo set.',
        );
        return 1;
      }
      if (nonEmpty.length) {
        for (const t of [...DEMO_TABLES, freelancerScores]) await w.execute(`DELETE FROM ${w.dialect.table(t.name)} WHERE TRUE`);
        io.out(`既存データを削除しました / cleared ${nonEmpty.map(([t]) => t).join(', ')}, freelancer_scores`);
      }
      const summary = await seedDemo(w, { freelancers, annotations, seed, now }, progressPrinter(io));
      if (flags.json) io.out(JSON.stringify(summary, null, 2));
      else printSummary(io, summary);
      return 0;
    } finally {
      await w.close();
    }
  },
};
