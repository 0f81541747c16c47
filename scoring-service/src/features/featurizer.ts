/**
 * The versioned feature pipeline: profile, Japanese text, behaviour,
 * occupation × skill-family interaction and skill demand (features/skill-demand.ts: the
 * skills the occupation's job postings ask for) features of a ProfileSnapshot, in a fixed order
 * described by the FeatureSpec stored with every model. Nonlinear shapes (hinges at fixed
 * knots, logs) are features, so a linear model can learn an inverted U over text length
 * and occupation-dependent skill values.
 */
import { createHash } from 'node:crypto';
import type { ActivitySummary, Profile, ProfileSnapshot } from '../domain/types.ts';
import type { FeatureSqlDialect } from './sql-dialect.ts';
import { analyzeText, loadTokenizer, type TextStats, type Tokenizer } from './text.ts';
import { DEMAND_FEATURE_COUNT } from './skill-demand.ts';
import {
  ACHIEVEMENT_TERMS, CORE_FAMILIES, NUMBER_UNITS, OCCUPATIONS, OTHER_OCCUPATION, SKILL_FAMILIES, familiesOf, occupationIndex,
} from './vocabulary.ts';

export type { FeatureSqlDialect } from './sql-dialect.ts';

export interface FeatureDef {
  name: string;
  label_ja: string;
  label_en: string;
  group: 'profile' | 'text' | 'behaviour' | 'interaction' | 'demand';
  /** The feature as a SQL expression over columns of `freelancers`; null when SQL cannot compute it. */
  sql?: (d: FeatureSqlDialect) => string | null;
}

export interface FeatureSpec {
  version: string;
  features: FeatureDef[];
}

export interface Featurizer {
  spec: FeatureSpec;
  featurize(s: ProfileSnapshot): Float64Array;
}

/** This pipeline's featurizer: behaviour features also computable alone (no text analysis). */
export interface FullFeaturizer extends Featurizer {
  /** Positions of the 'behaviour' group in the vector. */
  behaviourIndex: Int32Array;
  /** The behaviour features of an activity summary, in behaviourIndex order. */
  featurizeBehaviour(a: ActivitySummary | null): Float64Array;
  /**
   * Positions of the 'demand' group: skill demand learned from job postings
   * (features/skill-demand.ts). They depend on the model's demand table, not on the profile
   * alone, so featurize() leaves them 0 (as stored) and every scoring path fills them from
   * the model's table (fillDemand).
   */
  demandIndex: Int32Array;
}

/** Bump when a formula changes in a way the hashed parts below cannot see. */
const FORMULA_REVISION = 5;

/** Everything a feature reads, computed once per snapshot. */
interface Ctx {
  p: Profile;
  a: ActivitySummary | null;
  t: TextStats;
  occ: number;
  family: Float64Array;
  core: number;
  offcore: number;
  unknown: number;
}

interface FeatureImpl extends FeatureDef {
  get: (c: Ctx) => number;
}

const ln1p = (x: number) => Math.log1p(Math.max(0, x));
const hinge = (x: number, k: number) => (x > k ? x - k : 0);
const rateLog = (p: Profile) => (p.hourly_rate_jpy != null && p.hourly_rate_jpy > 0 ? Math.log(p.hourly_rate_jpy) : 0);

/** SQL helpers mirroring the JS formulas exactly. */
const col = (d: FeatureSqlDialect, name: string) => d.ident(name);
const sqlLn1p = (e: string) => `LN(1 + GREATEST(${e}, 0))`;
const sqlHinge = (e: string, k: number) => `GREATEST(${e} - ${k}, 0)`;
const sqlBool = (e: string) => `(CASE WHEN ${e} THEN 1.0 ELSE 0.0 END)`;
const sqlYears = (d: FeatureSqlDialect) => `GREATEST(${d.float(col(d, 'years_experience'))}, 0)`;
const sqlRateLog = (d: FeatureSqlDialect) =>
  `(CASE WHEN ${col(d, 'hourly_rate_jpy')} IS NULL OR ${col(d, 'hourly_rate_jpy')} <= 0 THEN 0.0 ELSE LN(${d.float(col(d, 'hourly_rate_jpy'))}) END)`;
