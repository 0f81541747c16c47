/**
 * In-process schedules for single-machine installs (Cloud Run uses Cloud Scheduler
 * instead). The training area registers its daily run here.
 */
import type { ServiceContext } from './http/context.ts';

export type Schedule = (ctx: ServiceContext) => (() => void) | undefined;

const schedules: Schedule[] = [];

export function registerSchedule(s: Schedule): void {
  schedules.push(s);
}

/** Starts every registered schedule; returns a function that stops them all. */
export function startSchedules(ctx: ServiceContext): () => void {
  const stops = schedules.map((s) => s(ctx)).filter((x): x is () => void => typeof x === 'function');
  return () => stops.forEach((s) => s());
}
