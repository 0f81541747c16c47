/**
 * One freelancer's profile from its own random stream. A latent "diligence" drives how
 * carefully the profile is written (length style, concrete achievements, relevant
 * skills, portfolio, photo); "engagement" drives how active the person is on the site.
 */
import type { Freelancer } from '../domain/types.ts';
import { chance, intBetween, normal, pick, poisson, sample, weightedIndex, type Rng } from './rng.ts';
import {
  CAREER, CLOSINGS, CORPS, DUTIES, FILLER, GENERIC_SKILLS, OCCUPATIONS, OPENINGS, PREFECTURES, RAMBLE, SKILL_LINES, SYLLABLES, WORK_STYLE,
  type OccupationDef,
} from './vocab.ts';

export interface GeneratedFreelancer {
  row: Freelancer;
  diligence: number;
  engagement: number;
}

export const INTRO_STYLES = ['one_line', 'short', 'standard', 'detailed', 'rambling'] as const;
export type IntroStyle = (typeof INTRO_STYLES)[number];

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function handle(rng: Rng): string {
  let s = '';
  const n = intBetween(rng, 2, 4);
  for (let i = 0; i < n; i++) s += pick(rng, SYLLABLES);
  return s + intBetween(rng, 1, 99);
}

function fill(tpl: string, rng: Rng, vars: Record<string, string>): string {
  return tpl.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (k in vars) return vars[k];
    if (k === 'n') return String(pick(rng, [2, 3, 5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 80, 100, 120, 150, 200]));
    if (k === 'm') return String(pick(rng, [3, 4, 6, 10, 15, 20, 30, 60]));
    if (k === 'k') return String(pick(rng, [1.5, 2, 3]));
    if (k === 'h') return String(intBetween(rng, 3, 8));
    if (k === 'd') return String(intBetween(rng, 2, 5));
    return '';
  });
}

function chooseStyle(rng: Rng, d: number): IntroStyle {
  const w = [0.1 * Math.exp(-0.9 * d), 0.2 * Math.exp(-0.5 * d), 0.42, 0.2 * Math.exp(0.5 * d), 0.09];
  return INTRO_STYLES[weightedIndex(rng, w)];
}

export function selfIntro(rng: Rng, def: OccupationDef, years: number, skills: string[], d: number, style: IntroStyle): string {
  const core = skills.filter((s) => def.core.includes(s));
  const vars = {
    occ: def.name,
    y: String(Math.max(1, Math.round(years))),
    role: pick(rng, def.roles),
    corp: pick(rng, CORPS),
    skills: (skills.length ? sample(rng, skills, 3) : ['Office']).join('、'),
  };
  const s = (tpl: string) => fill(tpl, rng, { ...vars, s: core.length ? pick(rng, core) : pick(rng, def.peripheral) });
  const achievements = (n: number) => sample(rng, def.achievements, n).map(s);
  const paras: string[][] = [];
  switch (style) {
    case 'one_line':
      return pick(rng, ['よろしくお願いします。', `${def.name}です。`, `${def.name}をしています。よろしくお願いします。`, 'なんでもやります。', '']);
    case 'short':
      paras.push([s(pick(rng, OPENINGS)), ...achievements(d > 0.8 ? 1 : 0), chance(rng, 0.5) ? s(pick(rng, SKILL_LINES)) : pick(rng, FILLER), pick(rng, CLOSINGS)]);
      break;
    case 'standard': {
      const n = Math.min(4, poisson(rng, Math.max(0.1, 0.9 + 0.9 * d)));
      paras.push([s(pick(rng, OPENINGS)), ...(chance(rng, 0.7) ? [s(pick(rng, CAREER))] : []), ...sample(rng, DUTIES, intBetween(rng, 1, 3)).map(s)]);
      paras.push([...achievements(n), s(pick(rng, SKILL_LINES))]);
      paras.push([...sample(rng, WORK_STYLE, intBetween(rng, 1, 3)).map(s), ...(d < 0 ? sample(rng, FILLER, intBetween(rng, 1, 3)) : []), pick(rng, CLOSINGS)]);
      break;
    }
    case 'detailed': {
      const n = Math.min(def.achievements.length, poisson(rng, Math.max(0.2, 1.4 + 1.0 * d)));
      paras.push([s(pick(rng, OPENINGS)), s(pick(rng, CAREER)), ...sample(rng, DUTIES, intBetween(rng, 2, 4)).map(s)]);
      if (n > 0) paras.push(['これまでの主な実績は次のとおりです。', ...achievements(n)]);
      paras.push([s(pick(rng, SKILL_LINES)), ...sample(rng, WORK_STYLE, intBetween(rng, 3, 5)).map(s)]);
      paras.push(sample(rng, RAMBLE, intBetween(rng, 1, 4)));
      paras.push([pick(rng, CLOSINGS)]);
      break;
    }
    case 'rambling': {
      const total = intBetween(rng, 30, 130);
      const pool = [...RAMBLE, ...RAMBLE, ...FILLER, ...CAREER.map(s), ...WORK_STYLE.map(s), ...DUTIES.map(s)];
      const ach = achievements(Math.min(3, poisson(rng, Math.max(0.1, 0.6 + 0.5 * d))));
      paras.push([s(pick(rng, OPENINGS))]);
      let cur: string[] = [];
      for (let i = 0; i < total; i++) {
        cur.push(i % 9 === 4 && ach.length ? (ach.pop() as string) : pick(rng, pool));
        if (cur.length >= intBetween(rng, 4, 9)) {
          paras.push(cur);
          cur = [];
        }
      }
      paras.push([...cur, pick(rng, CLOSINGS)]);
      break;
    }
  }
  return paras.filter((p) => p.length).map((p) => p.join('')).join('\n\n');
}