const sqlChars = (d: FeatureSqlDialect) => d.float(`LENGTH(${col(d, 'self_intro')})`);
/** Knots of the natural cubic spline on ln(1 + characters): about e¹ … e⁸ characters. */
export const LOG_LENGTH_KNOTS = [1, 2.5, 4, 5, 6, 7, 8];

/**
 * Basis function j (0 ≤ j < K − 2) of the natural cubic spline with knots t (Harrell's
 * restricted cubic spline): cubic between the knots, linear outside, scaled by (t_K − t_1)².
 */
export function naturalSplineBasis(x: number, t: readonly number[], j: number): number {
  const K = t.length;
  const p3 = (u: number) => (u > 0 ? u * u * u : 0);
  const a = t[K - 1] - t[K - 2];
  return (p3(x - t[j]) - (p3(x - t[K - 2]) * (t[K - 1] - t[j])) / a + (p3(x - t[K - 1]) * (t[K - 2] - t[j])) / a) / (t[K - 1] - t[0]) ** 2;
}
function sqlNaturalSplineBasis(e: string, t: readonly number[], j: number): string {
  const K = t.length;
  const p3 = (k: number) => `POWER(GREATEST(${e} - ${k}, 0), 3)`;
  const a = t[K - 1] - t[K - 2];
  return `((${p3(t[j])} - ${p3(t[K - 2])} * ${(t[K - 1] - t[j]) / a} + ${p3(t[K - 1])} * ${(t[K - 2] - t[j]) / a}) / ${(t[K - 1] - t[0]) ** 2})`;
}

/** The occupation's canonical index as SQL (first alias contained wins, as occupationIndex does). */
export function sqlOccupationIndex(d: FeatureSqlDialect): string {
  const o = `LOWER(${col(d, 'occupation')})`;
  const whens = OCCUPATIONS.map((oc, i) => `WHEN ${oc.aliases.map((a) => `STRPOS(${o}, '${a.toLowerCase().replace(/'/g, "''")}') > 0`).join(' OR ')} THEN ${i}`);
  return `(CASE ${whens.join(' ')} ELSE ${OCCUPATIONS.length} END)`;
}

