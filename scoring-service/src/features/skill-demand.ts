/**
 * Skill demand learned from job postings: which skills companies ask for in each occupation.
 * A table of counts (jobs per canonical occupation, jobs listing each normalised skill term)
 * is built from the `jobs` table when a model is trained and stored inside the model JSON,
 * so every scoring path reads exactly the table training saw. From it, a profile's skills
 * get demand features: the smoothed share of the occupation's jobs listing each skill, the
 * number of "demanded" skills and whether there is none at all.
 *
 * Smoothing: share(o, s) = (c(o, s) + m · p(s)) / (n(o) + m), with n(o) the occupation's
 * jobs, c(o, s) those listing s, p(s) the share of all jobs listing s and m the prior weight
 * (in jobs): an occupation with few postings borrows from all jobs, one with none falls back
 * to p(s) entirely. A skill is "demanded" in an occupation when its share reaches
 * max(min_share, demanded_ratio × the occupation's typical share) — the typical share being
 * the mention-weighted mean share of the terms its jobs list (the share of the skill a job
 * of that occupation typically asks for) — so the threshold adapts to how many skills an
 * occupation's postings list and how spread they are, instead of a number tuned to one data set.
 *
 * At score time skills are looked up by a 48-bit hash of the normalised term (termKey), so
 * the batch scorer works from compact stored keys (feature store `skill_keys`) instead of
 * reading and normalising every freelancer's skill strings.
 */
import { OCCUPATIONS, OTHER_OCCUPATION, normalizeTerm, occupationIndex } from './vocabulary.ts';

export const SKILL_DEMAND_TYPE = 'workship.skill-demand';

export interface SkillDemandParams {
  /** Prior weight m, in jobs, pulling an occupation's shares towards all jobs' shares. */
  prior_jobs: number;
  /** Terms listed by fewer jobs overall are left out of the table (their share is 0). */
  min_term_jobs: number;
  /** A skill is demanded from this multiple of the occupation's typical share … */
  demanded_ratio: number;
  /** … and never below this share. */
  min_share: number;
}

export const DEFAULT_DEMAND_PARAMS: SkillDemandParams = { prior_jobs: 5, min_term_jobs: 2, demanded_ratio: 0.5, min_share: 0.02 };

export interface SkillDemandTable {
  type: typeof SKILL_DEMAND_TYPE;
  format: 1;
  params: SkillDemandParams;
  /** Jobs counted (those with at least one skill). */
  jobs: number;
  /** Jobs listing each kept term, all occupations. */
  all: Record<string, number>;
  /** Per canonical occupation key (vocabulary.ts, plus 'other'): its jobs and its kept terms' counts. */
  by_occupation: Record<string, { jobs: number; counts: Record<string, number> }>;
}

const OCC_KEYS = [...OCCUPATIONS.map((o) => o.key), OTHER_OCCUPATION.key];

/** Distinct normalised terms of a skill list, in first-seen order (empty strings dropped). */
export function skillTerms(skills: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const s of skills) {
    const t = normalizeTerm(s);
    if (t) seen.add(t);
  }
  return [...seen];
}

/** 48-bit hash of a normalised term (two 32-bit FNV-style mixes): exact as a double. */
export function termKey(term: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) + (h2 >>> 16) * 2 ** 32;
}

/** The compact form the feature store keeps: [occupation index, termKey of each distinct term …]. */
export function skillKeysOf(p: { occupation: string; skills: readonly string[] }): number[] {
  return [occupationIndex(p.occupation), ...skillTerms(p.skills).map(termKey)];
}

/** Counts job postings into a demand table. */
export function buildSkillDemand(jobs: Iterable<{ occupation: string | null; skills: readonly string[] | null }>, params: Partial<SkillDemandParams> = {}): SkillDemandTable {
  const prm: SkillDemandParams = { ...DEFAULT_DEMAND_PARAMS, ...params };
  for (const [k, v] of Object.entries(prm)) if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new RangeError(`skill demand parameter ${k} must be a non-negative number`);
  const all = new Map<string, number>();
  const occJobs = new Array<number>(OCC_KEYS.length).fill(0);
  const occCounts = OCC_KEYS.map(() => new Map<string, number>());
  let n = 0;
  for (const j of jobs) {
    const terms = skillTerms(j.skills ?? []);
    if (!terms.length) continue;
    const o = occupationIndex(j.occupation ?? '');
    n++;
    occJobs[o]++;
    for (const t of terms) {
      all.set(t, (all.get(t) ?? 0) + 1);
      occCounts[o].set(t, (occCounts[o].get(t) ?? 0) + 1);
    }
  }
  const kept = [...all.keys()].filter((t) => all.get(t)! >= Math.max(1, prm.min_term_jobs)).sort();
  const keptSet = new Set(kept);
  const by_occupation: SkillDemandTable['by_occupation'] = {};
  OCC_KEYS.forEach((key, o) => {
    const counts: Record<string, number> = {};
    for (const t of [...occCounts[o].keys()].sort()) if (keptSet.has(t)) counts[t] = occCounts[o].get(t)!;
    by_occupation[key] = { jobs: occJobs[o], counts };
  });
  return { type: SKILL_DEMAND_TYPE, format: 1, params: prm, jobs: n, all: Object.fromEntries(kept.map((t) => [t, all.get(t)!])), by_occupation };
}

