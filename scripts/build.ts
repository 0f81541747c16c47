/** `npm run build`: the sidebar HTML (sheets-addon/build/) and the clasp rootDir (appsscript/build/). */
import path from 'node:path';
import { buildAppsScript } from './build-appsscript.ts';
import { repoRoot } from './build-sidebar.ts';

const started = Date.now();
try {
  const r = await buildAppsScript();
  console.log(`built ${path.relative(repoRoot, r.dir)}: ${r.files.join(', ')} — ${r.globals.length} globals (${Date.now() - started} ms)`);
} catch (e) {
  console.error(`build failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
