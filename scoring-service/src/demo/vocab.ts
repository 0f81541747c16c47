/**
 * Vocabulary of the demo world: occupations with the skills that matter for each
 * (`core`) and skills people list that do not (`peripheral`), prefectures, and the
 * sentence material self-introductions are assembled from.
 */

export interface OccupationDef {
  name: string;
  /** Share of freelancers with this occupation. */
  share: number;
  /** Skills an expert looks for in this occupation (the hidden rule rewards them). */
  core: string[];
  /** Skills commonly listed that carry no weight for this occupation. */
  peripheral: string[];
  /** Typical hourly rate in yen for a mid-career freelancer. */
  baseRate: number;
  /** Achievement sentences; {n} a number, {m} a second number, {s} a core skill of the profile. */
  achievements: string[];
  /** Role words for "worked as … at …" sentences. */
  roles: string[];
  portfolioHosts: string[];
}

export const OCCUPATIONS: OccupationDef[] = [
  {
    name: 'エンジニア', share: 0.3, baseRate: 4500,
    core: ['TypeScript', 'React', 'Go', 'AWS', 'Python', 'Docker', 'Kubernetes', 'SQL', 'Next.js', 'GCP', 'Ruby on Rails', 'CI/CD'],
    peripheral: ['HTML', 'CSS', 'jQuery', 'WordPress', 'Excel VBA', 'PHP'],
    achievements: [
      '{s}を用いたSaaSの新規開発を担当し、APIのレスポンスタイムを{n}%改善しました。',
      '月間{n}万ユーザーのECサイトのバックエンドを{s}でリプレイスしました。',
      '{m}名のチームでテックリードを務め、リリース頻度を週{n}回まで高めました。',
      '{s}によるインフラ構築で、月額のクラウド費用を{n}%削減しました。',
      'テストカバレッジを{n}%から{m}%に引き上げ、障害件数を半減させました。',
      '{s}を使った社内ツールを{n}本開発し、作業時間を月{m}時間削減しました。',
    ],
    roles: ['Webエンジニア', 'バックエンドエンジニア', 'フロントエンドエンジニア', 'SRE'],
    portfolioHosts: ['https://github.com/', 'https://zenn.dev/', 'https://qiita.com/'],
  },
  {
    name: 'デザイナー', share: 0.18, baseRate: 3500,
    core: ['Figma', 'Photoshop', 'Illustrator', 'UI設計', 'UXリサーチ', 'デザインシステム', 'プロトタイピング', 'XD'],
    peripheral: ['HTML', 'CSS', 'WordPress', 'Canva', 'PowerPoint', 'InDesign'],
    achievements: [
      '{s}でアプリのUIを全面リニューアルし、継続率を{n}%向上させました。',
      'LPのデザインを{n}本以上制作し、CVRを平均{m}%改善しました。',
      '{m}社のブランドロゴとVIを{s}で制作しました。',
      'ユーザーインタビューを{n}件実施し、{s}で導線を再設計しました。',
      'デザインシステムを構築し、画面制作の工数を{n}%削減しました。',
    ],
    roles: ['UIデザイナー', 'Webデザイナー', 'グラフィックデザイナー'],
    portfolioHosts: ['https://www.behance.net/', 'https://dribbble.com/', 'https://portfolio.example.jp/'],
  },
  {
    name: 'ライター', share: 0.15, baseRate: 2500,
    core: ['SEO', '取材', '校正', '構成案作成', 'インタビュー', 'コピーライティング', 'WordPress'],
    peripheral: ['Canva', 'Excel', '翻訳', 'Photoshop', 'SNS運用'],
    achievements: [
      '月間{n}万PVのオウンドメディアで{m}本以上の記事を執筆しました。',
      '{s}を意識した記事で、狙ったキーワードの{n}割を検索1ページ目に入れました。',
      '経営者への{s}記事を{n}本担当しました。',
      '{n}文字規模のホワイトペーパーを{m}本執筆しました。',
      '担当したメルマガの開封率を{n}%改善しました。',
    ],
    roles: ['Webライター', '編集ライター', 'コピーライター'],
    portfolioHosts: ['https://note.com/', 'https://portfolio.example.jp/'],
  },
  {
    name: 'マーケター', share: 0.13, baseRate: 4000,
    core: ['広告運用', 'Google Analytics', 'SEO', 'SNS運用', 'データ分析', 'CRM', 'Google広告', 'Meta広告'],
    peripheral: ['Canva', 'Excel', 'PowerPoint', 'WordPress', '取材'],
    achievements: [
      '月額{n}万円規模の{s}を担当し、CPAを{m}%改善しました。',
      '{s}の改善でオーガニック流入を{k}倍に伸ばしました。',
      'SNSアカウントを{n}ヶ月でフォロワー{m}万人まで成長させました。',
      '{s}を用いた分析で、解約率を{n}%下げる施策を立案しました。',
      'BtoB企業{n}社のリード獲得を支援し、商談数を{m}%増やしました。',
    ],
    roles: ['Webマーケター', 'デジタルマーケター', 'グロースマーケター'],
    portfolioHosts: ['https://note.com/', 'https://portfolio.example.jp/'],
  },
  {
    name: 'ディレクター', share: 0.1, baseRate: 4200,
    core: ['プロジェクト管理', '要件定義', 'Webディレクション', 'スクラム', 'Backlog', '進行管理'],
    peripheral: ['Excel', 'PowerPoint', 'Figma', 'HTML', 'Canva'],
    achievements: [
      '{m}名規模のWeb制作プロジェクトを{s}で統括し、{n}件を納期通りに納品しました。',
      '予算{m}00万円のサイトリニューアルで{s}を担当しました。',
      '{s}を導入し、開発チームのベロシティを{n}%向上させました。',
      '年間{n}件の案件の進行を管理しました。',
    ],
    roles: ['Webディレクター', 'プロジェクトマネージャー', 'プロダクトマネージャー'],
    portfolioHosts: ['https://portfolio.example.jp/', 'https://note.com/'],
  },
  {
    name: '編集者', share: 0.07, baseRate: 3000,
    core: ['編集', '校正', '校閲', '企画立案', '取材', '進行管理'],
    peripheral: ['InDesign', 'WordPress', 'SEO', 'Photoshop', 'Excel'],
    achievements: [
      '月刊誌の編集者として{n}年間、毎号{m}ページを担当しました。',
      '{s}を担当した書籍が累計{n}万部を突破しました。',
      'Webメディアの編集長として、月間PVを{n}万から{m}万に伸ばしました。',
      '{n}名のライターを{s}の面からディレクションしました。',
    ],
    roles: ['書籍編集者', 'Web編集者', '雑誌編集者'],
    portfolioHosts: ['https://note.com/', 'https://portfolio.example.jp/'],
  },
  {
    name: '動画クリエイター', share: 0.07, baseRate: 3200,
    core: ['Premiere Pro', 'After Effects', 'DaVinci Resolve', '撮影', 'モーショングラフィックス', 'YouTube運用'],
    peripheral: ['Photoshop', 'Illustrator', 'Final Cut Pro', 'Canva', 'SNS運用'],
    achievements: [
      '{s}で企業のPR動画を{n}本以上制作しました。',
      '編集を担当したYouTubeチャンネルが登録者{n}万人を達成しました。',
      '{s}を使ったアニメーション広告で、再生完了率を{m}%改善しました。',
      'イベントの撮影と編集を年間{n}件担当しました。',
    ],
    roles: ['映像ディレクター', '動画編集者', 'モーションデザイナー'],
    portfolioHosts: ['https://www.youtube.com/@', 'https://vimeo.com/', 'https://portfolio.example.jp/'],
  },
];