function profileFeatures(): FeatureImpl[] {
  const f = (name: string, label_ja: string, label_en: string, get: FeatureImpl['get'], sql?: FeatureDef['sql']): FeatureImpl => ({ name, label_ja, label_en, group: 'profile', get, sql: sql ?? (() => null) });
  const years = (c: Ctx) => Math.max(0, c.p.years_experience);
  const out: FeatureImpl[] = [
    f('years', '経験年数', 'years of experience', years, sqlYears),
    f('years_log', '経験年数（対数）', 'years of experience (log)', (c) => ln1p(years(c)), (d) => sqlLn1p(sqlYears(d))),
  ];
  for (const k of [2, 5, 10]) out.push(f(`years_over_${k}`, `経験年数（${k}年超の部分）`, `years beyond ${k}`, (c) => hinge(years(c), k), (d) => sqlHinge(sqlYears(d), k)));
  out.push(
    f('rate_log', '時給（対数）', 'hourly rate (log)', (c) => rateLog(c.p), sqlRateLog),
    f('rate_over_3000', '時給（3,000円超の部分、対数）', 'hourly rate above ¥3,000 (log)', (c) => (rateLog(c.p) ? hinge(rateLog(c.p), Math.log(3000)) : 0), (d) => sqlHinge(sqlRateLog(d), Math.log(3000))),
    f('rate_over_6000', '時給（6,000円超の部分、対数）', 'hourly rate above ¥6,000 (log)', (c) => (rateLog(c.p) ? hinge(rateLog(c.p), Math.log(6000)) : 0), (d) => sqlHinge(sqlRateLog(d), Math.log(6000))),
    f('rate_missing', '時給の記載なし', 'no hourly rate', (c) => (rateLog(c.p) ? 0 : 1), (d) => `(1.0 - ${sqlBool(`${col(d, 'hourly_rate_jpy')} > 0`)})`),
    f('availability_days', '稼働可能日数（週）', 'available days per week', (c) => c.p.availability_days_per_week ?? 0, (d) => `COALESCE(${d.float(col(d, 'availability_days_per_week'))}, 0.0)`),
    f('availability_over_3', '稼働可能日数（週3日超の部分）', 'available days beyond 3', (c) => hinge(c.p.availability_days_per_week ?? 0, 3), (d) => sqlHinge(`COALESCE(${d.float(col(d, 'availability_days_per_week'))}, 0.0)`, 3)),
    f('availability_missing', '稼働日数の記載なし', 'no availability given', (c) => (c.p.availability_days_per_week == null ? 1 : 0), (d) => sqlBool(`${col(d, 'availability_days_per_week')} IS NULL`)),
    f('remote_ok', 'リモート可', 'remote OK', (c) => (c.p.remote_ok ? 1 : 0), (d) => sqlBool(col(d, 'remote_ok'))),
    f('has_photo', 'プロフィール写真あり', 'has a photo', (c) => (c.p.has_photo ? 1 : 0), (d) => sqlBool(col(d, 'has_photo'))),
    f('portfolio_log', 'ポートフォリオ数（対数）', 'portfolio items (log)', (c) => ln1p(c.p.portfolio_urls.length), (d) => sqlLn1p(d.float(d.arrayLength(col(d, 'portfolio_urls'))))),
    f('has_portfolio', 'ポートフォリオあり', 'has a portfolio', (c) => (c.p.portfolio_urls.length > 0 ? 1 : 0), (d) => sqlBool(`${d.arrayLength(col(d, 'portfolio_urls'))} > 0`)),
    f('skill_count', 'スキル数', 'number of skills', (c) => c.p.skills.length, (d) => d.float(d.arrayLength(col(d, 'skills')))),
    f('skill_count_log', 'スキル数（対数）', 'number of skills (log)', (c) => ln1p(c.p.skills.length), (d) => sqlLn1p(d.float(d.arrayLength(col(d, 'skills'))))),
    f('skill_count_over_8', 'スキル数（8個超の部分）', 'skills beyond 8', (c) => hinge(c.p.skills.length, 8), (d) => sqlHinge(d.float(d.arrayLength(col(d, 'skills'))), 8)),
    f('skills_core_log', '職種の中核スキル数（対数）', 'core skills of the occupation (log)', (c) => ln1p(c.core)),
    f('skills_offcore_log', '職種外の既知スキル数（対数）', 'known skills outside the occupation (log)', (c) => ln1p(c.offcore)),
    f('skills_unknown_log', '辞書にないスキル数（対数）', 'skills not in the dictionary (log)', (c) => ln1p(c.unknown)),
    f('skills_core_share', '中核スキルの割合', 'share of core skills', (c) => (c.p.skills.length ? c.core / c.p.skills.length : 0)),
  );
  for (const k of [0.25, 0.5, 0.75]) {
    out.push(f(`skills_core_share_over_${k * 100}`, `中核スキルの割合（${k * 100}%超の部分）`, `share of core skills beyond ${k * 100} %`, (c) => hinge(c.p.skills.length ? c.core / c.p.skills.length : 0, k)));
  }
  const occs = [...OCCUPATIONS, OTHER_OCCUPATION];
  occs.forEach((o, i) => out.push(f(`occ_${o.key}`, `職種: ${o.label_ja}`, `occupation: ${o.label_en}`, (c) => (c.occ === i ? 1 : 0), (d) => `(CASE WHEN ${sqlOccupationIndex(d)} = ${i} THEN 1.0 ELSE 0.0 END)`)));
  return out;
}

