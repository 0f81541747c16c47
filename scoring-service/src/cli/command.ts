/** A CLI command: parsed options in, exit code out. Output goes to the given streams. */
import type { Config } from '../config.ts';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], config: Config, io: CliIo): Promise<number>;
}

/** Minimal `--flag value` / `--flag=value` / `--bool` parser; positional arguments kept in order. */
export function parseArgs(args: string[], booleans: string[] = []): { flags: Record<string, string | true>; positional: string[] } {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
      else if (booleans.includes(a.slice(2)) || i + 1 >= args.length || args[i + 1].startsWith('--')) flags[a.slice(2)] = true;
      else flags[a.slice(2)] = args[++i];
    } else positional.push(a);
  }
  return { flags, positional };
}

export class CliUsageError extends Error {}

export function intFlag(flags: Record<string, string | true>, name: string, def: number, min: number, max: number): number {
  const v = flags[name];
  if (v === undefined) return def;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < min || n > max) throw new CliUsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}
