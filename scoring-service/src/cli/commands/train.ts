/**
 * `train [--reason TEXT]`: one training run. Through the running service when there is one
 * (DuckDB lock; the service also swaps its in-memory model), otherwise in this process.
 */
import { parseArgs, type CliCommand } from '../command.ts';
import { callService, findRunningService } from '../service-link.ts';
import { openWarehouse } from '../../warehouse/index.ts';
import { allTables } from '../../domain/all-tables.ts';
import { LiveHolder } from '../../scores/live.ts';
import { Logger } from '../../log.ts';
import type { TrainingRunResult } from '../../training/run.ts';

function print(io: { out: (l: string) => void }, r: TrainingRunResult): void {
  io.out(`run ${r.run_id}: ${r.status} — ${r.decision}`);
  io.out(`  ${r.decision_reason}`);
  if (r.rollback?.fired) io.out(`  auto-rollback: ${r.rollback.reason_en}`);
  io.out(`  candidate: ${r.candidate_version ?? '—'}  live: ${r.live_version ?? '—'}`);
  io.out(`  report: /v1/runs/${r.run_id}/report`);
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'run training now (gate, promotion, rollback check, report)',
  usage: 'usage: workship-ml train [--reason TEXT] [--json]',
  async run(args, config, io) {
    const { flags } = parseArgs(args, ['json']);
    const reason = typeof flags.reason === 'string' ? flags.reason : 'manual run from the CLI';
    const link = await findRunningService(config);
    let result: TrainingRunResult;
    if (link) {
      result = await callService<TrainingRunResult>(link, 'POST', '/v1/train?wait=true', { reason });
    } else {
      const warehouse = await openWarehouse(config);
      try {
        await warehouse.migrate(allTables);
        const log = new Logger({ write: (l) => io.err(l) }, { component: 'cli-train' }, 'WARNING');
        const { runTraining } = await import('../../training/run.ts');
        const { loadLiveModelAtStartup } = await import('../../training/registry.ts');
        const deps = { warehouse, live: new LiveHolder(), config, log, now: () => new Date() };
        await loadLiveModelAtStartup(deps);
        result = await runTraining(deps, { by: 'cli', reason }, (p) => io.err(`  [${p.done + 1}/${p.total}] ${p.step}`));
      } finally {
        await warehouse.close();
      }
    }
    if (flags.json) io.out(JSON.stringify(result, null, 2));
    else print(io, result);
    return result.status === 'succeeded' ? 0 : 1;
  },
};