function textFeatures(): FeatureImpl[] {
  const f = (name: string, label_ja: string, label_en: string, get: FeatureImpl['get'], sql?: FeatureDef['sql']): FeatureImpl => ({ name, label_ja, label_en, group: 'text', get, sql: sql ?? (() => null) });
  const per100 = (c: Ctx, n: number) => (c.t.chars ? (100 * n) / c.t.chars : 0);
  const out: FeatureImpl[] = [
    f('text_chars', '自己紹介の文字数（100字単位）', 'self-intro length (100 chars)', (c) => c.t.chars / 100, (d) => `(${sqlChars(d)} / 100)`),
    f('text_chars_log', '自己紹介の文字数（対数）', 'self-intro length (log)', (c) => ln1p(c.t.chars), (d) => sqlLn1p(sqlChars(d))),
  ];
  // Hinges over length: together with the linear term they form a piecewise-linear curve
  // that can rise and then fall (too short and too long are both bad).
  // A natural (restricted) cubic spline on log length: a smooth curve, linear beyond the
  // outer knots, that a linear model fits with a few well-behaved columns.
  LOG_LENGTH_KNOTS.slice(0, -2).forEach((k, j) => {
    out.push(f(`text_chars_log_spline_${j + 1}`, `自己紹介の長さ（対数、スプライン基底${j + 1}）`, `self-intro length (log), spline basis ${j + 1}`,
      (c) => naturalSplineBasis(ln1p(c.t.chars), LOG_LENGTH_KNOTS, j),
      (d) => sqlNaturalSplineBasis(sqlLn1p(sqlChars(d)), LOG_LENGTH_KNOTS, j)));
  });
  for (const k of [100, 200, 400, 800, 1600]) {
    out.push(f(`text_chars_over_${k}`, `自己紹介の長さ（${k}字超の部分）`, `self-intro length beyond ${k} chars`, (c) => hinge(c.t.chars, k) / 100, (d) => `(${sqlHinge(sqlChars(d), k)} / 100)`));
  }
  out.push(
    f('text_empty', '自己紹介なし', 'no self-intro', (c) => (c.t.chars === 0 ? 1 : 0), (d) => sqlBool(`LENGTH(${col(d, 'self_intro')}) = 0`)),
    f('sentences_log', '文の数（対数）', 'sentences (log)', (c) => ln1p(c.t.sentences)),
    f('sentence_chars', '1文の平均文字数（10字単位）', 'mean sentence length (10 chars)', (c) => (c.t.sentences ? c.t.chars / c.t.sentences / 10 : 0)),
    f('paragraphs_log', '段落数（対数）', 'paragraphs (log)', (c) => ln1p(c.t.paragraphs)),
    f('lines_log', '行数（対数）', 'lines (log)', (c) => ln1p(c.t.lines)),
    f('tokens_log', '単語数（対数）', 'words (log)', (c) => ln1p(c.t.tokens)),
    ...[50, 100, 200, 400].map((k) => f(`tokens_over_${k}`, `単語数（${k}語超の部分）`, `words beyond ${k}`, (c) => hinge(c.t.tokens, k) / 100)),
    ...[0.5, 0.6].map((k) => f(`noun_share_over_${k * 100}`, `名詞の割合（${k * 100}%超の部分）`, `share of nouns beyond ${k * 100} %`, (c) => hinge(c.t.nounShare, k))),
    ...[0.02, 0.05].map((k) => f(`adverb_share_over_${k * 100}`, `副詞の割合（${k * 100}%超の部分）`, `share of adverbs beyond ${k * 100} %`, (c) => hinge(c.t.adverbShare, k))),
    f('noun_share', '名詞の割合', 'share of nouns', (c) => c.t.nounShare),
    f('verb_share', '動詞の割合', 'share of verbs', (c) => c.t.verbShare),
    f('adjective_share', '形容詞の割合', 'share of adjectives', (c) => c.t.adjectiveShare),
    f('adverb_share', '副詞の割合', 'share of adverbs', (c) => c.t.adverbShare),
    f('content_diversity', '語彙の多様さ', 'vocabulary diversity', (c) => c.t.contentDiversity),
    f('numbers_log', '具体的な数字の数（対数）', 'numbers (log)', (c) => ln1p(c.t.numbers)),
    f('numbers_with_unit_log', '単位付きの数字（年・件・%・万円など、対数）', 'numbers with units (log)', (c) => ln1p(c.t.numbersWithUnit)),
    f('numbers_per_100', '数字の密度（100字あたり）', 'numbers per 100 chars', (c) => per100(c, c.t.numbers)),
    f('achievements_log', '実績を表す語（実績・担当・開発・改善など、対数）', 'achievement words (log)', (c) => ln1p(c.t.achievements)),
    f('achievements_per_100', '実績を表す語の密度（100字あたり）', 'achievement words per 100 chars', (c) => per100(c, c.t.achievements)),
    f('urls_log', '自己紹介内のURL数（対数）', 'URLs in the self-intro (log)', (c) => ln1p(c.t.urls)),
    f('own_skills_mentioned_log', '自己紹介で触れた登録スキル数（対数）', 'own skills mentioned (log)', (c) => ln1p(c.t.ownSkillMentions)),
    f('own_skills_mentioned_share', '自己紹介で触れた登録スキルの割合', 'share of own skills mentioned', (c) => (c.p.skills.length ? Math.min(1, c.t.ownSkillMentions / c.p.skills.length) : 0)),
    f('dict_skills_mentioned_log', '自己紹介で触れた既知スキル数（対数）', 'known skills mentioned (log)', (c) => ln1p(c.t.dictSkillMentions)),
  );
  return out;
}

