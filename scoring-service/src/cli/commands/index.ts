/** Every CLI command; add a module here to expose it. */
import type { CliCommand } from '../command.ts';
import { serveCommand } from './serve.ts';
import { scoreCommand } from './score.ts';
import { trainCommand } from './train.ts';
import { modelsCommand } from './models.ts';
import { importCommand } from './import.ts';
import { ddlCommand } from './ddl.ts';
import { seedCommand } from './seed.ts';
import { kpiCommand } from './kpi.ts';
import { experimentCommand } from './experiment.ts';

export const commands: CliCommand[] = [serveCommand, scoreCommand, trainCommand, modelsCommand, importCommand, ddlCommand, seedCommand, kpiCommand, experimentCommand];
