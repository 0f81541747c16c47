/**
 * Annotator statistics, pure. Bias against consensus is leave-one-out: an annotator's score
 * minus the mean of the OTHER annotators' scores of the same profile, so an annotator never
 * agrees with themselves. Agreement is over pairs of different annotators on one profile.
 */
import type { AnnotationFact } from './store.ts';

export interface AnnotatorStats {
  annotator: string;
  count: number;
  today_count: number;
  /** Profiles this annotator shares with at least one other annotator. */
  overlaps: number;
  /** Mean (own score − others' mean) on shared profiles; null without overlaps. */
  bias: number | null;
  /** Share of pairs with another annotator giving exactly the same score. */
  agreement: number | null;
  /** Share of pairs differing by at most one point. */
  agreement_within_1: number | null;
  mean_score: number | null;
}

export interface AgreementSummary {
  profiles_with_overlap: number;
  pairs: number;
  agreement: number | null;
  agreement_within_1: number | null;
  mean_abs_diff: number | null;
}

/** The calendar date of an instant in a time zone, as YYYY-MM-DD. */
export function localDay(iso: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

export function annotatorStats(facts: readonly AnnotationFact[], now: Date, timeZone: string): { annotators: AnnotatorStats[]; overall: AgreementSummary } {
  const today = localDay(now, timeZone);
  // Latest score of each annotator per profile (re-annotation after a change replaces it).
  const byProfile = new Map<string, Map<string, AnnotationFact>>();
  for (const f of facts) {
    const m = byProfile.get(f.freelancer_id) ?? new Map<string, AnnotationFact>();
    const prev = m.get(f.annotator);
    if (!prev || prev.created_at < f.created_at) m.set(f.annotator, f);
    byProfile.set(f.freelancer_id, m);
  }
  const acc = new Map<string, { count: number; today: number; sum: number; biasSum: number; overlaps: number; pairs: number; exact: number; within1: number }>();
  const get = (a: string) => {
    let s = acc.get(a);
    if (!s) acc.set(a, (s = { count: 0, today: 0, sum: 0, biasSum: 0, overlaps: 0, pairs: 0, exact: 0, within1: 0 }));
    return s;
  };
  for (const f of facts) {
    const s = get(f.annotator);
    s.count++;
    s.sum += f.score;
    if (localDay(f.created_at, timeZone) === today) s.today++;
  }
  const overall = { profiles: 0, pairs: 0, exact: 0, within1: 0, absSum: 0 };
  for (const m of byProfile.values()) {
    if (m.size < 2) continue;
    overall.profiles++;
    const list = [...m.values()];
    const total = list.reduce((t, f) => t + f.score, 0);
    for (const f of list) {
      const s = get(f.annotator);
      s.overlaps++;
      s.biasSum += f.score - (total - f.score) / (list.length - 1);
      for (const g of list) {
        if (g === f) continue;
        s.pairs++;
        if (g.score === f.score) s.exact++;
        if (Math.abs(g.score - f.score) <= 1) s.within1++;
      }
    }
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const d = Math.abs(list[i].score - list[j].score);
        overall.pairs++;
        overall.absSum += d;
        if (d === 0) overall.exact++;
        if (d <= 1) overall.within1++;
      }
  }
  const annotators = [...acc.entries()]
    .map(([annotator, s]) => ({
      annotator,
      count: s.count,
      today_count: s.today,
      overlaps: s.overlaps,
      bias: s.overlaps ? s.biasSum / s.overlaps : null,
      agreement: s.pairs ? s.exact / s.pairs : null,
      agreement_within_1: s.pairs ? s.within1 / s.pairs : null,
      mean_score: s.count ? s.sum / s.count : null,
    }))
    .sort((a, b) => b.count - a.count || a.annotator.localeCompare(b.annotator));
  return {
    annotators,
    overall: {
      profiles_with_overlap: overall.profiles,
      pairs: overall.pairs,
      agreement: overall.pairs ? overall.exact / overall.pairs : null,
      agreement_within_1: overall.pairs ? overall.within1 / overall.pairs : null,
      mean_abs_diff: overall.pairs ? overall.absSum / overall.pairs : null,
    },
  };
}
