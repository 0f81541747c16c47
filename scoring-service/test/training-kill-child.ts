/**
 * Child process of rollback.test.ts's crash test: runs one training on the DuckDB file given
 * as argv[2] and stops dead (waits to be SIGKILLed) right after the new version's scores were
 * written, before the registry flips live status.
 */
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { LiveHolder } from '../src/scores/live.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { loadLiveModelAtStartup } from '../src/training/registry.ts';
import { runTraining } from '../src/training/run.ts';
import { fakeKit } from './training-helpers.ts';

const file = process.argv[2];
const warehouse = new DuckdbWarehouse({ file });
await warehouse.migrate(allTables);
const kit = fakeKit({
  afterMaterialize: async () => {
    process.stdout.write('MATERIALIZED\n');
    await new Promise((r) => setTimeout(r, 60_000));
  },
});
const deps = { warehouse, live: new LiveHolder(), config: loadConfig({ DATA_DIR: '/tmp/workship-kill-unused' }), log: silentLogger, now: () => new Date('2026-11-03T00:00:00.000Z'), kit };
await loadLiveModelAtStartup(deps);
process.stdout.write(`LIVE ${deps.live.current.model?.version}\n`);
await runTraining(deps, { by: 'child' }, (p) => {
  process.stdout.write(`STEP ${p.step}\n`);
});
process.stdout.write('FINISHED\n');