function pickSkills(rng: Rng, def: OccupationDef, d: number): string[] {
  const ds = 0.6 * d + 0.8 * normal(rng);
  const nCore = Math.max(0, Math.min(def.core.length, Math.round(1.6 + 1.3 * ds + 0.6 * normal(rng))));
  const nPeri = intBetween(rng, 0, 3);
  const nGen = Math.min(3, poisson(rng, Math.max(0.2, 0.9 - 0.5 * d)));
  // Other occupations' core skills show up too: a skill that matters elsewhere does not matter here.
  const other = OCCUPATIONS.filter((o) => o !== def).flatMap((o) => o.core).filter((x) => !def.core.includes(x));
  const nOther = poisson(rng, 0.5);
  return [...new Set([...sample(rng, def.core, nCore), ...sample(rng, def.peripheral, nPeri), ...sample(rng, GENERIC_SKILLS, nGen), ...sample(rng, other, nOther)])];
}

function portfolio(rng: Rng, def: OccupationDef, d: number, h: string): string[] {
  const visual = def.name === 'デザイナー' || def.name === '動画クリエイター' ? 0.5 : 0;
  if (!chance(rng, sigmoid(0.1 + visual + 1.2 * d))) return [];
  const n = 1 + Math.min(3, poisson(rng, 0.6));
  return sample(rng, def.portfolioHosts, n).map((host, i) => (host.includes('example.jp') ? `${host}${h}/works/${i + 1}` : `${host}${h}`));
}

/** A freelancer registered at `registeredAt`; times of updates and logins are set by the event simulation. */
export function generateFreelancer(rng: Rng, id: string, registeredAt: number): GeneratedFreelancer {
  const def = OCCUPATIONS[weightedIndex(rng, OCCUPATIONS.map((o) => o.share))];
  const d = normal(rng);
  const engagement = Math.exp(0.45 * normal(rng) + 0.35 * d);
  const years = Math.round(Math.min(30, Math.max(0, Math.exp(1.4 + 0.65 * normal(rng) + 0.1 * d) - 1)) * 2) / 2;
  const skills = pickSkills(rng, def, d);
  const style = chooseStyle(rng, d);
  const intro = selfIntro(rng, def, years, skills, d, style);
  const h = handle(rng);
  const rate = chance(rng, 0.05) ? null : Math.round((def.baseRate * (0.7 + 0.04 * Math.min(years, 15)) * Math.exp(0.25 * normal(rng))) / 100) * 100;
  const iso = new Date(registeredAt).toISOString();
  const row: Freelancer = {
    id,
    occupation: def.name,
    skills,
    years_experience: years,
    self_intro: intro,
    portfolio_urls: portfolio(rng, def, d, h),
    hourly_rate_jpy: rate,
    availability_days_per_week: chance(rng, 0.05) ? null : pick(rng, [1, 2, 2, 3, 3, 3, 4, 5, 5, 2.5, 0.5]),
    prefecture: chance(rng, 0.03) ? null : PREFECTURES[weightedIndex(rng, PREFECTURES.map((p) => p[1]))][0],
    remote_ok: chance(rng, 0.8),
    has_photo: chance(rng, sigmoid(0.2 + 1.0 * d)),
    registered_at: iso,
    updated_at: iso,
    last_login_at: null,
  };
  return { row, diligence: d, engagement };
}

/**
 * The profile as it was before its last edit (for annotations made before the edit):
 * the last paragraph not yet written and the last skill not yet added.
 */
export function previousVersion<T extends { self_intro: string; skills: string[] }>(p: T): T {
  const paras = p.self_intro.split('\n\n');
  return {
    ...p,
    self_intro: paras.length > 1 ? paras.slice(0, -1).join('\n\n') : p.self_intro,
    skills: p.skills.length > 1 ? p.skills.slice(0, -1) : p.skills,
  };
}
