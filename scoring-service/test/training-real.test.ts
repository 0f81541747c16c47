/**
 * The run end to end with the model area's real featurizer, ridge model and materialisation,
 * on the demo generator's data (hidden rule, biased annotators, Japanese comments).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { allTables } from '../src/domain/all-tables.ts';
import { seedDemo, DEMO_NOW } from '../src/demo/generator.ts';
import { ANNOTATORS } from '../src/demo/hidden-rule.ts';
import { LiveHolder } from '../src/scores/live.ts';
import { loadConfig } from '../src/config.ts';
import { memoryLogger } from '../src/log.ts';
import { runTraining } from '../src/training/run.ts';
import { getRun } from '../src/training/runs.ts';
import { getVersion, loadLiveModelAtStartup, staleReasons } from '../src/training/registry.ts';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { parseScoringModel } from '../src/model/scoring-model.ts';

test('real model kit: first run promotes a valid model, materialises every score, reports bias per demo annotator; a rerun on the same data is rejected', async () => {
  const w = new DuckdbWarehouse({ file: ':memory:' });
  try {
    await w.migrate(allTables);
    await seedDemo(w, { freelancers: 250, annotations: 350, seed: 3, now: DEMO_NOW });
    const { logger } = memoryLogger();
    let t = DEMO_NOW.getTime() + 3_600_000;
    const deps = { warehouse: w, live: new LiveHolder(), config: loadConfig({ DATA_DIR: '/tmp/workship-real-unused' }), log: logger, now: () => new Date(t) };
    const r1 = await runTraining(deps, { by: 'test' });
    assert.equal(r1.status, 'succeeded', r1.error);
    assert.equal(r1.decision, 'promoted');
    const v = await getVersion(w, r1.candidate_version!);
    const model = parseScoringModel(v!.model);
    assert.equal(model.version, r1.candidate_version);
    assert.equal(deps.live.current.scores?.byId.size, 250);
    assert.equal(deps.live.current.scores?.modelVersion, r1.candidate_version);
    const run = await getRun(w, r1.run_id, true);
    const html = run!.report_html!;
    for (const a of ANNOTATORS) assert.ok(html.includes(a.id), `bias of ${a.id} reported`);
    // Importances per profile attribute: the length columns (log, hinges, spline bases,
    // sentences, paragraphs) are one bar; a column's own label never shows in the chart.
    assert.match(html, /項目別の重要度/);
    assert.match(html, /自己紹介の分量 \/ self-intro length/);
    assert.doesNotMatch(html, /スプライン基底|spline basis/);
    // Skill demand: the run builds the table from every job posting, trains on the features and stores the table.
    const [{ n: jobsWithSkills }] = await w.query<{ n: number }>('SELECT COUNT(*) AS n FROM jobs WHERE len(skills) > 0');
    assert.ok(Number(jobsWithSkills) > 0);
    assert.equal(model.skill_demand?.jobs, Number(jobsWithSkills));
    assert.ok(model.feature_names.some((n) => n.startsWith('demand_')), 'demand features are trained on');
    const demandNone = (run!.feature_summary as { name: string; sd: number }[]).find((x) => x.name === 'demand_none');
    assert.ok(demandNone && demandNone.sd > 0, 'the training rows carry demand features computed from the table');
    const metrics = run!.metrics as any;
    assert.ok(metrics.challenger.rmse < metrics.learning_curve[0].rmse + 0.2, 'full-data RMSE is not worse than the smallest learning-curve point');
    assert.ok(metrics.challenger.spearman > 0.3, `held-out Spearman ${metrics.challenger.spearman}`);

    t += 86_400_000;
    const r2 = await runTraining(deps, { by: 'test' });
    assert.equal(r2.decision, 'rejected', 'the same data cannot improve by the gate’s rule');
    assert.equal(deps.live.current.model?.version, r1.candidate_version);

    const restarted = { ...deps, live: new LiveHolder() };
    const loaded = await loadLiveModelAtStartup(restarted);
    assert.equal(loaded?.model.version, r1.candidate_version);
    assert.equal(loaded?.scores.byId.size, 250);

    // Scores stored by an earlier release name model columns in their reasons (e.g. a spline
    // basis); start-up sees that and materialises them again, with reasons per attribute.
    const first = loaded!.scores.orderedIds[0];
    assert.ok(loaded!.scores.byId.get(first)!.reasons.length > 0);
    const featurizer = await loadFeaturizer();
    assert.equal(staleReasons(loaded!.scores, featurizer), false, 'current reasons are not stale');
    const old = [{ feature: 'text_chars_log_spline_3', label: '自己紹介の長さ（対数、スプライン基底3）', contribution: 0.2 }];
    await w.execute(`UPDATE freelancer_scores SET reasons = CAST(@r AS JSON)`, { r: JSON.stringify(old) });
    const again = await loadLiveModelAtStartup({ ...deps, live: new LiveHolder() });
    assert.equal(again?.model.version, r1.candidate_version);
    const reasons = again!.scores.byId.get(first)!.reasons;
    assert.deepEqual(reasons, loaded!.scores.byId.get(first)!.reasons, 'the same reasons as before the downgrade');
    const [stored] = await w.query<{ reasons: unknown }>(`SELECT reasons FROM freelancer_scores WHERE freelancer_id = @id`, { id: first });
    assert.doesNotMatch(JSON.stringify(stored.reasons), /spline/, 'the table was rewritten');
  } finally {
    await w.close();
  }
});
