/**
 * `experiment <sub> …`: plan, run and read A/B tests from the terminal, through the
 * running service when there is one (experiments/backend.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import { CliUsageError, parseArgs, type CliCommand, type CliIo } from '../command.ts';
import { AppError } from '../../errors.ts';
import { openBackend } from '../../experiments/backend.ts';
import { detectFormat, parseRecords, type FileFormat } from '../../experiments/import-file.ts';
import { assignmentRows, outcomeEvents } from '../../experiments/validate.ts';
import { powerFromQuery } from '../../experiments/power-input.ts';
import { targetsCsv, type Segment } from '../../uplift/targeting.ts';
import type { ExperimentResults } from '../../experiments/results.ts';
import { simulateExperimentFiles } from '../../experiments/simulate.ts';
import path from 'node:path';

const USAGE = `usage: workship-ml experiment <subcommand>
  power --baseline 0.05 --mde 0.1 [--mde-type relative|absolute] [--alpha 0.05] [--power 0.8] [--ratio 1] [--daily-units N] [--sample N]
  create --name NAME --goal EVENT [--id ID] [--hypothesis TEXT] [--arms control:1,treatment:1] [--secondary message,contract]
         [--unit freelancer|company] [--start ISO] [--end ISO] [--status running|draft] [--pre-days 28] [--salt S]   (or --file experiment.json)
  list | show ID | stop ID
  assign ID UNIT                         the unit's arm (deterministic hash; recorded while running)
  import-assignments ID FILE [--format csv|ndjson]   columns unit_id, arm[, assigned_at]
  import-outcomes ID FILE [--format csv|ndjson]      columns unit_id, occurred_at[, metric, event_id] → events
  results ID [--cuped] [--json]
  report ID [--cuped] --out report.html
  uplift ID [--arm VARIANT]              train conversion + T/X-learner models, write the targeting list
  targeting ID [--csv] [--out FILE] [--segment persuadable|sure_thing|lost_cause|sleeping_dog] [--limit N] [--sort uplift|p_convert]
  simulate ID --out-dir DIR [--units 4000] [--seed 1] [--effect 0.2]   demo assignments.csv + outcomes.csv with a known effect`;

const SUBS = ['power', 'create', 'list', 'show', 'stop', 'assign', 'import-assignments', 'import-outcomes', 'results', 'report', 'uplift', 'targeting', 'simulate'];

function str(flags: Record<string, string | true>, name: string): string | undefined {
  const v = flags[name];
  if (v === true) throw new CliUsageError(`--${name} needs a value`);
  return v;
}

function createBody(flags: Record<string, string | true>): Record<string, unknown> {
  const file = str(flags, 'file');
  if (file) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const body: Record<string, unknown> = { name: str(flags, 'name'), goal_metric: str(flags, 'goal') };
  const map: [string, string][] = [['id', 'id'], ['hypothesis', 'hypothesis'], ['unit', 'unit_type'], ['start', 'start_at'], ['end', 'end_at'], ['status', 'status'], ['salt', 'salt']];
  for (const [flag, field] of map) if (flags[flag] !== undefined) body[field] = str(flags, flag);
  if (flags['pre-days'] !== undefined) body.pre_period_days = Number(str(flags, 'pre-days'));
  if (flags.secondary !== undefined) body.secondary_metrics = str(flags, 'secondary')!.split(',').map((s) => s.trim()).filter(Boolean);
  if (flags.arms !== undefined)
    body.arms = str(flags, 'arms')!.split(',').map((a) => {
      const [name, weight] = a.split(':');
      return { name: name.trim(), weight: weight === undefined ? 1 : Number(weight) };
    });
  return body;
}

function printResults(r: ExperimentResults, io: CliIo) {
  const pct = (v: number | undefined | null, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(d)}%`);
  io.out(`${r.experiment.name} (${r.experiment.id}) — ${r.window.start} … ${r.window.end}${r.cuped ? ' [CUPED]' : ''}`);
  io.out(`SRM: χ²=${r.stats.srm.chi_square.toFixed(3)} p=${r.stats.srm.p_value.toPrecision(3)} ${r.stats.srm.alarm ? '⚠ ALARM (p < 0.001)' : 'ok'}`);
  for (const m of r.stats.metrics) {
    const cup = m.variants.find((v) => v.cuped)?.cuped;
    io.out(`\n${m.name}${m.goal ? ' (goal)' : ''}${r.cuped ? (cup ? ` — CUPED θ=${cup.theta.toFixed(3)}, variance −${(cup.variance_reduction * 100).toFixed(1)}%` : ' — CUPED: no pre-period variance, unadjusted') : ''}`);
    io.out('arm            units     conv   rate     abs lift [95% CI]              rel lift [95% CI]            p        p(BH)    P(beat)  loss');
    m.arms.forEach((a, i) => {
      const v = i ? m.variants[i - 1] : null;
      const eff = v?.cuped ?? v;
      io.out(
        [
          a.arm.padEnd(12),
          String(a.units).padStart(8),
          String(a.conversions).padStart(8),
          pct(a.rate).padStart(8),
          v ? `${pct(eff!.absolute.estimate)} [${pct(eff!.absolute.lower)}, ${pct(eff!.absolute.upper)}]`.padEnd(30) : ''.padEnd(30),
          v && eff!.relative ? `${pct(eff!.relative.estimate, 1)} [${pct(eff!.relative.lower, 1)}, ${pct(eff!.relative.upper, 1)}]`.padEnd(28) : ''.padEnd(28),
          v ? eff!.p_value.toPrecision(3).padEnd(8) : ''.padEnd(8),
          v ? v.p_adjusted.toPrecision(3).padEnd(8) : ''.padEnd(8),
          v ? pct(v.chance_to_beat_control, 1).padEnd(8) : ''.padEnd(8),
          v ? pct(v.expected_loss, 3) : '',
        ].join(' '),
      );
    });
  }
  for (const w of r.stats.warnings) io.out(`⚠ ${w.message_ja} / ${w.message_en}`);
}

function readImport(path: string, flags: Record<string, string | true>) {
  const text = fs.readFileSync(path, 'utf8');
  const format = (str(flags, 'format') ?? detectFormat(text)) as FileFormat;
  if (format !== 'csv' && format !== 'ndjson') throw new CliUsageError('--format must be csv or ndjson');
  return parseRecords(text, format);
}

export const experimentCommand: CliCommand = {
  name: 'experiment',
  summary: 'A/B tests: power, create, assign, import, results, report, uplift, targeting',
  usage: USAGE,
  async run(args, config, io) {
    const { flags, positional } = parseArgs(args, ['cuped', 'json', 'csv']);
    const [sub, id, extra] = positional;
    if (!sub || !SUBS.includes(sub)) throw new CliUsageError(sub ? `unknown subcommand '${sub}'` : 'a subcommand is required');
    if (sub === 'power') {
      const q: Record<string, unknown> = {};
      for (const k of ['baseline', 'mde', 'mde-type', 'alpha', 'power', 'ratio', 'daily-units', 'sample']) if (flags[k] !== undefined) q[k.replace('-', '_')] = str(flags, k);
      try {
        io.out(JSON.stringify(powerFromQuery(q), null, 2));
      } catch (e) {
        if (e instanceof AppError) throw new CliUsageError(e.message);
        throw e;
      }
      return 0;
    }
    if (!['create', 'list'].includes(sub) && !id) throw new CliUsageError(`${sub} needs an experiment ID`);
    const backend = await openBackend(config, `cli:${os.userInfo().username}`);
    try {
      switch (sub) {
        case 'create':
          io.out(JSON.stringify(await backend.create(createBody(flags)), null, 2));
          return 0;
        case 'list':
          for (const e of await backend.list()) io.out(`${e.id.padEnd(28)} ${e.status.padEnd(8)} ${String(e.units).padStart(8)} units  ${e.goal_metric.padEnd(10)} ${e.name}`);
          return 0;
        case 'show':
          io.out(JSON.stringify(await backend.get(id), null, 2));
          return 0;
        case 'stop':
          io.out(JSON.stringify(await backend.patch(id, { status: 'stopped' }), null, 2));
          return 0;
        case 'assign':
          if (!extra) throw new CliUsageError('assign needs ID and UNIT');
          io.out(JSON.stringify(await backend.assign(id, extra)));
          return 0;
        case 'import-assignments':
        case 'import-outcomes': {
          if (!extra) throw new CliUsageError(`${sub} needs ID and FILE`);
          const parsed = readImport(extra, flags);
          // Validate the whole file first so a chunked upload never imports half of it.
          const e = await backend.get(id);
          const check = sub === 'import-assignments' ? assignmentRows(e, parsed.records, parsed.issues) : outcomeEvents(e, parsed.records, parsed.issues);
          if (check.issues.length) {
            for (const i of check.issues.sort((a, b) => a.line - b.line).slice(0, 50)) io.err(`${extra}:${i.line}: ${i.field} ${i.message}`);
            io.err(`${check.issues.length} bad row(s); nothing was imported`);
            return 1;
          }
          const r = await backend.importRows(sub === 'import-assignments' ? 'assignments' : 'outcomes', id, parsed.records.map((x) => x.values));
          io.out(`imported ${r.imported} row(s) into ${id}`);
          return 0;
        }
        case 'results': {
          const r = await backend.results(id, !!flags.cuped);
          if (flags.json) io.out(JSON.stringify(r, null, 2));
          else printResults(r, io);
          return 0;
        }
        case 'report': {
          const out = str(flags, 'out');
          if (!out) throw new CliUsageError('report needs --out FILE');
          fs.writeFileSync(out, await backend.report(id, !!flags.cuped));
          io.out(`wrote ${out}`);
          return 0;
        }
        case 'uplift': {
          const s = await backend.uplift(id, str(flags, 'arm'));
          const ev = s.evaluation[s.chosen];
          io.out(`run ${s.run_id}: ${s.chosen} chosen; held-out ${s.holdout_units} units; Qini coefficient ${ev.qini_coefficient.toFixed(5)}, AUUC ${ev.auuc.toFixed(5)}, uplift@30% ${ev.uplift_at_30 === null ? '—' : (ev.uplift_at_30 * 100).toFixed(2) + '%'} vs overall ${ev.overall_uplift === null ? '—' : (ev.overall_uplift * 100).toFixed(2) + '%'}`);
          io.out(`conversion model held-out AUC ${s.conversion_model.holdout_auc?.toFixed(3) ?? '—'}; targeting list: ${s.targets} units (${Object.entries(s.segments).map(([k, v]) => `${k} ${v}`).join(', ')})`);
          return 0;
        }
        case 'simulate': {
          const dir = str(flags, 'out-dir');
          if (!dir) throw new CliUsageError('simulate needs --out-dir DIR');
          const units = flags.units === undefined ? 4000 : Number(str(flags, 'units'));
          const seed = flags.seed === undefined ? 1 : Number(str(flags, 'seed'));
          const effect = flags.effect === undefined ? 0.2 : Number(str(flags, 'effect'));
          if (!Number.isInteger(units) || units < 10 || units > 1_000_000) throw new CliUsageError('--units must be an integer from 10 to 1000000');
          if (!Number.isInteger(seed) || !(effect >= 0 && effect <= 0.5)) throw new CliUsageError('--seed must be an integer and --effect between 0 and 0.5');
          const files = simulateExperimentFiles(await backend.get(id), { units, seed, effect });
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, 'assignments.csv'), files.assignmentsCsv);
          fs.writeFileSync(path.join(dir, 'outcomes.csv'), files.outcomesCsv);
          io.out(`wrote ${path.join(dir, 'assignments.csv')} and ${path.join(dir, 'outcomes.csv')} (simulated; true average effect ${(files.trueAverageEffect * 100).toFixed(2)} points)`);
          return 0;
        }
        case 'targeting': {
          const limit = flags.limit === undefined ? undefined : Number(str(flags, 'limit'));
          if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new CliUsageError('--limit must be a positive integer');
          const sort = str(flags, 'sort') ?? 'uplift';
          if (sort !== 'uplift' && sort !== 'p_convert') throw new CliUsageError('--sort must be uplift or p_convert');
          const rows = await backend.targeting(id, { segment: str(flags, 'segment') as Segment | undefined, limit, sort });
          const text = flags.csv ? targetsCsv(rows) : JSON.stringify(rows, null, 2) + '\n';
          const out = str(flags, 'out');
          if (out) {
            fs.writeFileSync(out, text);
            io.out(`wrote ${rows.length} row(s) to ${out}`);
          } else io.out(text.trimEnd());
          return 0;
        }
      }
      return 2;
    } catch (e) {
      if (e instanceof AppError) {
        io.err(`${e.message}${Object.keys(e.details).length ? ' ' + JSON.stringify(e.details) : ''}`);
        return 1;
      }
      throw e;
    } finally {
      await backend.close();
    }
  },
};
