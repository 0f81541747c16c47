/**
 * First-start work for `npm start`: seed demo data into an empty warehouse, train and
 * promote the first model, or load the live one. Progress goes to the terminal (stderr),
 * not to the JSON log.
 */
import type { ServiceContext } from './http/context.ts';

export interface Progress {
  step(name: string): void;
  update(done: number, total: number): void;
  done(summary?: string): void;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let current = '';
  let started = Date.now();
  let last = 0;
  const tty = stream.isTTY;
  return {
    step(name) {
      current = name;
      started = Date.now();
      stream.write(`▶ ${name}${tty ? '' : '\n'}`);
    },
    update(done, total) {
      const now = Date.now();
      if (now - last < 200 && done < total) return;
      last = now;
      const pct = total ? Math.floor((100 * done) / total) : 100;
      const bar = '█'.repeat(Math.floor(pct / 5)).padEnd(20, '░');
      if (tty) stream.write(`\r▶ ${current} ${bar} ${pct}% (${done}/${total})`);
    },
    done(summary) {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(`${tty ? '\r' : ''}✔ ${current}${summary ? ` — ${summary}` : ''} (${secs}s)${' '.repeat(20)}\n`);
    },
  };
}

/** 00:00 Asia/Tokyo (UTC+9, no daylight saving) of the given moment's Tokyo date. */
export function startOfTodayTokyo(now: Date): Date {
  const tokyo = new Date(now.getTime() + 9 * 3_600_000);
  return new Date(Date.UTC(tokyo.getUTCFullYear(), tokyo.getUTCMonth(), tokyo.getUTCDate()) - 9 * 3_600_000);
}

export async function isWarehouseEmpty(ctx: ServiceContext): Promise<boolean> {
  const rows = await ctx.warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${ctx.warehouse.dialect.table('freelancers')}`);
  return Number(rows[0]?.n ?? 0) === 0;
}

/** Seeds (when empty and allowed), then makes sure a model is live. */
export async function bootstrap(ctx: ServiceContext, progress: Progress): Promise<void> {
  const { config } = ctx;
  if (config.demo.seedOnEmpty && (await isWarehouseEmpty(ctx))) {
    const { seedDemo } = await import('./demo/generator.ts');
    progress.step(`デモデータを生成 / seeding demo data (${config.demo.freelancers} freelancers)`);
    const summary = await seedDemo(
      ctx.warehouse,
      // The demo year ends at the start of today (Asia/Tokyo), so dashboards and activity look current.
      { freelancers: config.demo.freelancers, annotations: config.demo.annotations, seed: config.demo.seed, now: startOfTodayTokyo(ctx.now()) },
      (p) => progress.update(p.done, p.total),
    );
    progress.done(JSON.stringify(summary));
  }

  const { loadLiveModelAtStartup } = await import('./training/registry.ts');
  progress.step('ライブモデルを読み込み / loading the live model');
  const loaded = await loadLiveModelAtStartup({ warehouse: ctx.warehouse, live: ctx.live, config, log: ctx.log, now: ctx.now });
  if (loaded) {
    progress.done(`model ${ctx.live.current.model?.version}`);
    return;
  }
  progress.done('no live model yet');

  const annotations = await ctx.warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${ctx.warehouse.dialect.table('annotations')}`);
  if (Number(annotations[0]?.n ?? 0) === 0) {
    ctx.log.warn('no annotations yet: the service starts without a model; annotate profiles, then train');
    return;
  }
  const { runTraining } = await import('./training/run.ts');
  progress.step('最初のモデルを学習 / training the first model');
  const result = await runTraining(
    { warehouse: ctx.warehouse, live: ctx.live, config, log: ctx.log, now: ctx.now },
    { by: 'startup', reason: 'no live model at start-up' },
    (p: { done: number; total: number }) => progress.update(p.done, p.total),
  );
  progress.done(`model ${ctx.live.current.model?.version ?? '—'} (${(result as { decision?: string }).decision ?? 'done'})`);
}
