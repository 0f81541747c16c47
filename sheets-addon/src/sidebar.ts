/**
 * The annotation sidebar: shows one prefetched task at a time, takes a score by button or key,
 * queues the submission in the outbox (acknowledged later, never lost or doubled) and moves on
 * at once. Talks to the server only through google.script.run (real or the dev shim).
 */
import type { AnnotationSettings, MyStats, Rubric, SidebarState, Submission, Task, TaskBatch } from '../../appsscript/src/annotation/types.ts';
import { callServer } from './gas.ts';
import { Outbox, browserStore } from './outbox.ts';
import { $, el, renderPrediction, renderProfile, renderRubric } from './render.ts';
import { scoreLabel } from './format.ts';
import { LANG_KEY, applyStaticText, detectLang, getLang, setLang, tr } from './i18n.ts';
import { clearError, errText, runRetry, showError, toast } from './notices.ts';

/** Profiles held ready behind the current one; a fetch tops the queue up to PREFETCH + BATCH. */
const PREFETCH = 4;
const BATCH = 6;

interface Last {
  task: Task;
  submission: Submission;
}

const s = {
  settings: { blind_mode: false, double_share: 0 } as AnnotationSettings,
  rubric: { version: '', text: '', text_en: null, updated_by: null, updated_at: null } as Rubric,
  stats: null as MyStats | null,
  current: null as Task | null,
  queue: [] as Task[],
  seen: new Set<string>(),
  selected: null as number | null,
  last: null as Last | null,
  todayLocal: 0,
  queueSize: null as number | null,
  consumedSinceBatch: 0,
  fetching: null as Promise<void> | null,
  exhausted: false,
};

const store = browserStore();

const outbox = new Outbox({
  store,
  send: (sub) => callServer('submitAnnotation', sub),
  schedule: (fn, ms) => void setTimeout(fn, ms),
  onChange: () => renderOutbox(),
});

