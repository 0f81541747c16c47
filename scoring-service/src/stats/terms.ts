/** Term frequencies of comments, split by score band: the "what do annotators talk about" table. */

export interface TermCount {
  term: string;
  count: number;
  /** Share of the band's comments that contain the term. */
  docShare: number;
}

export function topTerms(docs: string[][], limit = 15): TermCount[] {
  const count = new Map<string, number>();
  const docCount = new Map<string, number>();
  for (const d of docs) {
    for (const t of d) count.set(t, (count.get(t) ?? 0) + 1);
    for (const t of new Set(d)) docCount.set(t, (docCount.get(t) ?? 0) + 1);
  }
  return [...count.entries()]
    .map(([term, c]) => ({ term, count: c, docShare: (docCount.get(term) ?? 0) / (docs.length || 1) }))
    .sort((a, b) => b.count - a.count || a.term.localeCompare(b.term))
    .slice(0, limit);
}

export function termsByBand(comments: { tokens: string[]; score: number }[], o: { lowMax?: number; highMin?: number; limit?: number } = {}) {
  const lowMax = o.lowMax ?? 2;
  const highMin = o.highMin ?? 4;
  const low = comments.filter((c) => c.score <= lowMax).map((c) => c.tokens);
  const high = comments.filter((c) => c.score >= highMin).map((c) => c.tokens);
  return { low: topTerms(low, o.limit), high: topTerms(high, o.limit), lowDocs: low.length, highDocs: high.length };
}
