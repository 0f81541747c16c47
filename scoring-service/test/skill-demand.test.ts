import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DEMAND_PARAMS, buildSkillDemand, compileDemand, demandFeatures, demandThreshold, loadSkillDemand, occupationShares, parseSkillDemand, skillKeysOf, skillTerms, termKey,
} from '../src/features/skill-demand.ts';
import { OCCUPATIONS, OTHER_OCCUPATION, SKILL_FAMILIES, normalizeTerm } from '../src/features/vocabulary.ts';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { coreTables, jobs as jobsTable } from '../src/domain/tables.ts';

// A small posting history: engineers ask for TypeScript / React / AWS, once for HTML;
// designers for Figma / Photoshop; writers for SEO; Excel appears everywhere.
const JOBS = [
  ...Array.from({ length: 10 }, (_, i) => ({ occupation: 'Webエンジニア', skills: ['TypeScript', 'React', ...(i % 2 ? ['AWS'] : []), ...(i === 0 ? ['HTML'] : []), ...(i % 5 === 0 ? ['Excel'] : [])] })),
  ...Array.from({ length: 6 }, (_, i) => ({ occupation: 'UIデザイナー', skills: ['Figma', ...(i % 2 ? ['Photoshop'] : []), ...(i === 3 ? ['Excel', 'HTML'] : [])] })),
  ...Array.from({ length: 4 }, () => ({ occupation: 'ライター', skills: ['SEO', 'ｔｙｐｅｓｃｒｉｐｔ'] })),
  { occupation: 'エンジニア', skills: [] },
  { occupation: '農家', skills: ['Excel', 'トラクター'] },
];

test('the table counts jobs per canonical occupation and normalised term, once per job, dropping rare terms and skill-less jobs', () => {
  const t = buildSkillDemand(JOBS);
  assert.equal(t.type, 'workship.skill-demand');
  assert.deepEqual(t.params, DEFAULT_DEMAND_PARAMS);
  assert.equal(t.jobs, 21, 'the job without skills is not counted');
  assert.equal(t.by_occupation.engineer.jobs, 10);
  assert.equal(t.by_occupation.designer.jobs, 6);
  assert.equal(t.by_occupation.writer.jobs, 4);
  assert.equal(t.by_occupation.other.jobs, 1, '農家 is no known occupation: other');
  assert.equal(t.by_occupation.pm.jobs, 0);
  assert.deepEqual(Object.keys(t.by_occupation), [...OCCUPATIONS.map((o) => o.key), OTHER_OCCUPATION.key]);
  // NFKC + lower case: the full-width ＴｙｐｅＳｃｒｉｐｔ of the writers' jobs is typescript.
  assert.equal(t.all.typescript, 14);
  assert.equal(t.by_occupation.writer.counts.typescript, 4);
  assert.equal(t.all.excel, 4, 'engineer jobs 0 and 5, designer job 3, the farm job');
  assert.equal(t.all.html, 2);
  assert.equal(t.all['トラクター'], undefined, 'listed by one job only (< min_term_jobs = 2): left out');
  assert.equal(t.by_occupation.other.counts['トラクター'], undefined);
  assert.equal(buildSkillDemand(JOBS, { min_term_jobs: 1 }).all['トラクター'], 1);
  assert.deepEqual(skillTerms(['React', ' react ', 'ＲＥＡＣＴ', '', 'AWS']), ['react', 'aws']);
  assert.throws(() => buildSkillDemand(JOBS, { prior_jobs: -1 }), /prior_jobs must be a non-negative number/);
});

test('shares are smoothed towards all jobs with the prior weight; an occupation without jobs falls back to all jobs', () => {
  const t = buildSkillDemand(JOBS);
  const m = DEFAULT_DEMAND_PARAMS.prior_jobs;
  const eng = occupationShares(t, 'engineer');
  // (c(o, s) + m · c(s) / N) / (n(o) + m), by hand.
  assert.equal(eng.get('react'), (10 + m * (10 / 21)) / (10 + m));
  assert.equal(eng.get('figma'), (0 + m * (6 / 21)) / (10 + m), 'a term engineers never list keeps a little of its overall share');
  assert.equal(eng.get('html'), (1 + m * (2 / 21)) / (10 + m));
  const pm = occupationShares(t, 'pm');
  assert.equal(pm.get('react'), 10 / 21, 'no PM jobs: the share of all jobs');
  assert.equal(pm.get('figma'), 6 / 21);
  // Without a prior the engineer shares are the raw shares.
  const raw = occupationShares(buildSkillDemand(JOBS, { prior_jobs: 0 }), 'engineer');
  assert.equal(raw.get('aws'), 5 / 10);
  assert.equal(raw.get('figma'), 0);
  // The threshold: ratio × mention-weighted mean share of the occupation's terms, floored at min_share.
  let sw = 0;
  let sws = 0;
  for (const [term, c] of Object.entries(t.by_occupation.engineer.counts)) {
    sw += c;
    sws += c * eng.get(term)!;
  }
  assert.equal(demandThreshold(t, 'engineer'), Math.max(DEFAULT_DEMAND_PARAMS.min_share, DEFAULT_DEMAND_PARAMS.demanded_ratio * (sws / sw)));
  assert.ok(eng.get('aws')! > demandThreshold(t, 'engineer'), 'AWS (half the jobs) is demanded');
  assert.ok(eng.get('html')! < demandThreshold(t, 'engineer'), 'HTML (one job) is not');
  // The compiled hash table gives exactly these shares for every (occupation, term), 0 for unknown terms.
  const d = compileDemand(t);
  [...OCCUPATIONS, OTHER_OCCUPATION].forEach((o, i) => {
    for (const [term, s] of occupationShares(t, o.key)) assert.equal(d.share(i, termKey(term)), s, `${o.key} × ${term}`);
    assert.equal(d.share(i, termKey('cobol')), 0);
    assert.equal(d.threshold[i], demandThreshold(t, o.key));
  });
});

