/**
 * Who may be served what, pure. Regular candidates: nobody holds a lease on them, and nobody
 * annotated them yet or the profile changed since its last annotation. Double-annotation
 * candidates: someone else scored or holds them, and fewer than two people have. Never a
 * profile the annotator scored, skipped or holds already.
 */
import type { AnnotationFact } from './store.ts';

export interface Eligibility {
  regular: { id: string; occupation: string }[];
  double: { id: string; occupation: string }[];
  /** Annotated before and updated since its latest annotation. */
  changed: Set<string>;
  occupationCounts: Map<string, number>;
}

export function eligibility(
  annotator: string,
  heads: readonly { id: string; occupation: string; updated_at: string }[],
  facts: readonly AnnotationFact[],
  leases: readonly { freelancer_id: string; annotator: string }[],
  skipped: readonly string[],
): Eligibility {
  const occupationOf = new Map(heads.map((h) => [h.id, h.occupation]));
  const mine = new Set<string>(skipped);
  const annotatedBy = new Map<string, Set<string>>();
  const lastAnnotated = new Map<string, string>();
  const occupationCounts = new Map<string, number>();
  for (const f of facts) {
    if (f.annotator === annotator) mine.add(f.freelancer_id);
    const s = annotatedBy.get(f.freelancer_id) ?? new Set<string>();
    s.add(f.annotator);
    annotatedBy.set(f.freelancer_id, s);
    if ((lastAnnotated.get(f.freelancer_id) ?? '') < f.created_at) lastAnnotated.set(f.freelancer_id, f.created_at);
    const occ = occupationOf.get(f.freelancer_id);
    if (occ !== undefined) occupationCounts.set(occ, (occupationCounts.get(occ) ?? 0) + 1);
  }
  const leasedBy = new Map<string, Set<string>>();
  for (const l of leases) {
    const s = leasedBy.get(l.freelancer_id) ?? new Set<string>();
    s.add(l.annotator);
    leasedBy.set(l.freelancer_id, s);
  }
  const changed = new Set<string>();
  const regular: { id: string; occupation: string }[] = [];
  const double: { id: string; occupation: string }[] = [];
  for (const h of heads) {
    if (mine.has(h.id) || leasedBy.get(h.id)?.has(annotator)) continue;
    const by = annotatedBy.get(h.id);
    const last = lastAnnotated.get(h.id);
    if (last && Date.parse(h.updated_at) > Date.parse(last)) changed.add(h.id);
    const leased = leasedBy.get(h.id);
    if (!leased && (!by || changed.has(h.id))) regular.push(h);
    // Double annotation: someone else scored it or holds it, and fewer than two people have.
    else if ((by?.size ?? 0) + (leased?.size ?? 0) < 2) double.push(h);
  }
  return { regular, double, changed, occupationCounts };
}