function behaviourFeatures(): FeatureImpl[] {
  const f = (name: string, label_ja: string, label_en: string, get: (a: ActivitySummary) => number): FeatureImpl => ({ name, label_ja, label_en, group: 'behaviour', get: (c) => (c.a ? get(c.a) : 0), sql: () => null });
  return [
    { name: 'activity_missing', label_ja: '行動データなし', label_en: 'no activity data', group: 'behaviour', get: (c) => (c.a ? 0 : 1), sql: () => null },
    f('login_days_log', '最終ログインからの日数（対数）', 'days since last login (log)', (a) => ln1p(a.days_since_login ?? 0)),
    f('login_never', 'ログイン記録なし', 'never logged in', (a) => (a.days_since_login == null ? 1 : 0)),
    f('login_within_7d', '7日以内にログイン', 'logged in within 7 days', (a) => (a.days_since_login != null && a.days_since_login <= 7 ? 1 : 0)),
    f('logins_30d_log', '30日間のログイン数（対数）', 'logins in 30 days (log)', (a) => ln1p(a.logins_30d)),
    f('interests_received_30d_log', '30日間に受けた「気になる」（対数）', 'interests received, 30 days (log)', (a) => ln1p(a.interests_received_30d)),
    f('interests_received_90d_log', '90日間に受けた「気になる」（対数）', 'interests received, 90 days (log)', (a) => ln1p(a.interests_received_90d)),
    f('interests_sent_30d_log', '30日間に送った「気になる」（対数）', 'interests sent, 30 days (log)', (a) => ln1p(a.interests_sent_30d)),
    f('interests_sent_90d_log', '90日間に送った「気になる」（対数）', 'interests sent, 90 days (log)', (a) => ln1p(a.interests_sent_90d)),
    f('matches_90d_log', '90日間のマッチング数（対数）', 'matches, 90 days (log)', (a) => ln1p(a.matches_90d)),
    f('match_rate_90d', 'マッチング率（90日）', 'match rate, 90 days', (a) => a.match_rate_90d ?? 0),
    f('match_rate_missing', 'マッチング率なし', 'no match rate', (a) => (a.match_rate_90d == null ? 1 : 0)),
    f('response_rate_90d', '返信率（90日）', 'response rate, 90 days', (a) => a.response_rate_90d ?? 0),
    f('response_rate_missing', '返信率なし', 'no response rate', (a) => (a.response_rate_90d == null ? 1 : 0)),
    f('messages_received_90d_log', '90日間の受信メッセージ（対数）', 'messages received, 90 days (log)', (a) => ln1p(a.messages_received_90d)),
    f('messages_sent_90d_log', '90日間の送信メッセージ（対数）', 'messages sent, 90 days (log)', (a) => ln1p(a.messages_sent_90d)),
    f('contracts_365d_log', '1年間の契約数（対数）', 'contracts, 365 days (log)', (a) => ln1p(a.contracts_365d)),
    f('profile_views_30d_log', '30日間のプロフィール閲覧数（対数）', 'profile views, 30 days (log)', (a) => ln1p(a.profile_views_30d)),
    // Hinges on the log scale: effects of activity tend to saturate or set in late.
    ...[5, 20, 50].map((k) => f(`profile_views_30d_over_${k}`, `30日間の閲覧数（${k}回超の部分、対数）`, `profile views beyond ${k} (log)`, (a) => hinge(ln1p(a.profile_views_30d), Math.log1p(k)))),
    ...[7, 30, 90].map((k) => f(`login_days_over_${k}`, `最終ログインから${k}日超の部分（対数）`, `days since login beyond ${k} (log)`, (a) => hinge(ln1p(a.days_since_login ?? 0), Math.log1p(k)))),
    ...[1, 3].map((k) => f(`contracts_365d_over_${k}`, `1年間の契約数（${k}件超の部分）`, `contracts beyond ${k}`, (a) => hinge(a.contracts_365d, k))),
  ];
}