/** The table's shares for scoring: an open-addressing map from (occupation, term key) to share. */
export interface CompiledDemand {
  /** Smoothed share of occupation o's jobs listing the term with this key (0 when unlisted). */
  share(o: number, key: number): number;
  /** Per occupation index: the share from which a skill counts as demanded. */
  threshold: Float64Array;
  /** False for an empty table: every demand feature is 0. */
  active: boolean;
}

/** Smoothed shares of one occupation, by term (only terms listed by some job). */
export function occupationShares(t: SkillDemandTable, occKey: string): Map<string, number> {
  const occ = t.by_occupation[occKey] ?? { jobs: 0, counts: {} };
  const m = t.params.prior_jobs;
  const out = new Map<string, number>();
  if (!t.jobs) return out;
  const den = occ.jobs + m;
  for (const [term, c] of Object.entries(t.all)) {
    const prior = c / t.jobs;
    // No jobs and no prior weight: all jobs' share (the fallback) rather than 0 / 0.
    out.set(term, den > 0 ? ((occ.counts[term] ?? 0) + m * prior) / den : prior);
  }
  return out;
}

/** The occupation's threshold: max(min_share, ratio × mention-weighted mean share of its jobs' terms, or of all jobs' terms when it has none). */
export function demandThreshold(t: SkillDemandTable, occKey: string, shares = occupationShares(t, occKey)): number {
  const occ = t.by_occupation[occKey];
  const weights = occ && occ.jobs > 0 ? occ.counts : t.all;
  let sw = 0;
  let sws = 0;
  for (const [term, c] of Object.entries(weights)) {
    sw += c;
    sws += c * (shares.get(term) ?? 0);
  }
  return Math.max(t.params.min_share, t.params.demanded_ratio * (sw > 0 ? sws / sw : 0));
}

const compiledCache = new WeakMap<SkillDemandTable, CompiledDemand>();

export function compileDemand(t: SkillDemandTable | null | undefined): CompiledDemand {
  if (!t || !t.jobs) return { share: () => 0, threshold: new Float64Array(OCC_KEYS.length), active: false };
  const hit = compiledCache.get(t);
  if (hit) return hit;
  const entries: [number, number][] = [];
  const threshold = new Float64Array(OCC_KEYS.length);
  OCC_KEYS.forEach((key, o) => {
    const shares = occupationShares(t, key);
    threshold[o] = demandThreshold(t, key, shares);
    for (const [term, s] of shares) entries.push([termKey(term) * 16 + o, s]);
  });
  let cap = 16;
  while (cap < entries.length * 2) cap *= 2;
  const keys = new Float64Array(cap).fill(-1);
  const vals = new Float64Array(cap);
  const mask = cap - 1;
  const slotOf = (k: number) => (Math.imul(k % 4294967296 | 0, 0x9e3779b1) ^ Math.floor(k / 4294967296)) & mask;
  for (const [k, v] of entries) {
    let s = slotOf(k);
    while (keys[s] !== -1 && keys[s] !== k) s = (s + 1) & mask;
    keys[s] = k;
    vals[s] = v;
  }
  const c: CompiledDemand = {
    active: true,
    threshold,
    share(o, key) {
      const k = key * 16 + o;
      let s = slotOf(k);
      for (;;) {
        const at = keys[s];
        if (at === k) return vals[s];
        if (at === -1) return 0;
        s = (s + 1) & mask;
      }
    },
  };
  compiledCache.set(t, c);
  return c;
}

/** The demand features, in this order (featurizer.ts defines their names and labels). */
export const DEMAND_FEATURE_COUNT = 5;

