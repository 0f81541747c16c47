/**
 * The bytes of many small responses keyed by id, laid out for reads that land on a random id
 * each time: records packed back to back into a few large Buffers (an arena), found through
 * an open-addressing hash table held in one Uint32Array.
 *
 * A read touches two places in memory: the table entry (hash tag, chunk, start, end, side by
 * side) and the record (the id's bytes, checked, then the body). A `Map<string, …>` plus a
 * Buffer per entry touches five or more — Map bucket, Map entry, key string, Buffer object,
 * bytes — each a likely cache and TLB miss once the table outgrows the CPU caches, which is
 * most of what a score read costs beyond `/healthz` (bench/online.ts). The garbage collector
 * sees a few dozen objects instead of one per entry.
 *
 * Record: [id length: u16 LE][id: UTF-8][body]. Ids over 65,535 bytes are not kept.
 */

import { fmix32, seedFromString } from '../stats/rng.ts';

/** Size of one arena chunk; a record larger than this gets a chunk of its own. */
const CHUNK_BYTES = 256 * 1024;
/** Table entry: [hash tag, chunk + 1 (0 = empty), record start, record end]. */
const STRIDE = 4;
const MAX_ID_BYTES = 0xffff;

/** 32-bit FNV-1a over UTF-16 code units, finished with murmur3's avalanche. */
export function idHash(id: string): number {
  return fmix32(seedFromString(id));
}

function isAscii(id: string): boolean {
  for (let k = 0; k < id.length; k++) if (id.charCodeAt(k) > 0x7f) return false;
  return true;
}

/** Whether the record at `start` holds the ASCII id `id` (its UTF-8 is its code units). */
function sameAscii(c: Buffer, start: number, id: string): boolean {
  if (c.readUInt16LE(start) !== id.length) return false;
  const at = start + 2;
  for (let k = 0; k < id.length; k++) if (c[at + k] !== id.charCodeAt(k)) return false;
  return true;
}

export class ScoreArena {
  private chunks: Buffer[] = [];
  private used = CHUNK_BYTES;
  private table: Uint32Array;
  private mask: number;
  private scratch = Buffer.alloc(256);
  /** Entries kept. */
  size = 0;
  /** Bytes held: records plus table. */
  bytes = 0;

  constructor(capacity = 1024) {
    const cap = 2 ** Math.ceil(Math.log2(Math.max(16, capacity)));
    this.table = new Uint32Array(cap * STRIDE);
    this.mask = cap - 1;
    this.bytes = this.table.byteLength;
  }

  /** The body kept for `id`, as a view of the arena; undefined when not kept. */
  get(id: string): Buffer | undefined {
    const h = idHash(id);
    const t = this.table;
    let i = h & this.mask;
    let len = -1;
    let ascii: boolean | undefined;
    for (;;) {
      const e = i * STRIDE;
      const chunk1 = t[e + 1];
      if (chunk1 === 0) return undefined;
      if (t[e] === h) {
        const c = this.chunks[chunk1 - 1];
        const start = t[e + 2];
        if (ascii === undefined) ascii = isAscii(id);
        if (ascii) {
          if (sameAscii(c, start, id)) return c.subarray(start + 2 + id.length, t[e + 3]);
        } else {
          if (len < 0) len = this.encode(id);
          if (this.sameId(c, start, len)) return c.subarray(start + 2 + len, t[e + 3]);
        }
      }
      i = (i + 1) & this.mask;
    }
  }

  /**
   * Keeps `body` for `id` (which must not be kept yet) and returns the kept bytes; an id too
   * long to keep gets its body back unkept. `bodyBytes` is the body's UTF-8 length, when known.
   */
  put(id: string, body: string, bodyBytes = Buffer.byteLength(body)): Buffer {
    const idBytes = Buffer.byteLength(id);
    if (idBytes > MAX_ID_BYTES) return Buffer.from(body);
    const need = 2 + idBytes + bodyBytes;
    if (this.used + need > CHUNK_BYTES) {
      this.chunks.push(Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, need)));
      this.used = 0;
    }
    const chunk = this.chunks.length - 1;
    const c = this.chunks[chunk];
    const start = this.used;
    c.writeUInt16LE(idBytes, start);
    c.write(id, start + 2);
    c.write(body, start + 2 + idBytes);
    this.used = start + need;
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    this.insert(idHash(id), chunk + 1, start, start + need);
    this.size++;
    this.bytes += need + 2 * STRIDE * 4;
    return c.subarray(start + 2 + idBytes, start + need);
  }

  private insert(h: number, chunk1: number, start: number, end: number): void {
    const t = this.table;
    let i = h & this.mask;
    while (t[i * STRIDE + 1] !== 0) i = (i + 1) & this.mask;
    const e = i * STRIDE;
    t[e] = h;
    t[e + 1] = chunk1;
    t[e + 2] = start;
    t[e + 3] = end;
  }

  /** Doubles the table; entries move by their stored hash, so no id is read again. */
  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    this.bytes += old.byteLength;
    for (let e = 0; e < old.length; e += STRIDE) if (old[e + 1] !== 0) this.insert(old[e], old[e + 1], old[e + 2], old[e + 3]);
  }

  /** UTF-8 of `id` into the scratch buffer; returns its length. */
  private encode(id: string): number {
    if (id.length * 3 > this.scratch.length) this.scratch = Buffer.alloc(id.length * 3);
    return this.scratch.write(id);
  }

  private sameId(c: Buffer, start: number, len: number): boolean {
    if (c.readUInt16LE(start) !== len) return false;
    const s = this.scratch;
    const at = start + 2;
    for (let k = 0; k < len; k++) if (c[at + k] !== s[k]) return false;
    return true;
  }
}
