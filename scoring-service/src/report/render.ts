/**
 * The run report: one self-contained HTML page (inline CSS and SVG, no scripts, no external
 * assets), Japanese first with English labels. It renders only the fields of ReportData —
 * nothing from configuration or the environment — so it cannot carry tokens or keys.
 */
import type { ReportData } from './data.ts';
import { barSvg, esc, lineSvg, scatterSvg } from './svg.ts';

const f = (v: number | null | undefined, d = 4) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));

function section(id: string, ja: string, en: string, body: string): string {
  return `<section id="${id}"><h2>${esc(ja)} <small>/ ${esc(en)}</small></h2>${body}</section>`;
}

function table(head: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function renderReport(d: ReportData): string {
  const c = d.comparison;
  const s: string[] = [];
  s.push(
    section(
      'decision',
      '判定',
      'Decision',
      `<p class="decision ${d.decision.promoted ? 'ok' : 'keep'}"><strong>${d.decision.promoted ? '採用 / Promoted' : '不採用・ライブ維持 / Rejected, live model kept'}</strong></p>
       <p>${esc(d.decision.reason_ja)}<br><span class="en">${esc(d.decision.reason_en)}</span></p>
       ${table(['項目 / item', '値 / value'], [
         ['候補 / candidate', d.run.candidate_version ?? '—'],
         ['実行前のライブ / live before', d.run.live_version_before ?? '—'],
         ['実行後のライブ / live after', d.run.live_version_after ?? '—'],
         ['起動 / triggered by', `${d.run.triggered_by}${d.run.trigger_reason ? ` (${d.run.trigger_reason})` : ''}`],
         ['自動ロールバック / auto-rollback', `${d.rollback.fired ? '実行 / fired' : '実行せず / not fired'}: ${d.rollback.reason_ja} / ${d.rollback.reason_en}`],
       ])}`,
    ),
  );
  const diff = c.diff;
  s.push(
    section(
      'metrics',
      '評価指標（同じ検証分割）',
      'Metrics on the same held-out folds',
      table(['指標 / metric', '候補 / challenger', 'ライブ / live', '定数予測 / constant baseline'], [
        ['RMSE', f(c.challenger.rmse), f(c.live?.rmse), f(c.baseline?.rmse)],
        ['MAE', f(c.challenger.mae), f(c.live?.mae), f(c.baseline?.mae)],
        ['Spearman ρ', f(c.challenger.spearman), f(c.live?.spearman), '—'],
        ['n', c.challenger.n, c.live?.n ?? '—', c.baseline?.n ?? '—'],
      ]) +
        (c.baselineDiff
          ? `<p>定数予測に対するRMSE差 / RMSE difference vs the constant baseline: ${f(c.baselineDiff.diff)}, 95%区間 / 95% interval [${f(c.baselineDiff.lo)}, ${f(c.baselineDiff.hi)}]</p>`
          : '') +
        (diff
          ? `<p>RMSE差（候補−ライブ）/ RMSE difference (challenger − live): <strong>${f(diff.diff)}</strong>, 95%区間 / 95% interval [${f(diff.lo)}, ${f(diff.hi)}]（対応ブートストラップ ${diff.resamples} 回 / paired bootstrap, ${diff.resamples} resamples）; 相対改善 / relative improvement ${(100 * diff.relImprovement).toFixed(2)}%</p>`
          : '<p>ライブモデルなし / no live model to compare with</p>'),
    ),
  );
  s.push(section('scatter', '予測と注釈の散布図', 'Predicted vs annotated (held-out)', scatterSvg(d.scatter.map((p) => ({ x: p.annotated, y: p.predicted })), '注釈スコア / annotated (bias-corrected)', '予測 / predicted')));
  s.push(
    section(
      'residuals',
      '職種別の残差',
      'Residuals by occupation',
      barSvg(c.challenger.byOccupation.map((o) => ({ label: `${o.group} (n=${o.n})`, value: o.meanResidual })), '平均残差（注釈−予測）/ mean residual (annotated − predicted)') +
        table(['職種 / occupation', 'n', 'RMSE 候補 / challenger', 'RMSE ライブ / live'], c.challenger.byOccupation.map((o) => [o.group, o.n, f(o.rmse), f(c.live?.byOccupation.find((l) => l.group === o.group)?.rmse)])),
    ),
  );
  s.push(section('learning-curve', '学習曲線', 'Learning curve', lineSvg(d.curve.map((p) => ({ x: p.size, y: p.rmse })), '学習データ数 / training-set size', 'RMSE')));
  s.push(
    section(
      'features',
      '項目別の重要度と特徴量の選択',
      'Importance by profile attribute, and feature selection',
      barSvg(d.importances.slice(0, 20).map((i) => ({ label: `${i.label_ja} / ${i.label_en}`, value: i.meanAbsContribution })), '平均|寄与|（項目の特徴量の合計） / mean |contribution| (sum of the attribute\'s features)') +
        table(['特徴量 / feature', '採用 / kept', '理由 / reason'], d.selection.map((x) => [x.name, x.kept ? '✔' : '✘', `${x.reason_ja} / ${x.reason_en}`])),
    ),
  );
  s.push(
    section(
      'annotators',
      '注釈者のバイアスと一致度',
      'Annotator bias and inter-annotator agreement',
      barSvg(d.annotators.map((a) => ({ label: `${a.annotator} (n=${a.ratings})`, value: a.bias })), 'バイアス（点）/ bias (points)') +
        `<p>複数人が採点したプロフィール / profiles scored by more than one annotator: ${d.agreement.units}; Krippendorff's α (interval) = <strong>${f(d.agreement.alpha, 3)}</strong>; ICC(1,1) = <strong>${f(d.agreement.icc, 3)}</strong></p>`,
    ),
  );
  const terms = (list: ReportData['themes']['low']) => table(['語 / term', '回数 / count', '含むコメントの割合 / share of comments'], list.map((t) => [t.term, t.count, `${(100 * t.docShare).toFixed(1)}%`]));
  s.push(
    section(
      'themes',
      'コメントのテーマ（次の計画の入力）',
      'Comment themes (input for the next Plan step)',
      `<div class="cols"><div><h3>低スコア（1–2）/ low scores — ${d.themes.lowDocs}件</h3>${terms(d.themes.low)}</div><div><h3>高スコア（4–5）/ high scores — ${d.themes.highDocs}件</h3>${terms(d.themes.high)}</div></div>`,
    ),
  );
  s.push(
    section(
      'drift',
      '特徴量のドリフト（前回の実行との比較）',
      'Feature drift against the previous run',
      d.drift
        ? `<p>前回 / previous run: ${esc(d.drift.previousRunId)}</p>` +
            table(['特徴量 / feature', '前回平均 / previous mean', '今回平均 / current mean', '標準化シフト / standardized shift', 'PSI'], d.drift.rows.map((r) => [r.name, f(r.previousMean, 3), f(r.currentMean, 3), f(r.standardizedShift, 3), f(r.psi, 3)]))
        : '<p>前回の実行なし / no previous run to compare with</p>',
    ),
  );
  s.push(
    section(
      'lineage',
      '系譜と所要時間',
      'Lineage and step timings',
      table(['項目 / item', '値 / value'], [
        ['注釈数 / annotations', d.trainingSet.annotations],
        ['フリーランス数 / freelancers', d.trainingSet.freelancers],
        ['内容ハッシュ / content hash', d.trainingSet.contentHash],
        ['特徴量仕様 / feature spec', d.trainingSet.featureSpecVersion],
      ]) + table(['ステップ / step', '秒 / seconds'], d.run.steps.map((x) => [x.name, x.seconds.toFixed(3)])),
    ),
  );
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>学習レポート / Training report ${esc(d.run.run_id)}</title>
<style>body{font-family:"IPAGothic","Noto Sans JP",sans-serif;margin:24px;max-width:1100px;color:#111}h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;margin-top:32px}small,.en{color:#555}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px;text-align:left}.decision.ok{color:#15803d}.decision.keep{color:#b45309}.cols{display:flex;gap:24px;flex-wrap:wrap}</style>
</head><body><h1>学習レポート <small>/ Training report</small> ${esc(d.run.run_id)}</h1><p>開始 / started ${esc(d.run.started_at)}</p>
${s.join('\n')}
</body></html>`;
}
