/**
 * General knowledge the features rely on: occupations of the Japanese freelance market,
 * a dictionary of widely used skills grouped into broad families, and the words that mark
 * concrete achievements in a Japanese self-introduction. Written from the trade, not from
 * any data set, so the model learns the weights and the vocabulary only names things.
 * Changing anything here changes the feature spec version (featurizer.ts hashes it).
 */

/** Canonical occupations; a profile's occupation maps to the first whose alias it contains. */
export const OCCUPATIONS: { key: string; label_ja: string; label_en: string; aliases: string[] }[] = [
  { key: 'engineer', label_ja: 'エンジニア', label_en: 'engineer', aliases: ['エンジニア', 'プログラマ', '開発者', 'engineer', 'developer', 'programmer', 'sre'] },
  { key: 'data', label_ja: 'データサイエンティスト', label_en: 'data scientist', aliases: ['データサイエンティスト', 'データアナリスト', 'アナリスト', 'data scientist', 'analyst'] },
  { key: 'designer', label_ja: 'デザイナー', label_en: 'designer', aliases: ['デザイナー', 'designer', 'イラストレーター', 'illustrator'] },
  { key: 'video', label_ja: '動画クリエイター', label_en: 'video creator', aliases: ['動画', '映像', 'カメラマン', 'フォトグラファー', 'video', 'movie', 'photographer'] },
  { key: 'writer', label_ja: 'ライター', label_en: 'writer', aliases: ['ライター', '翻訳', 'writer', 'translator', 'copywriter'] },
  { key: 'editor', label_ja: '編集者', label_en: 'editor', aliases: ['編集', 'エディター', 'editor'] },
  { key: 'marketer', label_ja: 'マーケター', label_en: 'marketer', aliases: ['マーケター', 'マーケティング', '広告運用', 'marketer', 'marketing'] },
  { key: 'director', label_ja: 'ディレクター', label_en: 'director', aliases: ['ディレクター', 'プロデューサー', 'director', 'producer'] },
  { key: 'pm', label_ja: 'プロジェクトマネージャー', label_en: 'project manager', aliases: ['プロジェクトマネージャー', 'プロダクトマネージャー', 'マネージャー', 'pm', 'manager'] },
  { key: 'business', label_ja: 'ビジネス職', label_en: 'business', aliases: ['営業', 'セールス', 'コンサルタント', '人事', '広報', '経理', 'sales', 'consultant'] },
];
export const OTHER_OCCUPATION = { key: 'other', label_ja: 'その他の職種', label_en: 'other occupation' };

/** Broad skill families; a skill may belong to several. Terms are matched case-insensitively after NFKC. */
export const SKILL_FAMILIES: { key: string; label_ja: string; label_en: string; terms: string[] }[] = [
  { key: 'frontend', label_ja: 'フロントエンド', label_en: 'front-end', terms: ['javascript', 'typescript', 'react', 'vue', 'vue.js', 'angular', 'next.js', 'nuxt', 'nuxt.js', 'html', 'css', 'sass', 'jquery', 'svelte', 'webpack', 'フロントエンド', 'コーディング'] },
  { key: 'backend', label_ja: 'バックエンド', label_en: 'back-end', terms: ['java', 'python', 'ruby', 'rails', 'ruby on rails', 'php', 'laravel', 'go', 'golang', 'node.js', 'nodejs', 'c#', '.net', 'kotlin', 'scala', 'rust', 'django', 'flask', 'spring', 'spring boot', 'sql', 'mysql', 'postgresql', 'graphql', 'c++', 'api設計', 'バックエンド', 'wordpress'] },
  { key: 'infra', label_ja: 'インフラ・クラウド', label_en: 'infrastructure & cloud', terms: ['aws', 'gcp', 'google cloud', 'azure', 'docker', 'kubernetes', 'terraform', 'linux', 'ci/cd', 'github actions', 'インフラ', 'ネットワーク', 'セキュリティ', 'sre'] },
  { key: 'mobile', label_ja: 'モバイル', label_en: 'mobile', terms: ['swift', 'ios', 'android', 'flutter', 'react native', 'kotlin', 'dart', 'objective-c', 'アプリ開発'] },
  { key: 'data', label_ja: 'データ・機械学習', label_en: 'data & machine learning', terms: ['機械学習', 'データ分析', 'tensorflow', 'pytorch', 'bigquery', 'pandas', 'r', '統計', '統計解析', 'ディープラーニング', '深層学習', 'scikit-learn', 'tableau', 'looker', 'spark', 'データ基盤', '自然言語処理', 'ai'] },
  { key: 'visual', label_ja: 'グラフィック', label_en: 'graphic design', terms: ['photoshop', 'illustrator', 'indesign', 'グラフィックデザイン', 'ロゴデザイン', 'バナー制作', 'バナーデザイン', 'dtp', 'イラスト', 'タイポグラフィ', 'ブランディング', 'canva', 'パッケージデザイン'] },
  { key: 'uiux', label_ja: 'UI/UX', label_en: 'UI/UX', terms: ['figma', 'sketch', 'adobe xd', 'xd', 'ui', 'ux', 'uiデザイン', 'uxデザイン', 'ui/ux', 'ワイヤーフレーム', 'プロトタイピング', 'ユーザーリサーチ', 'webデザイン', 'ui設計', 'uxリサーチ', 'デザインシステム', '画面設計', 'ユーザビリティ'] },
  { key: 'video', label_ja: '動画・映像', label_en: 'video', terms: ['premiere pro', 'premiere', 'after effects', 'final cut pro', 'final cut', 'davinci resolve', '動画編集', '映像制作', '撮影', 'モーショングラフィックス', '3dcg', 'blender', 'youtube', 'youtube運用', '動画制作'] },
  { key: 'writing', label_ja: '執筆・編集', label_en: 'writing & editing', terms: ['ライティング', 'seoライティング', 'コピーライティング', '取材', 'インタビュー', '編集', '校正', '校閲', '記事作成', '翻訳', '英語', 'シナリオ', '台本', 'コンテンツ制作', 'プレスリリース', '構成案作成'] },
  { key: 'marketing', label_ja: 'マーケティング', label_en: 'marketing', terms: ['seo', 'sem', 'リスティング広告', 'google analytics', 'ga4', 'google広告', 'google ads', 'facebook広告', 'sns運用', 'snsマーケティング', 'コンテンツマーケティング', '広告運用', 'ma', 'hubspot', 'marketo', 'crm', 'アクセス解析', 'lpo', 'efo', 'マーケティング', 'meta広告', 'instagram広告', 'x広告', 'tiktok広告', 'yahoo広告'] },
  { key: 'management', label_ja: 'マネジメント・進行', label_en: 'management', terms: ['プロジェクト管理', 'プロジェクトマネジメント', 'pm', 'pmo', 'ディレクション', '進行管理', '要件定義', 'スクラム', 'アジャイル', 'backlog', 'jira', 'マネジメント', '企画', 'チームマネジメント', 'プロダクトマネジメント', 'webディレクション', 'ディレクション業務', '企画立案', '予算管理'] },
  { key: 'business', label_ja: 'ビジネス', label_en: 'business', terms: ['営業', '事業開発', 'コンサルティング', '経理', '人事', '採用', 'カスタマーサポート', 'salesforce', '法人営業', '財務', '広報', 'pr'] },
  { key: 'office', label_ja: '汎用ツール・一般スキル', label_en: 'general office skills', terms: ['excel', 'word', 'powerpoint', 'google workspace', 'slack', 'notion', 'chatwork', 'zoom', 'コミュニケーション', 'タイピング', 'データ入力'] },
];

