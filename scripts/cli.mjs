#!/usr/bin/env node
// The `workship-ml` bin: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';
register();
const { runCli } = await import('../scoring-service/src/cli/index.ts');
process.exit(await runCli(process.argv.slice(2)));
