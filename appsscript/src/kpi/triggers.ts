/** The daily 08:00 Asia/Tokyo refresh trigger: install, remove and toggle, all idempotent. */
export const DAILY_HANDLER = 'kpiDailyTrigger';
export const DAILY_HOUR = 8;

type ScriptAppLike = Pick<GoogleAppsScript.Script.ScriptApp, 'getProjectTriggers' | 'deleteTrigger' | 'newTrigger'>;

function ours(app: ScriptAppLike): GoogleAppsScript.Script.Trigger[] {
  return app.getProjectTriggers().filter((t) => t.getHandlerFunction() === DAILY_HANDLER);
}

export function hasDailyTrigger(app: ScriptAppLike): boolean {
  return ours(app).length > 0;
}

/** Leaves exactly one daily trigger, however many existed. */
export function installDailyTrigger(app: ScriptAppLike): void {
  const existing = ours(app);
  for (const t of existing.slice(1)) app.deleteTrigger(t);
  if (existing.length) return;
  app.newTrigger(DAILY_HANDLER).timeBased().everyDays(1).atHour(DAILY_HOUR).nearMinute(0).inTimezone('Asia/Tokyo').create();
}

export function removeDailyTrigger(app: ScriptAppLike): void {
  for (const t of ours(app)) app.deleteTrigger(t);
}

/** The menu item: on when off, off when on. Returns the new state. */
export function toggleDailyTrigger(app: ScriptAppLike): 'installed' | 'removed' {
  if (hasDailyTrigger(app)) {
    removeDailyTrigger(app);
    return 'removed';
  }
  installDailyTrigger(app);
  return 'installed';
}
