/** Inline error (with an optional retry) and the short-lived toast. */
import type { ClientError } from '../../appsscript/src/annotation/http-client.ts';
import { $ } from './render.ts';
import { tr } from './i18n.ts';

let retryAction: (() => void) | null = null;

export function errText(e: ClientError): string {
  return tr(e.message, e.message_en);
}

export function showError(e: ClientError | string, retry?: () => void): void {
  $('error-text').textContent = typeof e === 'string' ? e : errText(e);
  retryAction = retry ?? null;
  $('error-retry').hidden = !retry;
  $('error').hidden = false;
}

export function clearError(): void {
  $('error').hidden = true;
  retryAction = null;
}

/** The error's retry button: clears the message and runs the failed action again. */
export function runRetry(): void {
  const f = retryAction;
  clearError();
  f?.();
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

export function toast(text: string): void {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 2200);
}