function uuid(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- rendering ------------------------------------------------------------------------------

function renderCounters(): void {
  // Exposed for tests and debugging: how many profiles are ready behind the current one.
  $('app').dataset.queued = String(s.queue.length);
  $('today-count').textContent = String((s.stats?.today ?? 0) + s.todayLocal);
  const remaining = s.queueSize == null ? null : Math.max(s.queueSize - s.consumedSinceBatch, s.queue.length + (s.current ? 1 : 0));
  $('queue-size').textContent = remaining == null ? '–' : String(remaining);
}

function renderOutbox(): void {
  const bar = $('outbox-bar');
  const pending = outbox.pending();
  const failed = outbox.failed();
  bar.replaceChildren();
  bar.classList.toggle('failed', failed.length > 0);
  if (!pending && !failed.length) {
    bar.hidden = true;
    return;
  }
  const text = failed.length
    ? tr(`送信できなかった評価が ${failed.length} 件あります：`, `${failed.length} annotation(s) were refused: `) + (failed[0].failed ? errText(failed[0].failed) : '')
    : outbox.inFlight && !outbox.lastError
      ? tr(`送信中… (${pending} 件)`, `Sending… (${pending})`)
      : tr(`未送信 ${pending} 件 — 自動で再送します`, `${pending} not sent yet — retrying automatically`) + (outbox.lastError ? ` (${errText(outbox.lastError)})` : '');
  bar.append(el('span', text));
  const btn = el('button', tr('今すぐ再送', 'Send now'), 'link-btn');
  btn.type = 'button';
  btn.id = 'outbox-retry';
  btn.onclick = () => void outbox.retryFailed();
  bar.append(btn);
  bar.hidden = false;
}

function renderScores(): void {
  for (const b of Array.from($('scores').children) as HTMLElement[]) {
    b.setAttribute('aria-checked', String(Number(b.dataset.score) === s.selected));
    const small = b.querySelector('small');
    if (small) small.textContent = scoreLabel(Number(b.dataset.score));
  }
}

function renderTask(): void {
  const t = s.current;
  $('loading').hidden = !!t || s.exhausted;
  $('empty').hidden = !!t || !s.exhausted;
  $('task').hidden = !t;
  if (t) {
    renderProfile(t);
    renderPrediction(t.prediction, s.settings.blind_mode);
    (document.getElementById('task') as HTMLElement).dataset.freelancerId = t.freelancer_id;
  }
  renderScores();
  ($('undo') as HTMLButtonElement).disabled = !s.last;
  renderCounters();
}

function renderGuide(): void {
  renderRubric(getLang() === 'en' && s.rubric.text_en ? s.rubric.text_en : s.rubric.text);
  $('rubric-version').textContent = s.rubric.version ? `${tr('版', 'version')} ${s.rubric.version}${s.rubric.updated_at ? ` · ${s.rubric.updated_at.slice(0, 10)}` : ''}` : '';
  $('admin').hidden = s.stats?.is_admin !== true;
  ($('blind-mode') as HTMLInputElement).checked = s.settings.blind_mode;
}

// ---- queue ----------------------------------------------------------------------------------

function leaseAlive(t: Task): boolean {
  const at = Date.parse(t.lease_expires_at);
  return !Number.isFinite(at) || at - Date.now() > 5_000;
}

function accept(batch: TaskBatch): void {
  for (const t of batch.tasks) {
    if (s.seen.has(t.freelancer_id)) continue;
    s.seen.add(t.freelancer_id);
    s.queue.push(t);
  }
  if (batch.queue_size != null) {
    s.queueSize = batch.queue_size;
    s.consumedSinceBatch = 0;
  }
  s.exhausted = batch.tasks.length === 0 && s.queue.length === 0 && !s.current;
}

function prefetch(): Promise<void> {
  if (s.queue.length >= PREFETCH || s.fetching) return s.fetching ?? Promise.resolve();
  s.fetching = (async () => {
    const r = await callServer<TaskBatch>('getNextTasks', BATCH);
    s.fetching = null;
    if (!r.ok) {
      if (!s.current) showError(r.error, () => void prefetch());
      return;
    }
    accept(r.data);
    if (!s.current) advance();
    else renderCounters();
  })();
  return s.fetching;
}

function advance(): void {
  let next = s.queue.shift() ?? null;
  while (next && !leaseAlive(next)) next = s.queue.shift() ?? null;
  s.current = next;
  s.selected = null;
  // Keys 1–5 must score the next profile, not type into the comment box.
  if (typing(document.activeElement)) (document.activeElement as HTMLElement).blur();
  ($('comment') as HTMLTextAreaElement).value = '';
  $('skip-form').hidden = true;
  renderTask();
  if (s.queue.length < PREFETCH) void prefetch();
}

// ---- actions --------------------------------------------------------------------------------

function select(score: number): void {
  if (!s.current) return;
  s.selected = score;
  renderScores();
}

function submit(): void {
  const t = s.current;
  if (!t) return;
  if (s.selected == null) {
    showError(tr('スコアを 1〜5 で選んでから送信してください。', 'Choose a score from 1 to 5 before submitting.'));
    return;
  }
  clearError();
  const submission: Submission = {
    lease_id: t.lease_id,
    freelancer_id: t.freelancer_id,
    score: s.selected,
    comment: ($('comment') as HTMLTextAreaElement).value.trim(),
    rubric_version: s.rubric.version || t.rubric_version,
    client_request_id: uuid(),
  };
  outbox.add(submission);
  s.last = { task: t, submission };
  s.todayLocal += 1;
  s.consumedSinceBatch += 1;
  advance();
  void outbox.flush();
}

/** Puts the undone profile back in front, with its score and comment, on `task`'s lease. */
function restore(last: Last, task: Task): void {
  if (s.current) s.queue.unshift(s.current);
  s.current = task;
  s.selected = last.submission.score;
  s.last = null;
  s.todayLocal -= 1;
  s.consumedSinceBatch = Math.max(0, s.consumedSinceBatch - 1);
  renderTask();
  ($('comment') as HTMLTextAreaElement).value = last.submission.comment;
}

async function undo(): Promise<void> {
  const last = s.last;
  if (!last) return;
  const id = last.submission.client_request_id;
  let task: Task = last.task;
  if (!outbox.remove(id)) {
    // Already sent (or being sent): wait for the outcome, then undo on the service.
    await outbox.idle();
    if (!outbox.remove(id)) {
      const r = await callServer<{ task: Task | null }>('undoLast');
      if (!r.ok) {
        showError(r.error, () => void undo());
        return;
      }
      // The old lease is closed; the service hands the profile back under a new one.
      if (r.data.task) task = r.data.task;
    }
  }
  clearError();
  restore(last, task);
  toast(tr('直前の評価を取り消しました', 'Last annotation undone'));
}

async function skip(reason: string): Promise<void> {
  const t = s.current;
  if (!t) return;
  s.consumedSinceBatch += 1;
  advance();
  const r = await callServer('skipTask', { lease_id: t.lease_id, freelancer_id: t.freelancer_id, reason });
  if (!r.ok) showError(tr('スキップを記録できませんでした：', 'The skip was not recorded: ') + errText(r.error));
  else toast(tr('スキップしました', 'Skipped'));
}

async function saveRubric(): Promise<void> {
  const text = ($('rubric-text') as HTMLTextAreaElement).value;
  const r = await callServer<Rubric>('saveRubric', text, s.rubric.version);
  if (!r.ok) return showError(r.error, () => void saveRubric());
  s.rubric = r.data;
  $('rubric-edit').hidden = true;
  $('rubric').hidden = false;
  renderGuide();
  toast(tr(`評価基準（版 ${s.rubric.version}）を保存しました`, `Guidelines saved as version ${s.rubric.version}`));
}

async function setBlind(on: boolean): Promise<void> {
  const r = await callServer<AnnotationSettings>('saveSettings', { blind_mode: on });
  if (!r.ok) return showError(r.error, () => void setBlind(on));
  s.settings = r.data;
  renderGuide();
  renderTask();
  toast(on ? tr('ブラインドモードをオンにしました', 'Blind mode on') : tr('ブラインドモードをオフにしました', 'Blind mode off'));
}

function toggleGuide(): void {
  $('guide').hidden = !$('guide').hidden;
  if (!$('guide').hidden) $('guide').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

// ---- wiring ---------------------------------------------------------------------------------

function typing(target: EventTarget | null): boolean {
  const t = target as HTMLElement | null;
  return !!t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.isContentEditable);
}

function onKey(e: KeyboardEvent): void {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    if ((e.target as HTMLElement)?.id === 'rubric-text') void saveRubric();
    else submit();
    return;
  }
  if (e.key === 'Escape' && typing(e.target)) {
    (e.target as HTMLElement).blur();
    return;
  }
  if (typing(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
  if (/^[1-5]$/.test(e.key)) {
    e.preventDefault();
    select(Number(e.key));
  } else if (e.key === 'z' || e.key === 'Z' || e.key === 'u') {
    e.preventDefault();
    void undo();
  } else if (e.key === 's' || e.key === 'S') {
    e.preventDefault();
    $('skip-form').hidden = false;
    $('skip-reason').focus();
  } else if (e.key === 'g' || e.key === 'G') {
    e.preventDefault();
    toggleGuide();
  } else if (e.key === 'c') {
    e.preventDefault();
    $('comment').focus();
  }
}

function wire(): void {
  const scores = $('scores');
  for (let n = 1; n <= 5; n++) {
    const b = el('button', null, 'score-btn');
    b.type = 'button';
    b.dataset.score = String(n);
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', 'false');
    b.append(el('b', String(n)), el('small', scoreLabel(n)));
    b.onclick = () => select(n);
    scores.append(b);
  }
  $('submit').onclick = submit;
  $('undo').onclick = () => void undo();
  $('skip').onclick = () => ($('skip-form').hidden = !$('skip-form').hidden);
  $('skip-cancel').onclick = () => ($('skip-form').hidden = true);
  $('skip-form').onsubmit = (e) => {
    e.preventDefault();
    const note = ($('skip-note') as HTMLInputElement).value.trim();
    const code = ($('skip-reason') as HTMLSelectElement).value;
    ($('skip-note') as HTMLInputElement).value = '';
    void skip(note ? `${code}: ${note}` : code);
  };
  $('guide-toggle').onclick = toggleGuide;
  $('error-retry').onclick = runRetry;
  $('reload').onclick = () => {
    s.exhausted = false;
    renderTask();
    void prefetch();
  };
  $('rubric-edit-btn').onclick = () => {
    ($('rubric-text') as HTMLTextAreaElement).value = s.rubric.text;
    $('rubric-edit').hidden = false;
    $('rubric').hidden = true;
  };
  $('rubric-cancel').onclick = () => {
    $('rubric-edit').hidden = true;
    $('rubric').hidden = false;
  };
  $('rubric-save').onclick = () => void saveRubric();
  ($('blind-mode') as HTMLInputElement).onchange = (e) => void setBlind((e.target as HTMLInputElement).checked);
  $('lang').onclick = () => switchLang(getLang() === 'en' ? 'ja' : 'en');
  document.addEventListener('keydown', onKey);
  window.addEventListener('online', () => void outbox.flush());
}

async function boot(): Promise<void> {
  const r = await callServer<SidebarState>('loadSidebarState', BATCH);
  $('app').setAttribute('aria-busy', 'false');
  if (!r.ok) {
    $('loading').hidden = true;
    showError(r.error, () => {
      $('loading').hidden = false;
      void boot();
    });
    return;
  }
  clearError();
  s.settings = r.data.settings;
  s.rubric = r.data.rubric;
  s.stats = r.data.stats;
  accept(r.data.batch);
  if (s.queueSize == null) s.queueSize = r.data.stats.queue_size;
  renderGuide();
  advance();
}

function switchLang(l: 'ja' | 'en'): void {
  setLang(l);
  try {
    store.setItem(LANG_KEY, l);
  } catch {}
  applyStaticText(document);
  $('lang').textContent = l === 'en' ? '日本語' : 'EN';
  renderTask();
  renderGuide();
  renderOutbox();
}

setLang(detectLang(location.search, store.getItem(LANG_KEY)));
applyStaticText(document);
$('lang').textContent = getLang() === 'en' ? '日本語' : 'EN';
wire();
renderOutbox();
void outbox.flush();
void boot();