/**
 * Writes the demand features of occupation `o` with skill keys keys[start, end) into
 * out[at …]: Σ share, max share, ln(1 + demanded skills), the demanded share of the
 * profile's skills, and 1 when none is demanded. All 0 for an inactive (empty) table.
 */
export function demandFeaturesInto(d: CompiledDemand, o: number, keys: ArrayLike<number>, start: number, end: number, out: Float64Array | number[], at = 0): void {
  if (!d.active) {
    for (let q = 0; q < DEMAND_FEATURE_COUNT; q++) out[at + q] = 0;
    return;
  }
  const th = d.threshold[o] ?? d.threshold[d.threshold.length - 1];
  let sum = 0;
  let max = 0;
  let k = 0;
  for (let i = start; i < end; i++) {
    const s = d.share(o, keys[i]);
    sum += s;
    if (s > max) max = s;
    if (s >= th) k++;
  }
  const n = end - start;
  out[at] = sum;
  out[at + 1] = max;
  out[at + 2] = Math.log1p(k);
  out[at + 3] = n ? k / n : 0;
  out[at + 4] = k === 0 ? 1 : 0;
}

/** The demand features of a profile under a table (zeros for none). */
export function demandFeatures(t: SkillDemandTable | null | undefined, p: { occupation: string; skills: readonly string[] }): Float64Array {
  const keys = skillKeysOf(p);
  const out = new Float64Array(DEMAND_FEATURE_COUNT);
  demandFeaturesInto(compileDemand(t), keys[0], keys, 1, keys.length, out);
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Validates a stored table (model JSON); throws `fail(message, field)` on anything malformed. */
export function parseSkillDemand(v: unknown, fail: (message: string, field: string) => never): SkillDemandTable {
  const F = 'skill_demand';
  if (!isObj(v) || v.type !== SKILL_DEMAND_TYPE || v.format !== 1) fail(`model field '${F}' is not a skill demand table of format 1`, F);
  const t = v as Record<string, unknown>;
  if (!isObj(t.params)) fail(`model field '${F}.params' must be an object`, `${F}.params`);
  for (const k of Object.keys(DEFAULT_DEMAND_PARAMS)) {
    const x = (t.params as Record<string, unknown>)[k];
    if (!(typeof x === 'number' && Number.isFinite(x) && x >= 0)) fail(`model field '${F}.params.${k}' must be a non-negative number`, `${F}.params.${k}`);
  }
  if (!isCount(t.jobs)) fail(`model field '${F}.jobs' must be a count`, `${F}.jobs`);
  if (!isObj(t.all) || !Object.values(t.all).every(isCount)) fail(`model field '${F}.all' must map terms to counts`, `${F}.all`);
  if (!isObj(t.by_occupation)) fail(`model field '${F}.by_occupation' must be an object`, `${F}.by_occupation`);
  for (const [key, occ] of Object.entries(t.by_occupation as Record<string, unknown>)) {
    const f = `${F}.by_occupation.${key}`;
    if (!isObj(occ) || !isCount(occ.jobs) || !isObj(occ.counts) || !Object.values(occ.counts).every(isCount)) fail(`model field '${f}' must be {jobs, counts}`, f);
  }
  return v as unknown as SkillDemandTable;
}

/** The parts of the warehouse port loadSkillDemand uses (features/ does not import warehouse/). */
export interface DemandWarehouse {
  readonly dialect: { table(name: string): string };
  query<T>(sql: string): Promise<T[]>;
}

/** The demand table of every job in the warehouse. */
export async function loadSkillDemand(w: DemandWarehouse, params: Partial<SkillDemandParams> = {}): Promise<SkillDemandTable> {
  const rows = await w.query<{ occupation: string | null; skills: string[] | null }>(`SELECT occupation, skills FROM ${w.dialect.table('jobs')}`);
  return buildSkillDemand(rows, params);
}

/** Writes a profile's demand features under table t into x at the featurizer's demand positions. */
export function fillDemand(x: Float64Array, demandIndex: Int32Array, t: SkillDemandTable | null | undefined, p: { occupation: string; skills: readonly string[] }): Float64Array {
  if (demandIndex.length !== DEMAND_FEATURE_COUNT) throw new RangeError(`featurizer has ${demandIndex.length} demand positions, expected ${DEMAND_FEATURE_COUNT}`);
  const v = demandFeatures(t, p);
  for (let q = 0; q < DEMAND_FEATURE_COUNT; q++) x[demandIndex[q]] = v[q];
  return x;
}
