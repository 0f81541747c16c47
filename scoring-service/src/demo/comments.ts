/**
 * Criteria notes an annotator writes next to a score (the talk: comments on what they
 * looked at, the input for planning features). Notes follow the hidden rule's parts
 * and agree in direction with the score given.
 */
import type { ProfileSnapshot } from '../domain/types.ts';
import { qualityParts, coreSkillCount } from './hidden-rule.ts';
import { chance, sample, pick, type Rng } from './rng.ts';
import { occupationDef } from './vocab.ts';

interface Note {
  text: string;
  /** Signed strength: > 0 praises, < 0 criticises. */
  weight: number;
}

function notes(s: ProfileSnapshot): Note[] {
  const p = s.profile;
  const parts = qualityParts(s);
  const chars = p.self_intro.length;
  const out: Note[] = [];
  if (chars < 80) out.push({ text: chars < 25 ? '自己紹介がほぼ空' : '自己紹介が短すぎる', weight: parts.length });
  else if (chars > 1500) out.push({ text: '自己紹介が長すぎて要点が分かりにくい', weight: parts.length });
  else out.push({ text: parts.length > 0.5 ? '自己紹介の分量がちょうどよい' : '自己紹介がやや物足りない', weight: parts.length });
  const def = occupationDef(p.occupation);
  const core = coreSkillCount(p.occupation, p.skills);
  if (core === 0) out.push({ text: `${p.occupation}として必要なスキルが不足`, weight: parts.skills - 0.3 });
  else {
    const named = p.skills.filter((x) => def?.core.includes(x)).slice(0, 2).join('・');
    out.push({ text: core >= 3 ? `${named}など必要なスキルが揃っている` : `${named}の経験あり`, weight: parts.skills - 0.3 });
  }
  out.push(parts.concrete > 0.5 ? { text: '実績が具体的', weight: parts.concrete } : { text: '実績の具体性に欠ける', weight: parts.concrete - 0.6 });
  out.push(p.portfolio_urls.length ? { text: 'ポートフォリオあり', weight: 0.25 } : { text: 'ポートフォリオがない', weight: -0.3 });
  if (!p.has_photo) out.push({ text: '写真なし', weight: -0.15 });
  if (p.years_experience >= 8) out.push({ text: '経験年数が長い', weight: parts.experience - 0.2 });
  else if (p.years_experience < 1.5) out.push({ text: '経験が浅い', weight: parts.experience - 0.3 });
  if (s.activity) {
    const d = s.activity.days_since_login;
    if (d === null || d > 60) out.push({ text: '最近ログインしていない', weight: -0.3 });
    if (s.activity.response_rate_90d !== null && s.activity.response_rate_90d >= 0.8) out.push({ text: 'メッセージへの反応が良い', weight: 0.1 });
  }
  return out;
}

/** A short comment consistent with `score`: the strongest notes in the score's direction. */
export function annotationComment(s: ProfileSnapshot, score: number, verbose: boolean, rng: Rng): string {
  if (chance(rng, 0.06)) return '';
  const all = notes(s);
  const dir = score >= 4 ? 1 : score <= 2 ? -1 : 0;
  let chosen: Note[];
  if (dir === 0) {
    const pos = all.filter((n) => n.weight > 0).sort((a, b) => b.weight - a.weight);
    const neg = all.filter((n) => n.weight < 0).sort((a, b) => a.weight - b.weight);
    chosen = [...pos.slice(0, 1), ...neg.slice(0, 1)];
  } else {
    chosen = all.filter((n) => n.weight * dir > 0).sort((a, b) => b.weight * dir - a.weight * dir);
  }
  const k = verbose ? 3 : 1 + (chance(rng, 0.4) ? 1 : 0);
  const picked = chosen.slice(0, k + 1);
  const texts = (picked.length > k ? sample(rng, picked, k) : picked).map((n) => n.text);
  if (!texts.length) texts.push(dir > 0 ? '全体的によくまとまっている' : dir < 0 ? '全体的に情報が少ない' : '可もなく不可もなく');
  const tail = verbose && chance(rng, 0.3) ? pick(rng, ['。面談してみたい', '。要確認', '。次回更新に期待']) : '';
  return texts.join('、') + tail;
}
