/**
 * Submissions waiting for the service's acknowledgement, persisted (localStorage) so a closed
 * sidebar, a lost network or a failing service never loses one. Each keeps its
 * client_request_id for every retry, so the service stores it exactly once.
 */
import type { ClientError, Result } from '../../appsscript/src/annotation/http-client.ts';
import type { Submission } from '../../appsscript/src/annotation/types.ts';

export interface OutboxItem extends Submission {
  queued_at: string;
  attempts: number;
  /** Set when the service refused it (4xx): kept, shown, and sent again only on request. */
  failed?: ClientError;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface OutboxDeps {
  store: KeyValueStore;
  send: (s: Submission) => Promise<Result<unknown>>;
  schedule: (fn: () => void, ms: number) => void;
  onChange?: (o: Outbox) => void;
  onAcknowledged?: (item: OutboxItem) => void;
  now?: () => Date;
  key?: string;
}

export const OUTBOX_KEY = 'workship.annotation.outbox.v1';
const MAX_DELAY_MS = 30_000;

export class Outbox {
  private list: OutboxItem[];
  private flushing: Promise<void> | null = null;
  private retryScheduled = false;
  inFlight: string | null = null;
  lastError: ClientError | null = null;

  constructor(private deps: OutboxDeps) {
    this.list = this.load();
  }

  private get key(): string {
    return this.deps.key ?? OUTBOX_KEY;
  }

  private load(): OutboxItem[] {
    try {
      const v = JSON.parse(this.deps.store.getItem(this.key) ?? '[]') as OutboxItem[];
      return Array.isArray(v) ? v.filter((i) => i && typeof i.client_request_id === 'string') : [];
    } catch {
      return [];
    }
  }

  private save(): void {
    try {
      this.deps.store.setItem(this.key, JSON.stringify(this.list));
    } catch {
      // Storage full or blocked: the in-memory list still holds it until acknowledged.
    }
    this.deps.onChange?.(this);
  }

  items(): OutboxItem[] {
    return this.list.slice();
  }

  pending(): number {
    return this.list.filter((i) => !i.failed).length;
  }

  failed(): OutboxItem[] {
    return this.list.filter((i) => i.failed);
  }

  has(id: string): boolean {
    return this.list.some((i) => i.client_request_id === id);
  }

  add(s: Submission): OutboxItem {
    const existing = this.list.find((i) => i.client_request_id === s.client_request_id);
    if (existing) return existing;
    const item: OutboxItem = { ...s, queued_at: (this.deps.now?.() ?? new Date()).toISOString(), attempts: 0 };
    this.list.push(item);
    this.save();
    return item;
  }

  /** Drops an item not yet sent (undo before the service saw it). False while it is in flight or gone. */
  remove(id: string): boolean {
    if (this.inFlight === id) return false;
    const before = this.list.length;
    this.list = this.list.filter((i) => i.client_request_id !== id);
    if (this.list.length === before) return false;
    this.save();
    return true;
  }

  /** Marks refused items for another try and flushes. */
  retryFailed(): Promise<void> {
    for (const i of this.list) delete i.failed;
    this.save();
    return this.flush();
  }

  /** Resolves when the current flush ends (immediately when idle). */
  idle(): Promise<void> {
    return this.flushing ?? Promise.resolve();
  }

  /** Sends waiting items one at a time, oldest first. One flush runs at a time. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.run().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  private async run(): Promise<void> {
    for (;;) {
      const item = this.list.find((i) => !i.failed);
      if (!item) return;
      this.inFlight = item.client_request_id;
      this.deps.onChange?.(this);
      let r: Result<unknown>;
      try {
        r = await this.deps.send(stripMeta(item));
      } catch (e) {
        r = { ok: false, error: { code: 'network', status: 0, message: 'ネットワークに接続できませんでした。', message_en: String(e), retryable: true } };
      }
      this.inFlight = null;
      if (r.ok) {
        this.list = this.list.filter((i) => i.client_request_id !== item.client_request_id);
        this.lastError = null;
        this.save();
        this.deps.onAcknowledged?.(item);
        continue;
      }
      item.attempts += 1;
      this.lastError = r.error;
      if (!r.error.retryable) {
        item.failed = r.error;
        this.save();
        continue;
      }
      this.save();
      this.scheduleRetry(Math.min(1000 * 2 ** (item.attempts - 1), MAX_DELAY_MS));
      return;
    }
  }

  private scheduleRetry(ms: number): void {
    if (this.retryScheduled) return;
    this.retryScheduled = true;
    this.deps.schedule(() => {
      this.retryScheduled = false;
      void this.flush();
    }, ms);
  }
}

function stripMeta(i: OutboxItem): Submission {
  return { lease_id: i.lease_id, freelancer_id: i.freelancer_id, score: i.score, comment: i.comment, rubric_version: i.rubric_version, client_request_id: i.client_request_id };
}

/** localStorage when the sandbox allows it, else memory (the sidebar still works, without persistence). */
export function browserStore(): KeyValueStore {
  try {
    const ls = globalThis.localStorage;
    const probe = '__workship_probe__';
    ls.setItem(probe, '1');
    ls.removeItem(probe);
    return ls;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
  }
}
