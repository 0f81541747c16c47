/**
 * The in-process daily schedule for single-machine installs (Cloud Run uses Cloud Scheduler
 * calling POST /v1/train instead): croner with the configured cron expression and time
 * zone (default 04:00 Asia/Tokyo). A tick while a run is going is skipped, not queued.
 */
import { Cron } from 'croner';
import type { ServiceContext } from '../http/context.ts';
import { registerSchedule } from '../schedules.ts';
import { ConflictError } from '../errors.ts';
import { runTraining } from './run.ts';
import type { TrainingDeps } from './deps.ts';

export function trainingDeps(ctx: ServiceContext): TrainingDeps {
  return { warehouse: ctx.warehouse, live: ctx.live, config: ctx.config, log: ctx.log, now: ctx.now };
}

export function startTrainingSchedule(ctx: ServiceContext): (() => void) | undefined {
  const { scheduleEnabled, cron, timeZone } = ctx.config.training;
  if (!scheduleEnabled) return undefined;
  const job = new Cron(cron, { timezone: timeZone, protect: true }, async () => {
    try {
      await runTraining(trainingDeps(ctx), { by: 'schedule', reason: `daily schedule (${cron} ${timeZone})` });
    } catch (e) {
      if (e instanceof ConflictError) ctx.log.info('scheduled training skipped: a run is already going', e.details);
      else ctx.log.error('scheduled training failed', { error: String(e) });
    }
  });
  ctx.log.info('daily training scheduled', { cron, time_zone: timeZone, next_run: job.nextRun()?.toISOString() ?? null });
  return () => job.stop();
}

registerSchedule(startTrainingSchedule);