export const OCCUPATION_NAMES = OCCUPATIONS.map((o) => o.name);

export function occupationDef(name: string): OccupationDef | undefined {
  return OCCUPATIONS.find((o) => o.name === name);
}

/** Skills anyone may list; they never matter. */
export const GENERIC_SKILLS = ['Word', 'Excel', 'PowerPoint', 'Notion', 'Slack', '英語', 'コミュニケーション'];

export const PREFECTURES: [string, number][] = [
  ['東京都', 40], ['神奈川県', 10], ['大阪府', 9], ['埼玉県', 5], ['千葉県', 5], ['愛知県', 5], ['福岡県', 5],
  ['北海道', 3], ['京都府', 3], ['兵庫県', 3], ['宮城県', 2], ['広島県', 2], ['静岡県', 2], ['沖縄県', 2],
  ['長野県', 1], ['新潟県', 1], ['岡山県', 1], ['熊本県', 1],
];

export const OPENINGS = [
  'はじめまして。フリーランスの{occ}として活動しています。',
  'フリーランスで{occ}をしています。',
  '{occ}歴{y}年のフリーランスです。',
  'ご覧いただきありがとうございます。{occ}として独立して{y}年になります。',
];

export const CAREER = [
  '{corp}で{y}年間{role}として働いた後、独立しました。',
  '新卒で{corp}に入社し、{role}として経験を積みました。',
  '{corp}で{role}を{y}年務めました。',
];

