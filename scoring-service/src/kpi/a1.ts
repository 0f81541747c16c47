/** A1 notation helpers (0-based indices in, 1-based A1 out). Pure. */
export function columnLetter(col: number): string {
  let n = col + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** `'Sheet name'!B2:B31`; names are always quoted, as Sheets and Excel both accept. */
export function a1Range(sheet: string, row0: number, col0: number, row1: number, col1: number): string {
  return `'${sheet.replace(/'/g, "''")}'!${columnLetter(col0)}${row0 + 1}:${columnLetter(col1)}${row1 + 1}`;
}

/** A range inside its own sheet: `B2:D9`. */
export function a1Local(row0: number, col0: number, row1: number, col1: number): string {
  return `${columnLetter(col0)}${row0 + 1}:${columnLetter(col1)}${row1 + 1}`;
}
