import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../src/report/render.ts';
import type { ReportData } from '../src/report/data.ts';
import { redactSecrets } from '../src/training/secrets.ts';
import { loadConfig } from '../src/config.ts';
import { registerSecret } from '../src/log.ts';
import { contentWords, loadTokenizer } from '../src/report/tokenize.ts';

function data(over: Partial<ReportData> = {}): ReportData {
  const m = { rmse: 0.5, mae: 0.4, spearman: 0.8, n: 3, byOccupation: [{ group: 'エンジニア', n: 3, rmse: 0.5, meanResidual: 0.1 }] };
  const diff = { diff: -0.05, relImprovement: 0.09, lo: -0.08, hi: -0.02, level: 0.95, resamples: 1000 };
  return {
    run: { run_id: 'run-1', triggered_by: 'test', trigger_reason: null, started_at: '2026-11-01T00:00:00.000Z', candidate_version: 'm-2', live_version_before: 'm-1', live_version_after: 'm-2', steps: [{ name: 'dataset', started_at: '', seconds: 0.1 }], decision: 'promoted' },
    decision: { promoted: true, reason_ja: '採用', reason_en: 'promoted' },
    rollback: { checked: false, fired: false, live_version: 'm-1', predecessor_version: null, new_annotations: 0, live_rmse: null, predecessor_rmse: null, diff: null, reason_ja: 'なし', reason_en: 'none' },
    comparison: { challenger: m, live: { ...m, rmse: 0.55 }, diff, baseline: { ...m, rmse: 0.9 }, baselineDiff: diff },
    scatter: [{ annotated: 2, predicted: 2.5 }],
    curve: [{ size: 30, rmse: 0.7 }, { size: 100, rmse: 0.6 }],
    importances: [{ name: 'years', label_ja: '経験年数', label_en: 'years', meanAbsContribution: 0.3 }],
    selection: [{ name: 'years', kept: true, reason_ja: '変動あり', reason_en: 'varies', r_target: 0.4 }],
    trainingSet: { annotations: 3, freelancers: 3, contentHash: 'sha256:00', featureSpecVersion: 'fs1' },
    annotators: [{ annotator: '<img src=x onerror=alert(1)>', bias: 0.2, ratings: 3 }],
    agreement: { units: 2, alpha: 0.7, icc: 0.6 },
    themes: { low: [{ term: '<script>alert(1)</script>', count: 2, docShare: 0.5 }], high: [], lowDocs: 2, highDocs: 0 },
    drift: null,
    ...over,
  };
}

test('user-supplied text is escaped: no markup from annotator names or comment terms reaches the page', () => {
  const html = renderReport(data());
  assert.ok(!html.includes('<script>'));
  assert.ok(!html.includes('<img'));
  assert.ok(html.includes('&lt;script&gt;'));
});

test('the report shows the interval of the RMSE difference, the alpha and the learning curve', () => {
  const html = renderReport(data());
  assert.match(html, /\[-0\.0800, -0\.0200\]/);
  assert.match(html, /α \(interval\) = <strong>0\.700<\/strong>/);
  assert.match(html, /data-chart="line"/);
  assert.match(html, /data-chart="scatter"/);
  assert.match(html, /前回の実行なし/);
});

test('redaction removes configured API tokens, registered secrets and bearer credentials', () => {
  registerSecret('generated-secret-token-xyz');
  const config = loadConfig({ DATA_DIR: '/tmp/x', API_TOKENS: 'configured-admin-token-1=admin:a@example.com' });
  const out = redactSecrets('a configured-admin-token-1 b generated-secret-token-xyz c Bearer abc.def', config);
  assert.equal(out, 'a [REDACTED] b [REDACTED] c Bearer [REDACTED]');
});

test('comment themes use kuromoji content words in dictionary form', async () => {
  const t = await loadTokenizer();
  const words = contentWords(t, '実績が具体的で、丁寧に書かれていました。');
  assert.ok(words.includes('実績'));
  assert.ok(words.includes('具体'));
  assert.ok(words.includes('書く'), `verbs in dictionary form: ${words}`);
  assert.ok(!words.includes('が') && !words.includes('。'));
});
