/**
 * The real scoring service in-process for the sidebar's browser test: :memory: DuckDB seeded by
 * the demo generator, tokens generated into a temporary DATA_DIR (so GET /dev/sidebar may embed
 * the annotator's), a live model trained by the real training run on the demo's annotations, and
 * the annotation service with real activity summaries and the queue's stand-in ensemble kit
 * (the queue's own tests cover the real one; this keeps the browser test to seconds).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../scoring-service/src/config.ts';
import { buildContext, listen, resolveAuth, type RunningService } from '../../scoring-service/src/server.ts';
import { DuckdbWarehouse } from '../../scoring-service/src/warehouse/duckdb.ts';
import { memoryLogger } from '../../scoring-service/src/log.ts';
import { LiveHolder } from '../../scoring-service/src/scores/live.ts';
import { seedDemo } from '../../scoring-service/src/demo/generator.ts';
import { attachAnnotationService } from '../../scoring-service/src/annotation/registry.ts';
import { productionDeps } from '../../scoring-service/src/annotation/deps.ts';
import { fakeDeps } from '../../scoring-service/test/annotation-fixture.ts';
import { runTraining } from '../../scoring-service/src/training/run.ts';
import type { GeneratedTokens } from '../../scoring-service/src/http/auth.ts';

export interface SidebarService {
  url: string;
  tokens: GeneratedTokens;
  running: RunningService;
  call(method: string, p: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startSidebarService(o: { freelancers?: number } = {}): Promise<SidebarService> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'workship-sidebar-'));
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', DEV_PAGES: 'true', DOUBLE_ANNOTATION_SHARE: '0', TRAIN_SCHEDULE_ENABLED: 'false' });
  const live = new LiveHolder();
  const { logger } = memoryLogger();
  const warehouse = new DuckdbWarehouse({ file: ':memory:' });
  const ctx = await buildContext(config, { warehouse, auth: resolveAuth(config), log: logger, live });
  await seedDemo(warehouse, { freelancers: o.freelancers ?? 80, annotations: 60, seed: 11 });
  const run = await runTraining({ warehouse, live, config, log: logger, now: () => new Date() }, { by: 'sidebar-test' }, undefined, { learningCurvePoints: 0 });
  if (run.status !== 'succeeded' || !live.current.model) throw new Error(`training the live model failed: ${run.decision_reason}`);
  // Real activity summaries of the seeded events; the queue's ensemble uses the stand-in model kit.
  attachAnnotationService(ctx, { ...fakeDeps(), activity: productionDeps().activity });
  const running = await listen(ctx, { host: '127.0.0.1', requestLogging: false });
  const url = `http://127.0.0.1:${running.port}`;
  const tokens = JSON.parse(fs.readFileSync(path.join(dataDir, 'tokens.json'), 'utf8')) as GeneratedTokens;
  return {
    url,
    tokens,
    running,
    async call(method, p, token, body) {
      const res = await fetch(url + p, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await running.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
