/**
 * `score <freelancer-id>` or `score --profile file.json`: through the running service when
 * there is one (DuckDB lock), otherwise straight from the warehouse.
 */
import fs from 'node:fs';
import { CliUsageError, parseArgs, type CliCommand } from '../command.ts';
import { callService, findRunningService } from '../service-link.ts';
import { openWarehouse } from '../../warehouse/index.ts';
import { allTables } from '../../domain/all-tables.ts';
import { parseScoreRequest } from '../../scores/score-request.ts';
import { LiveHolder } from '../../scores/live.ts';
import { silentLogger } from '../../log.ts';

export const scoreCommand: CliCommand = {
  name: 'score',
  summary: "print one freelancer's score, or score a profile JSON file",
  usage: 'usage: workship-ml score <freelancer-id> | workship-ml score --profile FILE.json',
  async run(args, config, io) {
    const { flags, positional } = parseArgs(args);
    const file = typeof flags.profile === 'string' ? flags.profile : undefined;
    const id = positional[0];
    if (!file && !id) throw new CliUsageError('give a freelancer id or --profile FILE');
    let body: unknown;
    if (file) {
      try {
        body = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        io.err(`${file}: ${e instanceof Error ? e.message : e}`);
        return 1;
      }
      if (body && typeof body === 'object' && !('profile' in body)) body = { profile: body };
    }
    const link = await findRunningService(config);
    if (link) {
      const out = file ? await callService(link, 'POST', '/v1/score', body) : await callService(link, 'GET', `/v1/freelancers/${encodeURIComponent(id!)}/score`);
      io.out(JSON.stringify(out, null, 2));
      return 0;
    }
    const warehouse = await openWarehouse(config);
    try {
      await warehouse.migrate(allTables);
      if (!file) {
        const rows = await warehouse.query(
          `SELECT freelancer_id, score, percentile, occupation_percentile, model_version, scored_at, reasons FROM ${warehouse.dialect.table('freelancer_scores')} WHERE freelancer_id = @id`,
          { id: id! },
        );
        if (!rows.length) {
          io.err(`no score for freelancer '${id}' (unknown id, or no model trained yet)`);
          return 1;
        }
        io.out(JSON.stringify(rows[0], null, 2));
        return 0;
      }
      const snapshot = parseScoreRequest(body, new Date());
      const live = new LiveHolder();
      const { loadLiveModelAtStartup } = await import('../../training/registry.ts');
      await loadLiveModelAtStartup({ warehouse, live, config, log: silentLogger, now: () => new Date() });
      const model = live.current.model;
      if (!model) {
        io.err('no model is live yet: run `workship-ml train` first');
        return 1;
      }
      io.out(JSON.stringify({ ...model.score(snapshot), model_version: model.version }, null, 2));
      return 0;
    } finally {
      await warehouse.close();
    }
  },
};
