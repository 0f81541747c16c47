/**
 * The 実験 (experiment) sheet as data: one grid of cells with values, number formats and
 * emphasis, built from the service's results and targeting list. Pure, so Node tests
 * check exactly what the sheet will show; globals.ts only draws it.
 */
import type { SheetResults, SheetUplift } from './types.ts';

export const EXPERIMENT_SHEET = '実験';

export interface XCell {
  v: string | number;
  format?: string;
  bold?: boolean;
  bg?: string;
  color?: string;
}

export interface ExperimentSheetLayout {
  name: string;
  rows: XCell[][];
  columnWidths: number[];
  frozenRows: number;
}

const PCT = '0.00%';
const RED = '#fdecea';
const AMBER = '#fff4e5';
const HEAD = '#f1f3f4';
const SEGMENTS: Record<string, string> = { persuadable: '説得可能', sure_thing: '鉄板', lost_cause: '無関心', sleeping_dog: '天邪鬼' };

const c = (v: string | number | null | undefined, o: Omit<XCell, 'v'> = {}): XCell => ({ v: v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '' : v, ...o });
const head = (labels: string[]): XCell[] => labels.map((l) => c(l, { bold: true, bg: HEAD }));

export function experimentSheetLayout(r: SheetResults, uplift: SheetUplift | null, o: { maxTargets?: number } = {}): ExperimentSheetLayout {
  const e = r.experiment;
  const s = r.stats;
  const rows: XCell[][] = [];
  rows.push([c(`実験: ${e.name}`, { bold: true }), c(e.id), c(`状態 ${e.status}`), c(`目標指標 ${e.goal_metric}`), c(`更新 ${r.generated_at}`)]);
  rows.push([c('仮説'), c(e.hypothesis ?? '')]);
  rows.push([c('期間'), c(r.window.start), c(r.window.end), c(r.cuped ? 'CUPED 補正あり' : 'CUPED なし')]);
  for (const w of s.warnings) rows.push([c('⚠ 警告', { bold: true, bg: w.code === 'srm' ? RED : AMBER }), c(w.message_ja, { bg: w.code === 'srm' ? RED : AMBER })]);
  rows.push([]);
  rows.push([c('サンプル比 (SRM)', { bold: true }), c('χ²'), c(s.srm.chi_square, { format: '0.000' }), c('p 値'), c(s.srm.p_value, { format: '0.0000' }), c(s.srm.alarm ? 'SRM の疑い (p < 0.001)' : '問題なし', { bold: s.srm.alarm, bg: s.srm.alarm ? RED : undefined })]);
  rows.push([]);
  for (const m of s.metrics) {
    rows.push([c(`${m.name}${m.goal ? '（目標指標）' : '（副指標）'}`, { bold: true })]);
    rows.push(head(['アーム', 'ユニット数', 'CV 数', 'CV 率', '差 (絶対)', '95% 下限', '95% 上限', '差 (相対)', '95% 下限', '95% 上限', 'p 値', '補正後 p (BH)', '勝率', '期待損失']));
    m.arms.forEach((a, i) => {
      const v = i ? m.variants[i - 1] : null;
      const eff = v?.cuped ?? v;
      const mark = v?.significant ? { bold: true, color: v.absolute.estimate > 0 ? '#1b7f3b' : '#b3261e' } : {};
      rows.push([
        c(i ? a.arm : `${a.arm}（対照）`),
        c(a.units, { format: '#,##0' }),
        c(a.conversions, { format: '#,##0' }),
        c(a.rate, { format: PCT }),
        c(eff?.absolute.estimate, { format: PCT, ...mark }),
        c(eff?.absolute.lower, { format: PCT }),
        c(eff?.absolute.upper, { format: PCT }),
        c(v?.relative?.estimate, { format: '0.0%', ...mark }),
        c(v?.relative?.lower, { format: '0.0%' }),
        c(v?.relative?.upper, { format: '0.0%' }),
        c(eff?.p_value, { format: '0.0000' }),
        c(v?.p_adjusted, { format: '0.0000' }),
        c(v?.chance_to_beat_control, { format: '0.0%' }),
        c(v?.expected_loss, { format: '0.000%' }),
      ]);
    });
    rows.push([]);
  }
  if (uplift && uplift.items.length) {
    const items = uplift.items.slice(0, o.maxTargets ?? 500);
    rows.push([c('ターゲティングリスト (uplift 順)', { bold: true }), c(uplift.run_id ?? ''), c(`${items.length} 件`)]);
    rows.push(head(['順位', 'ユニット', 'セグメント', '予測 uplift', 'P(CV | 施策)', 'P(CV | 対照)', 'P(CV) 予測']));
    for (const t of items)
      rows.push([c(t.rank), c(t.unit_id), c(SEGMENTS[t.segment] ?? t.segment, t.segment === 'persuadable' ? { bold: true } : {}), c(t.uplift, { format: PCT }), c(t.p_treatment, { format: PCT }), c(t.p_control, { format: PCT }), c(t.p_convert, { format: PCT })]);
  } else rows.push([c('ターゲティングリスト: まだ uplift を学習していません（CLI: experiment uplift ID）')]);
  return { name: EXPERIMENT_SHEET, rows, columnWidths: [200, 120, 110, 100, 100, 90, 90, 100, 90, 90, 90, 110, 80, 90], frozenRows: 1 };
}

/** Rectangular value/format grids for Range.setValues and friends. */
export function toGrids(l: ExperimentSheetLayout) {
  const width = Math.max(1, ...l.rows.map((r) => r.length));
  const pad = <T>(row: XCell[], pick: (x: XCell | undefined) => T): T[] => Array.from({ length: width }, (_, i) => pick(row[i]));
  const rows = l.rows.length ? l.rows : [[]];
  return {
    width,
    height: rows.length,
    values: rows.map((r) => pad(r, (x) => x?.v ?? '')),
    formats: rows.map((r) => pad(r, (x) => x?.format ?? 'General')),
    weights: rows.map((r) => pad(r, (x) => (x?.bold ? 'bold' : 'normal'))),
    backgrounds: rows.map((r) => pad(r, (x) => x?.bg ?? null)),
    colors: rows.map((r) => pad(r, (x) => x?.color ?? null)),
  };
}
