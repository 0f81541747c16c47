/**
 * `models [list|history|show VERSION|activate VERSION --reason TEXT]`: the registry from the
 * terminal, through the running service when there is one.
 */
import os from 'node:os';
import { CliUsageError, parseArgs, type CliCommand } from '../command.ts';
import { callService, findRunningService } from '../service-link.ts';
import { openWarehouse } from '../../warehouse/index.ts';
import { allTables } from '../../domain/all-tables.ts';
import { LiveHolder } from '../../scores/live.ts';
import { Logger } from '../../log.ts';

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'list model versions, show activation history, activate a version',
  usage: 'usage: workship-ml models [list | history | show VERSION | activate VERSION --reason TEXT]',
  async run(args, config, io) {
    const { flags, positional } = parseArgs(args);
    const [sub = 'list', version] = positional;
    if (!['list', 'history', 'show', 'activate'].includes(sub)) throw new CliUsageError(`unknown subcommand '${sub}'`);
    if ((sub === 'show' || sub === 'activate') && !version) throw new CliUsageError(`${sub} needs a VERSION`);
    const reason = typeof flags.reason === 'string' ? flags.reason.trim() : '';
    if (sub === 'activate' && !reason) throw new CliUsageError('--reason is required: say why this version should be live');
    const link = await findRunningService(config);
    let out: unknown;
    if (link) {
      const v = encodeURIComponent(version ?? '');
      out =
        sub === 'list' ? await callService(link, 'GET', '/v1/models')
        : sub === 'history' ? await callService(link, 'GET', '/v1/models/history')
        : sub === 'show' ? await callService(link, 'GET', `/v1/models/${v}`)
        : await callService(link, 'POST', `/v1/models/${v}/activate`, { reason });
    } else {
      const warehouse = await openWarehouse(config);
      try {
        await warehouse.migrate(allTables);
        const reg = await import('../../training/registry.ts');
        if (sub === 'list') out = { items: await reg.listVersions(warehouse) };
        else if (sub === 'history') out = { items: await reg.activationHistory(warehouse) };
        else if (sub === 'show') {
          out = await reg.getVersion(warehouse, version!);
          if (!out) {
            io.err(`no model version '${version}'`);
            return 1;
          }
        } else {
          const log = new Logger({ write: (l) => io.err(l) }, { component: 'cli-models' }, 'WARNING');
          const deps = { warehouse, live: new LiveHolder(), config, log, now: () => new Date() };
          const r = await reg.activateVersion(deps, version!, { kind: 'manual', actor: `cli:${os.userInfo().username}`, reason });
          out = { version: r.model.version, live: true, scored_freelancers: r.scores.byId.size };
        }
      } finally {
        await warehouse.close();
      }
    }
    io.out(JSON.stringify(out, null, 2));
    return 0;
  },
};