/** Sentences describing what the person does, without numbers. */
export const DUTIES = [
  '{role}として、{s}を中心に幅広い案件に対応してきました。',
  '要件のヒアリングから納品後の改善提案まで一貫して担当できます。',
  '{s}を使った業務が特に得意です。',
  'クライアントの目的を理解したうえで、最適な進め方をご提案します。',
  '新しい技術や手法のキャッチアップも積極的に行っています。',
  'チームでの開発・制作にも、一人での対応にも慣れています。',
  '{s}に関する知見を活かし、成果につながる仕事を心がけています。',
];

export const CORPS = ['大手SIer', 'Web制作会社', '広告代理店', '出版社', 'スタートアップ', '事業会社', '制作プロダクション', 'メーカー'];

export const SKILL_LINES = ['得意な分野は{skills}です。', '主に{skills}を使っています。', '{skills}での対応が可能です。'];

export const WORK_STYLE = [
  '平日は1日{h}時間ほど稼働できます。',
  '週{d}日程度の稼働を希望しています。',
  '土日の対応は基本的に難しいですが、急ぎの場合はご相談ください。',
  '複数の案件を並行して進めることにも慣れています。',
  '初めてのお取引でも、要件のすり合わせから丁寧に進めます。',
  'リモートでの対応を希望します。',
  '丁寧なコミュニケーションと納期厳守を心がけています。',
  'チャットでのこまめな報告を大切にしています。',
];

export const FILLER = [
  'いろいろな案件に携わってきました。',
  'なんでも対応できます。',
  '頑張ります！',
  '興味のある案件があればぜひご連絡ください。',
  '色々と勉強中です。',
  '幅広く対応可能です。',
  'やる気はあります。',
  'まずはお気軽にご相談ください。',
];

export const CLOSINGS = ['よろしくお願いします。', 'どうぞよろしくお願いいたします。', 'お気軽にご連絡ください。'];

export const RAMBLE = [
  '最近はカフェ巡りにはまっていて、休日は新しいお店を探して歩き回っています。',
  '学生時代はバンド活動に打ち込んでいて、その経験から人と協力することの大切さを学びました。',
  '実は昔から文章を書くのが好きで、小学生の頃は毎日日記をつけていました。',
  '仕事をするうえで大切にしていることはたくさんありますが、一言では言い表せません。',
  '将来的には地方に移住して、自然の中で働くことも考えています。',
  '趣味は旅行で、これまでいろいろな場所に行きました。',
  'こういうことを書くのは苦手なのですが、思いつくままに書いてみます。',
  '前職では本当にいろいろなことがあり、今振り返ると良い経験だったと思います。',
  '猫を二匹飼っていて、作業中によくキーボードの上を歩かれます。',
  '体調管理のために毎朝ジョギングをするようにしています。',
];

export const SYLLABLES = ['ka', 'ki', 'ta', 'na', 'mi', 'ri', 'yu', 'ko', 'sa', 'to', 'ha', 'ru', 'ne', 'mo', 'shi', 'ken', 'ai', 'yo'];

export const COMPANY_WORDS = ['テック', 'クリエイト', 'ラボ', 'デジタル', 'ネクスト', 'リンク', 'ワークス', 'メディア', 'スタジオ', 'ソリューションズ'];
export const COMPANY_PREFIX = ['株式会社', '合同会社', ''];
export const INDUSTRIES = ['IT・通信', '広告・マーケティング', '人材', '出版・メディア', '小売・EC', '金融', '製造', 'エンタメ', '不動産', '教育'];
