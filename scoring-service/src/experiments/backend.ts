/**
 * What the CLI needs from the experiments area, implemented twice: through a running
 * service on this DATA_DIR (DuckDB lets one process hold the file), or directly on the
 * warehouse when none runs. Both go through the same use cases, so answers agree.
 */
import type { Config } from '../config.ts';
import { allTables } from '../domain/all-tables.ts';
import { callService, findRunningService, type ServiceLink } from '../cli/service-link.ts';
import { openWarehouse } from '../warehouse/index.ts';
import type { Warehouse } from '../warehouse/port.ts';
import type { TargetRow, Segment } from '../uplift/targeting.ts';
import type { ExperimentResults } from './results.ts';
import { assignUnit, createExperiment, experimentResults, importAssignments, importOutcomes, patchExperiment, type AssignmentAnswer } from './service.ts';
import { getExperiment, listExperiments } from './store.ts';
import { latestUpliftRun, readTargets, runUplift, type UpliftRunSummary } from './uplift-run.ts';
import { renderExperimentReport } from './report.ts';
import type { Experiment } from './types.ts';

export interface ExperimentsBackend {
  via: 'service' | 'warehouse';
  create(body: unknown): Promise<Experiment>;
  list(): Promise<(Experiment & { units: number })[]>;
  get(id: string): Promise<Experiment>;
  patch(id: string, body: unknown): Promise<Experiment>;
  assign(id: string, unit: string): Promise<AssignmentAnswer>;
  importRows(kind: 'assignments' | 'outcomes', id: string, rows: Record<string, unknown>[]): Promise<{ imported: number }>;
  results(id: string, cuped: boolean): Promise<ExperimentResults>;
  report(id: string, cuped: boolean): Promise<string>;
  uplift(id: string, arm?: string): Promise<UpliftRunSummary>;
  targeting(id: string, o: { segment?: Segment; limit?: number; sort?: 'uplift' | 'p_convert' }): Promise<TargetRow[]>;
  close(): Promise<void>;
}

const enc = encodeURIComponent;
/** Keeps each request under the service's 1 MB JSON limit. */
const CHUNK = 2000;

function viaService(link: ServiceLink): ExperimentsBackend {
  const call = <T>(method: string, path: string, body?: unknown) => callService<T>(link, method, path, body);
  return {
    via: 'service',
    create: (body) => call('POST', '/v1/experiments', body),
    list: async () => (await call<{ items: (Experiment & { units: number })[] }>('GET', '/v1/experiments')).items,
    get: (id) => call('GET', `/v1/experiments/${enc(id)}`),
    patch: (id, body) => call('PATCH', `/v1/experiments/${enc(id)}`, body),
    assign: (id, unit) => call('GET', `/v1/experiments/${enc(id)}/assignment?unit=${enc(unit)}`),
    async importRows(kind, id, rows) {
      let imported = 0;
      for (let i = 0; i < rows.length; i += CHUNK) imported += (await call<{ imported: number }>('POST', `/v1/experiments/${enc(id)}/${kind}`, { rows: rows.slice(i, i + CHUNK) })).imported;
      return { imported };
    },
    results: (id, cuped) => call('GET', `/v1/experiments/${enc(id)}/results?cuped=${cuped ? 1 : 0}`),
    report: (id, cuped) => call('GET', `/v1/experiments/${enc(id)}/report?cuped=${cuped ? 1 : 0}`),
    uplift: (id, arm) => call('POST', `/v1/experiments/${enc(id)}/uplift`, arm ? { arm } : {}),
    targeting: async (id, o) =>
      (await call<{ items: TargetRow[] }>('GET', `/v1/experiments/${enc(id)}/targeting?sort=${o.sort ?? 'uplift'}${o.segment ? `&segment=${enc(o.segment)}` : ''}${o.limit ? `&limit=${o.limit}` : ''}`)).items,
    close: async () => {},
  };
}

export function viaWarehouse(w: Warehouse, by: string, now: () => Date = () => new Date(), owned = true): ExperimentsBackend {
  return {
    via: 'warehouse',
    create: (body) => createExperiment(w, body, now(), by),
    list: () => listExperiments(w),
    get: (id) => getExperiment(w, id),
    patch: (id, body) => patchExperiment(w, id, body, now()),
    assign: (id, unit) => assignUnit(w, id, unit, now()),
    importRows: (kind, id, rows) => (kind === 'assignments' ? importAssignments(w, id, { rows }) : importOutcomes(w, id, { rows })),
    results: (id, cuped) => experimentResults(w, id, { now: now(), cuped }),
    async report(id, cuped) {
      const r = await experimentResults(w, id, { now: now(), cuped });
      return renderExperimentReport(r, await latestUpliftRun(w, id), await readTargets(w, id, { limit: 20 }));
    },
    uplift: async (id, arm) => runUplift(w, await getExperiment(w, id), { now: now(), by, treatmentArm: arm }),
    targeting: (id, o) => readTargets(w, id, o),
    close: () => (owned ? w.close() : Promise.resolve()),
  };
}

export async function openBackend(config: Config, by: string): Promise<ExperimentsBackend> {
  const link = await findRunningService(config);
  if (link) return viaService(link);
  const w = await openWarehouse(config);
  await w.migrate(allTables);
  return viaWarehouse(w, by);
}
