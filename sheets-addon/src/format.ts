/** Display formatting of profile values, Japanese first (pure; tested in Node). */
import { tr } from './i18n.ts';

export function yen(n: number | null | undefined): string {
  return n == null ? '—' : `¥${Math.round(n).toLocaleString('ja-JP')}`;
}

export function percent(v: number | null | undefined): string {
  return v == null ? '—' : `${Math.round(v * 100)}%`;
}

/** Percentiles are 0–100 (the scores API's contract); "上位 N%" reads better to recruiters. */
export function topShare(percentile: number | null | undefined): string {
  if (percentile == null || !Number.isFinite(percentile)) return '—';
  const p = Math.min(100, Math.max(0, percentile));
  const top = Math.max(1, Math.round(100 - p));
  return tr(`上位 ${top}%`, `top ${top}%`);
}

export function daysAgo(days: number | null | undefined): string {
  if (days == null || !Number.isFinite(days)) return tr('なし', 'never');
  const d = Math.floor(days);
  if (d <= 0) return tr('今日', 'today');
  return tr(`${d}日前`, `${d} days ago`);
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

const SCORE_LABELS: Record<number, [string, string]> = { 1: ['要改善', 'poor'], 2: ['やや弱い', 'weak'], 3: ['標準', 'fair'], 4: ['良い', 'good'], 5: ['とても良い', 'excellent'] };

export function scoreLabel(n: number): string {
  const [ja, en] = SCORE_LABELS[n] ?? ['', ''];
  return tr(ja, en);
}

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
