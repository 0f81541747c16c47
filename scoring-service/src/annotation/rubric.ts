/** The first shared rubric, stored as version v1 the first time anyone reads the rubric. */
export const DEFAULT_RUBRIC_JA = `# 採点基準 (1〜5)

採点するのは「企業がこのプロフィールを見て、仕事を依頼したいと思うか」です。

- 5: すぐに声をかけたい。職種に合った主要スキルがそろい、経験・実績が自己紹介とポートフォリオで具体的に示されている。
- 4: 依頼を検討したい。スキルと経験は十分だが、実績の具体性か稼働条件にやや不足がある。
- 3: 条件次第。職種の基本スキルはあるが、自己紹介が短すぎる/長すぎる、実績が読み取りにくいなど判断材料が足りない。
- 2: 依頼は難しい。職種とスキルが合っていない、経験が浅い、情報がほとんどない。
- 1: 依頼できない。内容がほぼ空、または職種と無関係。

## 見るところ
- 職種ごとに重要なスキルは違います(例: エンジニアは言語・フレームワーク、デザイナーはツールとポートフォリオ)。
- 自己紹介は長さではなく中身: 具体的な実績、担当範囲、成果。長すぎて要点が分からないものは減点。
- 稼働日数・単価・リモート可否が現実的か。
- 最近のログインや返信率などの活動状況も参考にします。

## コメント
何を見て判断したかを一言書いてください。特徴量づくりの手がかりになります。
予測スコアは参考です。違うと思ったら、その理由をコメントに書いてください。`;

export const DEFAULT_RUBRIC_EN = `# Scoring rubric (1–5)

Score whether a company seeing this profile would want to offer work.
5: would contact at once — key skills for the occupation, concrete experience shown in the introduction and portfolio.
4: would consider — enough skills and experience, somewhat vague results or availability.
3: depends — basic skills, but too short or too long an introduction or unclear results.
2: hard to offer work — skills do not fit the occupation, little experience or information.
1: cannot offer work — nearly empty or unrelated.
Which skills matter depends on the occupation; judge the content of the introduction, not its length; check that availability and rate are realistic; recent activity counts too.
Write in the comment what you looked at. The predicted score is a reference only.`;
