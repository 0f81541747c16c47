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
  // Measures that move together are one attribute, so the model's opposite-signed shares
  // between them net out (measured on the demo: the contributions of skill count and skills
  // mentioned in the intro correlated −0.84 across profiles, login recency and interests sent −0.74).
  [/^(skill_count(_|$)|skills_(core|offcore|unknown)_|(own|dict)_skills_mentioned_)/, attr('skills', '登録スキル（数・職種との適合など）', 'listed skills (number, fit to the occupation, mentions in the intro)')],
  // Characters, words, sentences, paragraphs and lines all measure how much is written.
  [/^(text_chars|text_empty$|tokens_|sentences_log$|sentence_chars$|paragraphs_log$|lines_log$)/, attr('intro_length', '自己紹介の分量', 'self-intro length (characters, sentences, paragraphs)')],
  [/^((noun|verb|adjective|adverb)_share|content_diversity)/, attr('intro_style', '自己紹介の文体（品詞・語彙）', 'self-intro style (parts of speech, vocabulary)')],
  [/^numbers_/, attr('intro_numbers', '自己紹介の具体的な数字', 'numbers in the self-intro')],
  [/^achievements_/, attr('intro_achievements', '自己紹介の実績表現', 'achievement words in the self-intro')],
  [/^urls_/, attr('intro_urls', '自己紹介内のURL', 'URLs in the self-intro')],
  [/^(activity_missing$|login_|logins_|interests_sent_|messages_|response_rate_)/, attr('activity', '最近の活動（ログイン・返信など）', 'recent activity (logins, replies, messages)')],
  [/^(interests_received_|matches_90d_|match_rate_|profile_views_30d_|contracts_365d_)/, attr('reception', '企業からの反応（気になる・契約など）', 'interest from companies (interests, matches, views, contracts)')],
  [/^demand_/, attr('skill_demand', '保有スキルの案件需要', 'demand for the skills in job postings')],
];

const OCCUPATION = attr('occupation', '職種', 'occupation');
const occupationKeys = new Set([...OCCUPATIONS, OTHER_OCCUPATION].map((o) => o.key));
// "…のスキル" unless the family's name already says skills (汎用ツール・一般スキル).
const families = new Map(SKILL_FAMILIES.map((f) => [f.key, attr(`skills_${f.key}`, /スキル$/.test(f.label_ja) ? f.label_ja : `${f.label_ja}のスキル`, /skills$/.test(f.label_en) ? f.label_en : `${f.label_en} skills`)]));

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
