/**
 * Buffers rows per table and appends them in batches, keeping one append per table in
 * flight: the warehouse loads a batch (on its own threads) while the generator builds
 * the next. Memory stays at about two batches per table.
 */
import type { Row, TableDef } from '../domain/table.ts';
import type { Warehouse } from '../warehouse/port.ts';

export class BatchWriter {
  private readonly buffers = new Map<TableDef, Row[]>();
  private readonly pending = new Map<TableDef, Promise<void>>();
  private failure: unknown = null;
  readonly written = new Map<string, number>();

  constructor(private readonly w: Warehouse, private readonly batchSize: number) {}

  async push(table: TableDef, row: Row): Promise<void> {
    let buf = this.buffers.get(table);
    if (!buf) this.buffers.set(table, (buf = []));
    buf.push(row);
    if (buf.length >= this.batchSize) await this.flush(table);
  }

  /** Starts appending the table's buffer once the previous append of that table has finished. */
  async flush(table: TableDef): Promise<void> {
    const rows = this.buffers.get(table) ?? [];
    this.buffers.set(table, []);
    await this.pending.get(table);
    if (this.failure) throw this.failure;
    if (!rows.length) return;
    this.written.set(table.name, (this.written.get(table.name) ?? 0) + rows.length);
    // The rejection is kept and rethrown on the next call, so it is never unhandled.
    this.pending.set(table, this.w.append(table, rows).then(() => undefined, (e) => { this.failure = e; }));
  }

  async close(): Promise<void> {
    for (const t of [...this.buffers.keys()]) await this.flush(t);
    await Promise.all(this.pending.values());
    if (this.failure) throw this.failure;
  }
}