/** Which families are the core of an occupation's work (general trade knowledge). */
export const CORE_FAMILIES: Record<string, string[]> = {
  engineer: ['frontend', 'backend', 'infra', 'mobile'],
  data: ['data', 'backend'],
  designer: ['visual', 'uiux'],
  video: ['video'],
  writer: ['writing'],
  editor: ['writing'],
  marketer: ['marketing', 'data'],
  director: ['management', 'marketing'],
  pm: ['management'],
  business: ['business'],
  other: [],
};
// 'office' is nobody's core: everyone lists it.

/** Words that mark concrete experience and results in a self-introduction. */
export const ACHIEVEMENT_TERMS = [
  '実績', '担当', '開発', '改善', '削減', '向上', '達成', '構築', '設計', '運用', '導入', '受賞', '納品', '制作',
  '執筆', '獲得', '増加', '成長', '立ち上げ', 'リード', '主導', '成功', '貢献', '推進', '企画', '実現', '上昇', '短縮',
];

/** Units that make a number concrete (counts, durations, money, shares). */
export const NUMBER_UNITS = ['年', 'ヶ月', 'か月', 'カ月', '件', '%', '％', '万円', '円', '社', '名', '人', '倍', '本', '記事', '万', 'pv', 'uu'];

export function normalizeTerm(s: string): string {
  return s.normalize('NFKC').toLowerCase().trim();
}

const FAMILY_INDEX = new Map<string, number[]>();
SKILL_FAMILIES.forEach((f, i) => {
  for (const t of f.terms) {
    const k = normalizeTerm(t);
    const list = FAMILY_INDEX.get(k) ?? [];
    if (!list.includes(i)) list.push(i);
    FAMILY_INDEX.set(k, list);
  }
});

/** Family indices of one skill string: exact dictionary term, else any term its words match. */
export function familiesOf(skill: string): number[] {
  const k = normalizeTerm(skill);
  const exact = FAMILY_INDEX.get(k);
  if (exact) return exact;
  // "React.js", "AWS (EC2)" and the like: match on the word before punctuation or a space.
  const head = k.split(/[\s(（/・,、]+/)[0].replace(/\.js$/, '');
  return FAMILY_INDEX.get(head) ?? FAMILY_INDEX.get(head + '.js') ?? [];
}

/** Index into OCCUPATIONS, or OCCUPATIONS.length for "other". Lower-case containment, mirrored in SQL. */
export function occupationIndex(occupation: string): number {
  const o = occupation.toLowerCase();
  for (let i = 0; i < OCCUPATIONS.length; i++) if (OCCUPATIONS[i].aliases.some((a) => o.includes(a.toLowerCase()))) return i;
  return OCCUPATIONS.length;
}

/** Every dictionary term, longest first, for finding skill mentions in free text. */
export const ALL_SKILL_TERMS: string[] = [...FAMILY_INDEX.keys()].filter((t) => t.length >= 2).sort((a, b) => b.length - a.length);
