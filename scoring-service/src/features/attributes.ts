/**
 * The profile attribute each model feature describes, for explanations. The model sees an
 * attribute through several columns — a log, hinges beyond thresholds, spline bases, an
 * occupation-specific deviation — whose single contributions mean little to a reader and
 * can even carry the opposite sign of the attribute's effect (a hinge "days since login
 * beyond 30" may be positive while the login recency as a whole lowers the score). Reasons
 * are therefore given per attribute: the sum of its columns' contributions, which is the
 * attribute's effect relative to the average training profile.
 *
 * A feature no rule names is its own attribute, with its own labels.
 */
import type { FeatureDef } from './featurizer.ts';
import { OCCUPATIONS, OTHER_OCCUPATION, SKILL_FAMILIES } from './vocabulary.ts';

export interface Attribute {
  key: string;
  label_ja: string;
  label_en: string;
}

const attr = (key: string, label_ja: string, label_en: string): Attribute => ({ key, label_ja, label_en });

/** First match wins. */
const RULES: [RegExp, Attribute][] = [
  [/^years(_|$)/, attr('experience', '経験年数', 'years of experience')],
  [/^rate_/, attr('hourly_rate', '時給', 'hourly rate')],
  [/^availability_/, attr('availability', '稼働可能日数', 'available days per week')],
  [/^(portfolio_log|has_portfolio)$/, attr('portfolio', 'ポートフォリオ', 'portfolio')],
  [/^skill_count(_|$)/, attr('skill_count', 'スキル数', 'number of skills')],
  [/^skills_core_/, attr('core_skills', '職種の中核スキル', 'core skills of the occupation')],
  [/^skills_offcore_/, attr('offcore_skills', '職種外の既知スキル', 'known skills outside the occupation')],
  [/^skills_unknown_/, attr('unknown_skills', '辞書にないスキル', 'skills not in the dictionary')],
  // Characters, words, sentences, paragraphs and lines all measure how much is written and
  // move together: one attribute, so their opposite-signed shares net out.
  [/^(text_chars|text_empty$|tokens_|sentences_log$|sentence_chars$|paragraphs_log$|lines_log$)/, attr('intro_length', '自己紹介の分量（文字数・文・段落）', 'self-intro length (characters, sentences, paragraphs)')],
  [/^((noun|verb|adjective|adverb)_share|content_diversity)/, attr('intro_style', '自己紹介の文体（品詞・語彙）', 'self-intro style (parts of speech, vocabulary)')],
  [/^numbers_/, attr('intro_numbers', '自己紹介の具体的な数字', 'numbers in the self-intro')],
  [/^achievements_/, attr('intro_achievements', '自己紹介の実績表現', 'achievement words in the self-intro')],
  [/_skills_mentioned_/, attr('intro_skills', '自己紹介で触れたスキル', 'skills mentioned in the self-intro')],
  [/^urls_/, attr('intro_urls', '自己紹介内のURL', 'URLs in the self-intro')],
  [/^(login_days_|login_never$|login_within_7d$)/, attr('login_recency', '最終ログイン', 'last login')],
  [/^logins_30d_/, attr('logins', 'ログイン回数（30日間）', 'logins (30 days)')],
  [/^interests_received_/, attr('interests_received', '受けた「気になる」', 'interests received')],
  [/^interests_sent_/, attr('interests_sent', '送った「気になる」', 'interests sent')],
  [/^(matches_90d_|match_rate_)/, attr('matching', 'マッチング', 'matches')],
  [/^response_rate_/, attr('response_rate', '返信率', 'response rate')],
  [/^messages_/, attr('messages', 'メッセージ', 'messages')],
  [/^contracts_365d_/, attr('contracts', '1年間の契約', 'contracts in a year')],
  [/^profile_views_30d_/, attr('profile_views', 'プロフィール閲覧数（30日間）', 'profile views (30 days)')],
  [/^demand_/, attr('skill_demand', '保有スキルの案件需要', 'demand for the skills in job postings')],
];

const OCCUPATION = attr('occupation', '職種', 'occupation');
const occupationKeys = new Set([...OCCUPATIONS, OTHER_OCCUPATION].map((o) => o.key));
const families = new Map(SKILL_FAMILIES.map((f) => [f.key, attr(`skills_${f.key}`, `${f.label_ja}のスキル`, `${f.label_en} skills`)]));

/**
 * The attribute of one feature. A skill family's shared column (`family_<f>`) and its
 * occupation-specific deviations (`occ_<o>_x_<f>`) are one attribute, and so are the
 * occupation indicators (`occ_<o>`).
 */
export function attributeOf(def: Pick<FeatureDef, 'name' | 'label_ja' | 'label_en'>): Attribute {
  const n = def.name;
  const fam = /^family_(.+)$/.exec(n)?.[1] ?? /^occ_[a-z]+_x_(.+)$/.exec(n)?.[1];
  if (fam !== undefined && families.has(fam)) return families.get(fam)!;
  if (n.startsWith('occ_') && occupationKeys.has(n.slice(4))) return OCCUPATION;
  for (const [re, a] of RULES) if (re.test(n)) return a;
  return attr(n, def.label_ja, def.label_en);
}

/** A model's columns grouped by attribute: groupOf[j] indexes attributes, in order of first appearance. */
export interface AttributeGroups {
  groupOf: Int32Array;
  attributes: Attribute[];
}

export function attributeGroups(defs: readonly Pick<FeatureDef, 'name' | 'label_ja' | 'label_en'>[]): AttributeGroups {
  const index = new Map<string, number>();
  const attributes: Attribute[] = [];
  const groupOf = Int32Array.from(defs, (d) => {
    const a = attributeOf(d);
    let g = index.get(a.key);
    if (g === undefined) {
      index.set(a.key, (g = attributes.length));
      attributes.push(a);
    }
    return g;
  });
  return { groupOf, attributes };
}