/**
 * Skill-family counts shared by every occupation, plus occupation × family deviations:
 * ridge shrinks the deviations towards the shared effect, so rare pairs borrow strength.
 */
function interactionFeatures(): FeatureImpl[] {
  const out: FeatureImpl[] = SKILL_FAMILIES.map((fam, j) => ({
    name: `family_${fam.key}`,
    label_ja: `${fam.label_ja}のスキル数（対数）`,
    label_en: `${fam.label_en} skills (log)`,
    group: 'profile' as const,
    get: (c: Ctx) => ln1p(c.family[j]),
    sql: () => null,
  }));
  [...OCCUPATIONS, OTHER_OCCUPATION].forEach((o, i) => {
    SKILL_FAMILIES.forEach((fam, j) => {
      out.push({
        name: `occ_${o.key}_x_${fam.key}`,
        label_ja: `${o.label_ja}の${fam.label_ja}スキル`,
        label_en: `${fam.label_en} skills of a ${o.label_en}`,
        group: 'interaction',
        get: (c) => (c.occ === i ? ln1p(c.family[j]) : 0),
        sql: () => null,
      });
    });
  });
  return out;
}

/**
 * Skill demand (features/skill-demand.ts demandFeaturesInto, in its order). 0 in featurize's
 * vector: filled from the model's demand table by fillDemand on every scoring path.
 */
function demandFeatures(): FeatureImpl[] {
  const f = (name: string, label_ja: string, label_en: string): FeatureImpl => ({ name, label_ja, label_en, group: 'demand', get: () => 0, sql: () => null });
  const out = [
    f('demand_share_sum', 'この職種の案件で求められるスキル（需要の合計）', 'skills this occupation\'s jobs ask for (total demand)'),
    f('demand_share_max', 'この職種の案件で最も求められる保有スキルの需要', 'demand for the most wanted of the skills'),
    f('demand_count_log', 'この職種の案件で求められるスキル数（対数）', 'skills this occupation\'s jobs ask for (log count)'),
    f('demand_count_share', '保有スキルのうち案件で求められるものの割合', 'share of the skills this occupation\'s jobs ask for'),
    f('demand_none', 'この職種の案件で求められるスキルがない', 'none of the skills is asked for in this occupation\'s jobs'),
  ];
  if (out.length !== DEMAND_FEATURE_COUNT) throw new Error('demand features out of step with skill-demand.ts');
  return out;
}

