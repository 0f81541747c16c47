/**
 * `npm start`: the service on embedded defaults. On an empty DATA_DIR it seeds demo data,
 * trains the first model and serves, showing progress in the terminal.
 */
import { loadConfig, ConfigError } from './config.ts';
import { buildContext, listen, resolveAuth } from './server.ts';
import { bootstrap, terminalProgress } from './bootstrap.ts';
import { startSchedules } from './schedules.ts';
import { warmAnnotationQueue } from './annotation/registry.ts';

export async function serve(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const auth = resolveAuth(config, ({ file, tokens }) => {
    // Printed once, on the terminal only, the first time tokens are generated; never logged.
    process.stderr.write(
      `\nAPI tokens were generated and saved to ${file} (shown only this once):\n` +
        `  admin:     ${tokens.admin}\n  annotator: ${tokens.annotator}\n  scorer:    ${tokens.scorer}\n\n`,
    );
  });
  let ctx;
  try {
    ctx = await buildContext(config, { auth });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/lock/i.test(msg)) {
      process.stderr.write(`the database ${config.duckdbFile} is in use by another process (is the service already running?)\n`);
      process.exit(1);
    }
    throw e;
  }
  await bootstrap(ctx, terminalProgress());
  const running = await listen(ctx, { advertise: true });
  const stopSchedules = startSchedules(ctx);
  // Build the active-learning queue in the background so the first annotator gets it at once.
  warmAnnotationQueue(ctx);
  ctx.log.info(`listening on :${running.port}`, { port: running.port, warehouse: ctx.warehouse.kind, model_version: ctx.live.current.model?.version ?? null });
  process.stderr.write(`\nWorkship ML is up: http://localhost:${running.port}/healthz · sidebar http://localhost:${running.port}/dev/sidebar · KPI http://localhost:${running.port}/dev/kpi\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info(`received ${signal}: finishing in-flight requests`);
    stopSchedules();
    await running.close();
    ctx.log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

if (process.argv[1]?.endsWith('main.ts')) {
  serve().catch((e) => {
    process.stderr.write(`fatal: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
