/**
 * The targeting list: every unit ranked by predicted uplift, best first, with the four
 * classic segments (persuadables, sure things, lost causes, sleeping dogs) so the next
 * measure can aim at the persuadables and spare the sleeping dogs.
 */
export type Segment = 'persuadable' | 'sure_thing' | 'lost_cause' | 'sleeping_dog';

export interface TargetRow {
  unit_id: string;
  rank: number;
  uplift: number;
  p_treatment: number;
  p_control: number;
  p_convert: number;
  segment: Segment;
}

export const SEGMENT_LABELS: Record<Segment, { ja: string; en: string }> = {
  persuadable: { ja: '説得可能 (施策で転換)', en: 'persuadable' },
  sure_thing: { ja: '鉄板 (施策なしでも転換)', en: 'sure thing' },
  lost_cause: { ja: '無関心 (施策でも転換しない)', en: 'lost cause' },
  sleeping_dog: { ja: '天邪鬼 (施策で逆効果)', en: 'sleeping dog' },
};

export function rankTargets(
  ids: string[],
  pred: { uplift: number[]; pTreatment: number[]; pControl: number[]; pConvert: number[] },
  o: { threshold?: number } = {},
): TargetRow[] {
  const threshold = o.threshold ?? 0.01;
  const sortedControl = [...pred.pControl].sort((a, b) => a - b);
  const medianControl = sortedControl.length ? sortedControl[Math.floor(sortedControl.length / 2)] : 0;
  const order = ids.map((_, i) => i).sort((a, b) => pred.uplift[b] - pred.uplift[a] || (ids[a] < ids[b] ? -1 : 1));
  return order.map((i, r) => {
    const u = pred.uplift[i];
    const segment: Segment = u >= threshold ? 'persuadable' : u <= -threshold ? 'sleeping_dog' : pred.pControl[i] >= medianControl ? 'sure_thing' : 'lost_cause';
    return { unit_id: ids[i], rank: r + 1, uplift: u, p_treatment: pred.pTreatment[i], p_control: pred.pControl[i], p_convert: pred.pConvert[i], segment };
  });
}

export function targetsCsv(rows: TargetRow[]): string {
  const head = 'rank,unit_id,segment,uplift,p_treatment,p_control,p_convert';
  const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [head, ...rows.map((r) => [r.rank, esc(r.unit_id), r.segment, r.uplift.toFixed(6), r.p_treatment.toFixed(6), r.p_control.toFixed(6), r.p_convert.toFixed(6)].join(','))].join('\n') + '\n';
}
