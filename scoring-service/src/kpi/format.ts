/** Text of a cell under its number format, for renderers without a spreadsheet engine. Pure. */
import type { Cell } from './layout-types.ts';

const grouped = (n: number, digits: number) => {
  const s = Math.abs(n).toFixed(digits);
  const [int, frac] = s.split('.');
  return (n < 0 ? '-' : '') + int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? '.' + frac : '');
};

export function formatValue(v: Cell['v'], format?: string): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') return v;
  switch (format) {
    case '#,##0':
      return grouped(Math.round(v), 0);
    case '0.0%':
      return `${(v * 100).toFixed(1)}%`;
    case '+0.0%;-0.0%;0.0%': {
      const p = (v * 100).toFixed(1);
      return v > 0 && Number(p) !== 0 ? `+${p}%` : `${p}%`;
    }
    case '0.00':
      return v.toFixed(2);
    default:
      return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6)));
  }
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A sparkline as text (for .xlsx, which cannot hold Sheets' SPARKLINE). */
export function sparkText(values: number[]): string {
  if (!values.length) return '';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return values.map((x) => BLOCKS[hi === lo ? 3 : Math.round(((x - lo) / (hi - lo)) * (BLOCKS.length - 1))]).join('');
}
