/**
 * The experiment report: one self-contained HTML page (inline CSS and SVG, no external
 * assets), Japanese first with English labels. Pure: results and the latest uplift run in,
 * HTML out.
 */
import type { UpliftEvaluation } from '../uplift/evaluate.ts';
import { SEGMENT_LABELS, type TargetRow } from '../uplift/targeting.ts';
import type { ExperimentResults } from './results.ts';
import { esc, intervalPlot, qiniPlot } from './report-svg.ts';

export interface UpliftReportInput {
  run_id: string;
  created_at: string;
  treatment_arm: string;
  chosen: string;
  evaluation: {
    evaluation: Record<'t-learner' | 'x-learner', UpliftEvaluation>;
    conversion_model: { holdout_auc: number | null };
    features: string[];
    train_units: number;
    holdout_units: number;
    metric: string;
  };
}

const pct = (v: number | null | undefined, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(d)}%`);
const num = (v: number | null | undefined, d = 4) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const pval = (p: number) => (!Number.isFinite(p) ? '—' : p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
const ci = (i: { estimate: number; lower: number; upper: number } | null, d = 2) => (i ? `${pct(i.estimate, d)} <small>[${pct(i.lower, d)}, ${pct(i.upper, d)}]</small>` : '—');

const CSS = `body{font-family:"Hiragino Sans","Noto Sans JP","IPAGothic",sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}th{background:#f4f4f4}
td.l,th.l{text-align:left}.warn{background:#fff4e5;border-left:4px solid #e08a00;padding:8px 12px;margin:6px 0}
.alarm{background:#fdecea;border-left:4px solid #b3261e;padding:8px 12px;margin:6px 0;font-weight:bold}.ok{color:#1b7f3b}.muted{color:#666;font-size:12px}
.sig{font-weight:bold;color:#1b7f3b}.neg{font-weight:bold;color:#b3261e}`;

function metricTable(r: ExperimentResults, mi: number): string {
  const m = r.stats.metrics[mi];
  const head = `<tr><th class="l">アーム<br><small>arm</small></th><th>ユニット<br><small>units</small></th><th>CV<br><small>conversions</small></th><th>CV率<br><small>rate</small></th>
    <th>差 (絶対)<br><small>absolute lift, 95% CI</small></th><th>差 (相対)<br><small>relative lift, 95% CI</small></th><th>p 値<br><small>Welch</small></th><th>補正後 p<br><small>BH</small></th>
    <th>勝率<br><small>chance to beat control</small></th><th>期待損失<br><small>expected loss</small></th>${r.cuped ? '<th>CUPED 差 (絶対)<br><small>CUPED absolute, 95% CI</small></th><th>CUPED p</th>' : ''}</tr>`;
  const rows = m.arms.map((a, i) => {
    const v = i === 0 ? null : m.variants[i - 1];
    const cls = v?.significant ? (v.absolute.estimate > 0 ? 'sig' : 'neg') : '';
    return `<tr><td class="l">${esc(a.arm)}${i === 0 ? ' <small>(対照 control)</small>' : ''}</td><td>${a.units.toLocaleString('en-US')}</td><td>${a.conversions.toLocaleString('en-US')}</td><td>${pct(a.rate)}</td>
      <td class="${cls}">${v ? ci(v.absolute) : ''}</td><td class="${cls}">${v ? ci(v.relative, 1) : ''}</td><td>${v ? pval(v.p_value) : ''}</td><td>${v ? pval(v.p_adjusted) : ''}</td>
      <td>${v ? pct(v.chance_to_beat_control, 1) : ''}</td><td>${v ? pct(v.expected_loss, 3) : ''}</td>${r.cuped ? `<td>${v?.cuped ? ci(v.cuped.absolute) : ''}</td><td>${v?.cuped ? pval(v.cuped.p_value) : ''}</td>` : ''}</tr>`;
  });
  const cupedNote = r.cuped && m.variants[0]?.cuped ? `<p class="muted">CUPED: θ = ${num(m.variants[0].cuped.theta)}, 分散削減 variance reduction ${pct(m.variants[0].cuped.variance_reduction, 1)}（事前期間 ${r.experiment.pre_period_days} 日の同じイベント数 / pre-period count of the same event）</p>` : '';
  return `<h3>${esc(m.name)}${m.goal ? ' <small>(目標指標 goal metric)</small>' : ' <small>(副指標 secondary)</small>'}</h3><table>${head}${rows.join('')}</table>${cupedNote}`;
}

function upliftSection(u: UpliftReportInput | null, targets: TargetRow[]): string {
  if (!u) return `<h2>アップリフト / Uplift</h2><p class="muted">まだ学習していません。<code>npm run cli -- experiment uplift &lt;id&gt;</code> または <code>POST /v1/experiments/{id}/uplift</code> で学習します。 No uplift run yet.</p>`;
  const ev = u.evaluation.evaluation;
  const t = ev['t-learner'];
  const x = ev['x-learner'];
  const svg = qiniPlot(
    [
      { name: `T-learner (Qini 係数 ${num(t.qini_coefficient)})`, color: '#1565c0', points: t.qini },
      { name: `X-learner (Qini 係数 ${num(x.qini_coefficient)})`, color: '#2e7d32', points: x.qini },
      { name: 'ランダム random', color: '#999', points: t.qini.map((p) => ({ fraction: p.fraction, qini: p.random })), dashed: true },
    ],
    `Qini 曲線（検証データ ${u.evaluation.holdout_units} 件）/ Qini curve on held-out units`,
  );
  const row = (name: string, e: UpliftEvaluation) =>
    `<tr><td class="l">${name}${u.chosen === name ? ' ★' : ''}</td><td>${num(e.auuc, 5)}</td><td>${num(e.qini_coefficient, 5)}</td><td>${pct(e.uplift_at_30)}</td><td>${pct(e.overall_uplift)}</td><td>${e.lift_ratio_at_30 === null ? '—' : e.lift_ratio_at_30.toFixed(2) + '×'}</td></tr>`;
  const top = targets
    .map((r) => `<tr><td>${r.rank}</td><td class="l">${esc(r.unit_id)}</td><td class="l">${esc(SEGMENT_LABELS[r.segment].ja)}</td><td>${pct(r.uplift)}</td><td>${pct(r.p_treatment)}</td><td>${pct(r.p_control)}</td><td>${pct(r.p_convert)}</td></tr>`)
    .join('');
  return `<h2>アップリフト / Uplift (${esc(u.treatment_arm)} vs control, ${esc(u.evaluation.metric)})</h2>
    <p class="muted">run ${esc(u.run_id)} · ${esc(u.created_at)} · 学習 train ${u.evaluation.train_units} / 検証 held-out ${u.evaluation.holdout_units} · 特徴量 features: ${esc(u.evaluation.features.join(', '))}</p>
    ${svg}
    <table><tr><th class="l">モデル model</th><th>AUUC</th><th>Qini 係数<br><small>Qini coefficient</small></th><th>上位30%の uplift<br><small>uplift@30%</small></th><th>全体の uplift<br><small>overall</small></th><th>比<br><small>ratio</small></th></tr>${row('t-learner', t)}${row('x-learner', x)}</table>
    <p>コンバージョン予測モデル (準備段階) の検証 AUC / conversion model held-out AUC: <b>${num(u.evaluation.conversion_model.holdout_auc, 3)}</b></p>
    <h3>ターゲティングリスト上位 / Top of the targeting list</h3>
    <table><tr><th>順位 rank</th><th class="l">ユニット unit</th><th class="l">セグメント segment</th><th>予測 uplift</th><th>P(CV | 施策)</th><th>P(CV | 対照)</th><th>P(CV) 予測</th></tr>${top}</table>`;
}

export function renderExperimentReport(r: ExperimentResults, uplift: UpliftReportInput | null, targets: TargetRow[]): string {
  const e = r.experiment;
  const s = r.stats;
  const warnings = s.warnings.map((w) => `<div class="${w.code === 'srm' ? 'alarm' : 'warn'}">${esc(w.message_ja)}<br><small>${esc(w.message_en)}</small></div>`).join('');
  const forest = intervalPlot(
    s.metrics.flatMap((m) => m.variants.map((v) => ({ label: `${m.name} · ${v.arm}`, estimate: v.relative?.estimate ?? NaN, lower: v.relative?.lower ?? NaN, upper: v.relative?.upper ?? NaN, significant: v.significant }))),
    '相対リフトと 95% 信頼区間 / relative lift with 95% CI',
  );
  const srmRows = e.arms.map((a, i) => `<tr><td class="l">${esc(a.name)}</td><td>${a.weight}</td><td>${s.srm.observed[i].toLocaleString('en-US')}</td><td>${s.srm.expected[i].toFixed(1)}</td></tr>`).join('');
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${esc(e.name)} — 実験レポート</title><style>${CSS}</style></head><body>
<h1>実験レポート / Experiment report: ${esc(e.name)}</h1>
<p><b>仮説 hypothesis:</b> ${esc(e.hypothesis ?? '—')}</p>
<p class="muted">id ${esc(e.id)} · 状態 status ${esc(e.status)} · 単位 unit ${esc(e.unit_type)} · 目標 goal ${esc(e.goal_metric)} · 期間 window ${esc(r.window.start)} – ${esc(r.window.end)} · 作成 generated ${esc(r.generated_at)}</p>
${warnings || '<p class="ok">警告なし / no warnings</p>'}
<h2>サンプル比の検定 / Sample ratio mismatch</h2>
<table><tr><th class="l">アーム arm</th><th>重み weight</th><th>観測 observed</th><th>期待 expected</th></tr>${srmRows}</table>
<p>χ² = ${s.srm.chi_square.toFixed(3)} (df ${s.srm.df}), p = ${pval(s.srm.p_value)} — ${s.srm.alarm ? '<span class="neg">SRM の疑いあり (p &lt; 0.001) / SRM alarm</span>' : '<span class="ok">問題なし / OK</span>'}</p>
<h2>結果 / Results (信頼水準 ${Math.round(s.level * 100)}%, Benjamini–Hochberg 補正は全アーム×全指標 / across arms and metrics)</h2>
${s.metrics.map((_, i) => metricTable(r, i)).join('')}
${forest}
${upliftSection(uplift, targets)}
<p class="muted">p 値は Welch の t 検定、相対リフトの区間はデルタ法、勝率と期待損失は Beta(1+CV, 1+非CV) 事後分布の数値積分。 p-values: Welch's t-test; relative intervals: delta method; Bayesian: Beta posteriors, numeric integration.</p>
</body></html>`;
}
