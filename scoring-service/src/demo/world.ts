/** Companies and jobs of the demo world (small tables: at most N/25 companies and N/6 jobs). */
import type { Company, Job } from '../domain/types.ts';
import type { JobIndex } from './events.ts';
import { chance, intBetween, normal, pick, sample, streamFor, STREAM, weightedIndex, type Rng } from './rng.ts';
import { DAY, YEAR, growingTime } from './timing.ts';
import { COMPANY_PREFIX, COMPANY_WORDS, INDUSTRIES, OCCUPATIONS, PREFECTURES } from './vocab.ts';

export const pad = (prefix: string, i: number, width: number) => prefix + String(i + 1).padStart(width, '0');
export const freelancerId = (i: number) => pad('f', i, 7);
export const companyId = (i: number) => pad('c', i, 6);
export const jobId = (i: number) => pad('j', i, 7);

/** Sorted registration times: `preShare` before the window (over `preYears`), the rest growing ×`growth` through the year. */
export function registrationTimes(rng: Rng, n: number, now: number, preShare: number, preYears: number, growth: number): Float64Array {
  const windowStart = now - YEAR;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = rng() < preShare
      ? windowStart - rng() * preYears * YEAR
      : growingTime(rng(), windowStart, growth);
    out[i] = Math.min(Math.floor(out[i]), now - 60_000);
  }
  return out.sort();
}

export function generateCompany(seed: number, i: number, registeredAt: number): { row: Company; activity: number } {
  const rng = streamFor(seed, STREAM.company, i);
  const name = `${pick(rng, COMPANY_PREFIX)}${pick(rng, COMPANY_WORDS)}${pick(rng, COMPANY_WORDS)}`;
  return {
    row: {
      id: companyId(i),
      name,
      industry: chance(rng, 0.05) ? null : pick(rng, INDUSTRIES),
      employees: chance(rng, 0.1) ? null : Math.round(Math.exp(2.5 + 1.5 * normal(rng))) + 1,
      prefecture: PREFECTURES[weightedIndex(rng, PREFECTURES.map((p) => p[1]))][0],
      registered_at: new Date(registeredAt).toISOString(),
    },
    activity: Math.exp(0.5 * normal(rng)),
  };
}

export function generateJob(seed: number, i: number, companies: Float64Array, now: number): Job {
  const rng = streamFor(seed, STREAM.job, i);
  // The first jobs cycle through occupations so every occupation has openings.
  const def = i < OCCUPATIONS.length * 3 ? OCCUPATIONS[i % OCCUPATIONS.length] : OCCUPATIONS[weightedIndex(rng, OCCUPATIONS.map((o) => o.share))];
  const c = Math.floor(rng() * companies.length);
  const posted = Math.floor(companies[c] + rng() * (now - companies[c]));
  const closed = posted + -Math.log(1 - rng()) * 60 * DAY;
  const skills = [...sample(rng, def.core, intBetween(rng, 2, 4)), ...sample(rng, def.peripheral, intBetween(rng, 0, 1))];
  const min = Math.round((def.baseRate * (0.7 + 0.3 * rng())) / 100) * 100;
  return {
    id: jobId(i),
    company_id: companyId(c),
    title: `${skills[0]}を活かせる${def.name}の募集`,
    occupation: def.name,
    skills,
    description: `${def.name}として${skills.join('・')}の経験がある方を募集しています。${pick(rng, ['週2日から', '週3日以上', 'フルタイム'])}、${pick(rng, ['フルリモート可', '一部出社あり', '都内常駐'])}。`,
    hourly_rate_min_jpy: min,
    hourly_rate_max_jpy: min + intBetween(rng, 5, 30) * 100,
    remote_ok: chance(rng, 0.7),
    posted_at: new Date(posted).toISOString(),
    closed_at: closed < now ? new Date(closed).toISOString() : null,
  };
}

export function emptyJobIndex(n: number): JobIndex {
  return { byOccupation: new Map(OCCUPATIONS.map((o) => [o.name, []])), posted: new Float64Array(n), closed: new Float64Array(n).fill(Infinity), company: new Int32Array(n) };
}

export function indexJob(ix: JobIndex, i: number, j: Job): void {
  ix.byOccupation.get(j.occupation)?.push(i);
  ix.posted[i] = Date.parse(j.posted_at);
  ix.closed[i] = j.closed_at ? Date.parse(j.closed_at) : Infinity;
  ix.company[i] = Number(j.company_id.slice(1)) - 1;
}
