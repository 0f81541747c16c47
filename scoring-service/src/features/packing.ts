/**
 * Stored feature vectors (the feature store's FLOAT64[] `vector` column): sparse, as
 * [length, index × nonzeros, value × nonzeros]. Float64 throughout, so a stored vector
 * scores bit for bit like a freshly computed one, and DuckDB hands a batch of them back
 * as one flat double array (Warehouse.streamColumns) instead of a string per row.
 */
export function packList(x: ArrayLike<number>): number[] {
  let nnz = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) nnz++;
  const out = new Array<number>(1 + 2 * nnz);
  out[0] = x.length;
  for (let i = 0, k = 0; i < x.length; i++) {
    if (x[i] !== 0) {
      out[1 + k] = i;
      out[1 + nnz + k++] = x[i];
    }
  }
  return out;
}

/**
 * Decodes values[start, end) (a packList) into `out`, zero-filled first. False when the
 * stored length differs from out's or the list is malformed.
 */
export function unpackListInto(values: ArrayLike<number>, start: number, end: number, out: Float64Array): boolean {
  const len = end - start;
  if (len < 1 || len % 2 !== 1 || values[start] !== out.length) return false;
  const nnz = (len - 1) / 2;
  out.fill(0);
  const iv = start + 1;
  const vv = iv + nnz;
  for (let k = 0; k < nnz; k++) {
    const i = values[iv + k];
    if (!(i >= 0 && i < out.length)) return false;
    out[i] = values[vv + k];
  }
  return true;
}

/**
 * The earlier stored form (kept to convert feature stores written by earlier versions):
 * a feature vector as one compact string: base64 of
 * [u32 length, u32 nonzeros, u32 index × nonzeros, (u32 pad), f64 value × nonzeros].
 * Sparse because occupation × skill interactions are mostly zero; float64 so the stored
 * vector scores exactly as a freshly computed one.
 */
export function packVector(x: ArrayLike<number>): string {
  let nnz = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) nnz++;
  const idxWords = 2 + nnz + ((2 + nnz) % 2);
  const buf = new ArrayBuffer(idxWords * 4 + nnz * 8);
  const u = new Uint32Array(buf, 0, idxWords);
  const v = new Float64Array(buf, idxWords * 4, nnz);
  u[0] = x.length;
  u[1] = nnz;
  for (let i = 0, k = 0; i < x.length; i++) {
    if (x[i] !== 0) {
      u[2 + k] = i;
      v[k++] = x[i];
    }
  }
  return Buffer.from(buf).toString('base64');
}

/** Decodes into `out` (zero-filled first); returns false when the packed length differs from out's. */
export function unpackInto(packed: string, out: Float64Array): boolean {
  const b = Buffer.from(packed, 'base64');
  // Copy to an aligned buffer: Buffer slices may start at any byte offset.
  const ab = new ArrayBuffer(b.length);
  new Uint8Array(ab).set(b);
  const u = new Uint32Array(ab, 0, 2);
  if (u[0] !== out.length) return false;
  const nnz = u[1];
  const idxWords = 2 + nnz + ((2 + nnz) % 2);
  const idx = new Uint32Array(ab, 8, nnz);
  const v = new Float64Array(ab, idxWords * 4, nnz);
  out.fill(0);
  for (let k = 0; k < nnz; k++) out[idx[k]] = v[k];
  return true;
}
