/** Every CLI command; add a module here to expose it. */
import type { CliCommand } from '../command.ts';

export const commands: CliCommand[] = [];