test('demand features: the step at zero, saturation in the count, occupation dependence, zeros without a table', () => {
  const t = buildSkillDemand(JOBS);
  const eng = (skills: string[]) => demandFeatures(t, { occupation: 'フロントエンドエンジニア', skills });
  const [sum, max, countLog, share, none] = [0, 1, 2, 3, 4];
  // Only peripheral / unknown skills: nothing demanded, the "none" step is on.
  const peripheral = eng(['HTML', 'COBOL']);
  assert.equal(peripheral[none], 1);
  assert.equal(peripheral[countLog], 0);
  assert.ok(peripheral[sum] > 0 && peripheral[sum] < 0.2, 'HTML still carries its small share');
  assert.equal(eng([])[none], 1, 'no skills at all: none demanded');
  // One demanded skill switches the step off; more add less and less (log count).
  const one = eng(['React', 'HTML']);
  assert.equal(one[none], 0);
  assert.equal(one[countLog], Math.log(2));
  assert.equal(one[share], 0.5);
  const two = eng(['React', 'AWS']);
  const three = eng(['React', 'AWS', 'TypeScript']);
  assert.ok(three[countLog] - two[countLog] < two[countLog] - one[countLog], 'saturating');
  assert.equal(three[max], occupationShares(t, 'engineer').get('typescript'), 'TypeScript, listed by every engineer job and by writers');
  assert.equal(three[sum], occupationShares(t, 'engineer').get('react')! + occupationShares(t, 'engineer').get('aws')! + occupationShares(t, 'engineer').get('typescript')!);
  assert.deepEqual(eng(['react', 'React', 'ＲＥＡＣＴ']), eng(['React']), 'duplicates after normalisation count once');
  // The same skills matter differently by occupation: Figma is demanded of designers, not engineers.
  assert.equal(demandFeatures(t, { occupation: 'デザイナー', skills: ['Figma'] })[none], 0);
  assert.equal(eng(['Figma'])[none], 1);
  // No table, or a table without jobs: every demand feature is 0 (no step either).
  assert.deepEqual([...demandFeatures(null, { occupation: 'エンジニア', skills: ['React'] })], [0, 0, 0, 0, 0]);
  assert.deepEqual([...demandFeatures(buildSkillDemand([]), { occupation: 'エンジニア', skills: [] })], [0, 0, 0, 0, 0]);
});

test('skill keys: [occupation index, 48-bit term keys], distinct over the skill vocabulary, stable', () => {
  assert.deepEqual(skillKeysOf({ occupation: 'エンジニア', skills: ['React', 'react', 'AWS'] }), [0, termKey('react'), termKey('aws')]);
  assert.equal(skillKeysOf({ occupation: '農家', skills: [] })[0], OCCUPATIONS.length);
  const terms = [...new Set(SKILL_FAMILIES.flatMap((f) => f.terms.map(normalizeTerm)))];
  const keys = new Set(terms.map(termKey));
  assert.equal(keys.size, terms.length, 'no collisions over the dictionary');
  for (const k of keys) assert.ok(Number.isInteger(k) && k >= 0 && k < 2 ** 48);
  // Pinned values: keys are stored in the feature store, so they may not drift between versions.
  assert.equal(termKey('react'), termKey('react'));
  assert.equal(termKey(''), 0x811c9dc5 + (0x9747b28c >>> 16) * 2 ** 32);
});

test('parseSkillDemand accepts a built table and refuses malformed ones naming the field', () => {
  const t = buildSkillDemand(JOBS);
  const fail = (message: string, field: string): never => {
    throw new Error(`${field}: ${message}`);
  };
  assert.equal(parseSkillDemand(JSON.parse(JSON.stringify(t)), fail).jobs, t.jobs);
  const bad = (fn: (o: any) => void) => {
    const o = JSON.parse(JSON.stringify(t));
    fn(o);
    return o;
  };
  assert.throws(() => parseSkillDemand(bad((o) => (o.type = 'x')), fail), /^Error: skill_demand: /);
  assert.throws(() => parseSkillDemand(bad((o) => (o.params.prior_jobs = -2)), fail), /skill_demand\.params\.prior_jobs/);
  assert.throws(() => parseSkillDemand(bad((o) => (o.all.react = 1.5)), fail), /skill_demand\.all/);
  assert.throws(() => parseSkillDemand(bad((o) => (o.by_occupation.engineer.counts = null)), fail), /skill_demand\.by_occupation\.engineer/);
});

test('loadSkillDemand builds the table from the warehouse jobs table', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate(coreTables);
    await w.upsert(jobsTable, JOBS.map((j, i) => ({ id: `j${i}`, company_id: 'c1', title: 't', occupation: j.occupation, skills: j.skills, posted_at: '2026-01-01T00:00:00.000Z' })));
    assert.deepEqual(await loadSkillDemand(w), buildSkillDemand(JOBS));
  } finally {
    await w.close();
  }
});