function buildImpls(): FeatureImpl[] {
  return [...profileFeatures(), ...textFeatures(), ...behaviourFeatures(), ...interactionFeatures(), ...demandFeatures()];
}

function specVersion(impls: FeatureImpl[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ FORMULA_REVISION, OCCUPATIONS, SKILL_FAMILIES, CORE_FAMILIES, ACHIEVEMENT_TERMS, NUMBER_UNITS }));
  // Function source is not hashed (it differs between transpilers); the SQL text of each
  // feature, rendered with a canonical dialect, is.
  const canonical: FeatureSqlDialect = { name: 'canonical', ident: (n) => `"${n}"`, float: (e) => `CAST(${e} AS DOUBLE)`, arrayLength: (e) => `len(${e})` };
  for (const f of impls) h.update(`${f.name}\u0000${f.group}\u0000${f.sql?.(canonical) ?? ''}\n`);
  return `fs1-${h.digest('hex').slice(0, 12)}`;
}

function context(tk: Tokenizer, s: ProfileSnapshot): Ctx {
  const p = s.profile;
  const occ = occupationIndex(p.occupation);
  const family = new Float64Array(SKILL_FAMILIES.length);
  const coreKeys = new Set(CORE_FAMILIES[[...OCCUPATIONS, OTHER_OCCUPATION][occ].key] ?? []);
  let core = 0;
  let offcore = 0;
  let unknown = 0;
  for (const skill of new Set(p.skills)) {
    const fams = familiesOf(skill);
    if (!fams.length) unknown++;
    else if (fams.some((j) => coreKeys.has(SKILL_FAMILIES[j].key))) core++;
    else offcore++;
    for (const j of fams) family[j]++;
  }
  return { p, a: s.activity, t: analyzeText(tk, p.self_intro ?? '', p.skills), occ, family, core, offcore, unknown };
}

/** Positions of one feature group in a spec's vectors (e.g. 'behaviour', 'demand'). */
export function groupPositions(spec: { features: readonly { group: string }[] }, group: FeatureDef['group']): Int32Array {
  return Int32Array.from(spec.features.flatMap((d, i) => (d.group === group ? [i] : [])));
}

/** A featurizer over a given tokenizer (tests and workers share one per process). */
export function createFeaturizer(tk: Tokenizer): FullFeaturizer {
  const impls = buildImpls();
  const spec: FeatureSpec = {
    version: specVersion(impls),
    features: impls.map(({ name, label_ja, label_en, group, sql }) => ({ name, label_ja, label_en, group, sql })),
  };
  const behaviour = groupPositions(spec, 'behaviour');
  return {
    spec,
    behaviourIndex: behaviour,
    demandIndex: groupPositions(spec, 'demand'),
    featurizeBehaviour(a: ActivitySummary | null): Float64Array {
      // Behaviour features read only the activity summary.
      const c = { a } as Ctx;
      return Float64Array.from(behaviour, (i) => {
        const v = impls[i].get(c);
        return Number.isFinite(v) ? v : 0;
      });
    },
    featurize(s: ProfileSnapshot): Float64Array {
      const c = context(tk, s);
      const x = new Float64Array(impls.length);
      for (let i = 0; i < impls.length; i++) {
        const v = impls[i].get(c);
        x[i] = Number.isFinite(v) ? v : 0;
      }
      return x;
    },
  };
}

let featurizerPromise: Promise<FullFeaturizer> | null = null;

/** The process-wide featurizer; kuromoji is loaded once per process. */
export function loadFeaturizer(): Promise<FullFeaturizer> {
  featurizerPromise ??= loadTokenizer().then(createFeaturizer);
  featurizerPromise.catch(() => {
    featurizerPromise = null;
  });
  return featurizerPromise;
}
