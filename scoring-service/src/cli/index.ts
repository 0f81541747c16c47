/**
 * `npm run cli -- <command> …` (and the `workship-ml` bin). DuckDB allows one process per
 * database file: when the service is running, commands that need the warehouse go to the
 * service over HTTP instead (cli/remote.ts); otherwise they open the file themselves.
 */
import { loadConfig, ConfigError } from '../config.ts';
import { CliUsageError, type CliIo } from './command.ts';
import { commands } from './commands/index.ts';

export async function runCli(argv: string[], io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) }, env?: Record<string, string | undefined>): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    io.out('usage: workship-ml <command> [options]\n');
    for (const c of commands) io.out(`  ${c.name.padEnd(12)} ${c.summary}`);
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help')) {
    io.out(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest, loadConfig(env), io);
  } catch (e) {
    if (e instanceof CliUsageError || e instanceof ConfigError) {
      io.err(`${name}: ${e.message}\n${cmd.usage}`);
      return 2;
    }
    io.err(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('cli/index.ts')) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
