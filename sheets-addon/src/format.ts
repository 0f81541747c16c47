/** Japanese display formatting of profile values (pure; tested in Node). */

export function yen(n: number | null | undefined): string {
  return n == null ? '—' : `¥${Math.round(n).toLocaleString('ja-JP')}`;
}

export function percent(v: number | null | undefined): string {
  return v == null ? '—' : `${Math.round(v * 100)}%`;
}

/** Percentiles arrive either as 0–1 or 0–100; "上位 N%" reads better to recruiters. */
export function topShare(percentile: number | null | undefined): string {
  if (percentile == null || !Number.isFinite(percentile)) return '—';
  const p = percentile <= 1 ? percentile * 100 : percentile;
  return `上位 ${Math.max(1, Math.round(100 - p))}%`;
}

export function daysAgo(days: number | null | undefined): string {
  if (days == null) return 'なし';
  if (days <= 0) return '今日';
  return `${days}日前`;
}

/** Self-introductions keep their paragraphs: blank lines split paragraphs, single newlines stay. */
export function paragraphs(text: string | null | undefined): string[] {
  return (text ?? '')
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Only http(s) links are rendered as links (a profile could hold `javascript:`). */
export function safeUrl(raw: string): string | null {
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

export const SCORE_LABELS: Record<number, string> = { 1: '要改善', 2: 'やや弱い', 3: '標準', 4: '良い', 5: 'とても良い' };

export function signed(n: number, digits = 2): string {
  return `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(digits)}`;
}

/** A minimal rubric renderer: `# ` headings, `- ` bullets, blank-line paragraphs. Returns blocks, not HTML. */
export type RubricBlock = { kind: 'h'; text: string } | { kind: 'p'; text: string } | { kind: 'ul'; items: string[] };

export function rubricBlocks(text: string): RubricBlock[] {
  const blocks: RubricBlock[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: 'p', text: para.join('\n') });
    para = [];
  };
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    const li = /^\s*[-*・]\s+(.*)$/.exec(line);
    if (h) {
      flush();
      blocks.push({ kind: 'h', text: h[1] });
    } else if (li) {
      flush();
      const last = blocks[blocks.length - 1];
      if (last?.kind === 'ul') last.items.push(li[1]);
      else blocks.push({ kind: 'ul', items: [li[1]] });
    } else if (!line.trim()) flush();
    else para.push(line.trim());
  }
  flush();
  return blocks;
}
