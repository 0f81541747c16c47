// Worker threads do not inherit the parent's `--import tsx` loader hooks (Node 20), so the
// worker loads the TypeScript worker module through tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./score-worker.ts', import.meta.url);
