/**
 * Top-level functions of the Apps Script project that the annotation add-on owns: the simple
 * triggers, the menu targets and every google.script.run target of the sidebar. Thin: each
 * delegates to a Node-tested module.
 */
import { buildMenu, openSidebar } from './menu.ts';
import { promptServiceUrl } from './settings.ts';
import { appsScriptEnv, runInAppsScript } from './apps-script-io.ts';
import * as ops from './server-functions.ts';
import { menuContributions } from '../menu-contributions.ts';
import type { AnnotationSettings, SkipRequest, Submission } from './types.ts';

export function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  buildMenu(SpreadsheetApp.getUi(), menuContributions);
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

export function showAnnotationSidebar(): void {
  openSidebar();
}

export function showSettings(): void {
  promptServiceUrl();
}

export function loadSidebarState(count?: number) {
  return runInAppsScript(ops.loadSidebarState(appsScriptEnv(), count));
}

export function getNextTasks(count?: number) {
  return runInAppsScript(ops.getNextTasks(appsScriptEnv(), count));
}

export function submitAnnotation(s: Submission) {
  return runInAppsScript(ops.submitAnnotation(appsScriptEnv(), s));
}

export function skipTask(s: SkipRequest) {
  return runInAppsScript(ops.skipTask(appsScriptEnv(), s));
}

export function undoLast() {
  return runInAppsScript(ops.undoLast(appsScriptEnv()));
}

export function getMyAnnotations() {
  return runInAppsScript(ops.getMyAnnotations(appsScriptEnv()));
}

export function getStats() {
  return runInAppsScript(ops.getStats(appsScriptEnv()));
}

export function getRubric() {
  return runInAppsScript(ops.getRubric(appsScriptEnv()));
}

export function saveRubric(text: string, baseVersion: string) {
  return runInAppsScript(ops.saveRubric(appsScriptEnv(), text, baseVersion));
}

export function getSettings() {
  return runInAppsScript(ops.getSettings(appsScriptEnv()));
}

export function saveSettings(s: Partial<AnnotationSettings>) {
  return runInAppsScript(ops.saveSettings(appsScriptEnv(), s));
}
