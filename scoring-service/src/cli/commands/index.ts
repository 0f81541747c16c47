/** Every CLI command; add a module here to expose it. */
import type { CliCommand } from '../command.ts';
import { serveCommand } from './serve.ts';
import { scoreCommand } from './score.ts';

export const commands: CliCommand[] = [serveCommand, scoreCommand];
