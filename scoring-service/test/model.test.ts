import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFeaturizer } from '../src/features/featurizer.ts';
import { attributeOf, type Attribute } from '../src/features/attributes.ts';
import { createLiveModel } from '../src/model/live-model.ts';
import { fitScoringModel, INTERACTION_SCALES, modelChecksum, ModelFormatError, parseScoringModel, predictRaw, predictScore, type ScoringModelJson } from '../src/model/scoring-model.ts';
import { calibrate } from '../src/model/calibration.ts';
import { buildDistribution, percentileOf, occupationPercentileOf, rememberDistribution } from '../src/model/distribution.ts';
import type { Profile, ProfileSnapshot } from '../src/domain/types.ts';

const OCCS = ['エンジニア', 'デザイナー', 'ライター'];
const SKILLS = [['React', 'AWS', 'Go'], ['Figma', 'Photoshop'], ['SEO', '取材', '編集']];

function snapshot(i: number): ProfileSnapshot {
  const o = i % 3;
  const p: Profile = {
    id: `f${String(i).padStart(3, '0')}`, occupation: OCCS[o], skills: SKILLS[o].slice(0, 1 + (i % SKILLS[o].length)), years_experience: i % 15,
    self_intro: '実績として開発を担当しました。'.repeat(1 + (i % 9)), portfolio_urls: i % 4 ? ['https://example.com'] : [], hourly_rate_jpy: i % 5 ? 2000 + 300 * (i % 11) : null,
    availability_days_per_week: i % 6, prefecture: null, remote_ok: i % 2 === 0, has_photo: i % 3 === 0,
  };
  return { profile: p, activity: null };
}

async function fitted() {
  const f = await loadFeaturizer();
  const snaps = Array.from({ length: 60 }, (_, i) => snapshot(i));
  const X = snaps.map((s) => f.featurize(s));
  const y = snaps.map((s, i) => Math.min(5, Math.max(1, 1.5 + s.profile.years_experience / 6 + (s.profile.has_photo ? 0.7 : 0) + ((i * 7) % 5) / 10)));
  const { model, cv } = fitScoringModel(X, y, f.spec, { alphas: [0.1, 1, 10, 100], folds: 4, seed: 1, version: 'm-test', now: new Date('2026-01-01T00:00:00Z'), calibrate: 'always' });
  return { f, snaps, X, y, model, cv };
}

test('fitScoringModel produces a type-tagged, versioned model that round-trips through JSON', async () => {
  const { f, model, cv } = await fitted();
  assert.equal(model.type, 'workship.scoring-model');
  assert.equal(model.format_version, 3);
  assert.equal(model.calibration?.type, 'natural-spline', 'formats 2 and 3 carry the 1–5 calibration');
  assert.equal(model.version, 'm-test');
  assert.equal(model.feature_spec_version, f.spec.version);
  assert.deepEqual(model.feature_names, f.spec.features.map((d) => d.name));
  assert.ok([0.1, 1, 10, 100].includes(cv.alpha));
  assert.equal(model.cv.rmse_by_alpha.length, 4);
  assert.equal(model.prediction_quantiles.length, 101);
  const again = parseScoringModel(JSON.parse(JSON.stringify(model)));
  assert.deepEqual(again, model);
  assert.deepEqual(parseScoringModel(JSON.stringify(model)), model, 'a JSON string is accepted too');
  // Key order does not matter (a warehouse may reorder JSON keys): the checksum is over canonical JSON.
  const reordered = Object.fromEntries(Object.entries(model).reverse());
  assert.deepEqual(parseScoringModel(reordered), model);
});

test('a selection of features fits only those columns, and predictRaw reads them from the full vector', async () => {
  const { f, X, y } = await fitted();
  const selected = ['years', 'has_photo', 'text_chars_log'];
  const { model } = fitScoringModel(X, y, f.spec, { alpha: 1, selected });
  assert.deepEqual(model.feature_names, selected);
  assert.equal(model.coefficients.length, 3);
  assert.ok(Number.isFinite(predictRaw(model, X[0])));
  assert.throws(() => fitScoringModel(X, y, f.spec, { selected: ['nope'] }), { message: `selected feature 'nope' is not in feature spec ${f.spec.version}` });
});

function mutate(m: ScoringModelJson, fn: (o: Record<string, any>) => void, reChecksum = true): unknown {
  const o = JSON.parse(JSON.stringify(m));
  fn(o);
  if (reChecksum) o.checksum = modelChecksum(o);
  return o;
}

test('parseScoringModel refuses foreign, mis-versioned, corrupt and tampered models with exact messages', async () => {
  const { model } = await fitted();
  const cases: [unknown, string][] = [
    [null, 'model JSON must be an object'],
    ['{not json', 'model JSON is not valid JSON'],
    [[1, 2], 'model JSON must be an object'],
    [{ name: 'simpleLinearRegression' }, 'not a Workship scoring model: type is null, expected "workship.scoring-model"'],
    [mutate(model, (o) => (o.type = 'mljs.ridge')), 'not a Workship scoring model: type is "mljs.ridge", expected "workship.scoring-model"'],
    [mutate(model, (o) => (o.format_version = 4)), 'unsupported scoring model format_version 4 (this service reads 1, 2 and 3)'],
    [mutate(model, (o) => delete o.format_version), 'unsupported scoring model format_version null (this service reads 1, 2 and 3)'],
    [mutate(model, (o) => delete o.calibration), "model field 'calibration' must be an object"],
    [mutate(model, (o) => (o.calibration.type = 'isotonic')), `model field 'calibration.type' must be "natural-spline"`],
    [mutate(model, (o) => o.calibration.coef.pop()), `model field 'calibration.coef' has ${model.calibration!.coef.length - 1} entries, expected ${model.calibration!.coef.length}`],
    [mutate(model, (o) => (o.calibration.knots = [3, 2, 4])), "model field 'calibration.knots' must increase"],
    [mutate(model, (o) => (o.calibration = { type: 'natural-spline', knots: [], coef: [0, -1], range: [1, 5] })), "model field 'calibration' is not monotone"],
    [mutate(model, (o) => (o.format_version = 1)), "model field 'calibration' is not part of format_version 1"],
    [mutate(model, (o) => (o.version = '')), "model field 'version' must be a non-empty string"],
    [mutate(model, (o) => o.coefficients.pop()), `model field 'coefficients' has ${model.coefficients.length - 1} entries, expected ${model.coefficients.length} (one per feature)`],
    [mutate(model, (o) => o.standardization.mean.push(0)), `model field 'standardization.mean' has ${model.coefficients.length + 1} entries, expected ${model.coefficients.length} (one per feature)`],
    [mutate(model, (o) => (o.coefficients[3] = null)), "model field 'coefficients[3]' is not a finite number"],
    [mutate(model, (o) => (o.coefficients[3] = 'NaN')), "model field 'coefficients[3]' is not a finite number"],
    [mutate(model, (o) => (o.intercept = '3')), "model field 'intercept' is not a finite number"],
    [mutate(model, (o) => (o.standardization.scale[0] = 0)), "model field 'standardization.scale[0]' must be positive"],
    [mutate(model, (o) => (o.feature_index[0] = 9999)), `model field 'feature_index[0]' is outside the feature spec (size ${model.feature_spec_size})`],
    [mutate(model, (o) => (o.feature_names = 'years')), "model field 'feature_names' must be an array of strings"],
    [mutate(model, (o) => (o.coefficients[0] += 1e-9), false), 'model checksum mismatch: the JSON was modified or corrupted'],
    [mutate(model, (o) => (o.checksum = 'sha256:00'), false), 'model checksum mismatch: the JSON was modified or corrupted'],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseScoringModel(input), (e: unknown) => {
      assert.ok(e instanceof ModelFormatError, `expected ModelFormatError for ${message}`);
      assert.equal((e as Error).message, message);
      assert.equal((e as ModelFormatError).status, 400);
      return true;
    });
  }
});

test('createLiveModel refuses a model trained on another feature spec', async () => {
  const { f, model } = await fitted();
  const other = mutate(model, (o) => (o.feature_spec_version = 'fs1-000000000000')) as ScoringModelJson;
  assert.throws(() => createLiveModel(other, f), { name: 'ModelFormatError', message: `model m-test was trained on feature spec fs1-000000000000, this service computes ${f.spec.version}` });
});

test('explain gives exact contributions of the calibrated score: base g(intercept) plus their sum is g(raw) within 1e-12', async () => {
  const { f, snaps, model } = await fitted();
  const live = createLiveModel(model, f);
  const g = (r: number) => calibrate(model.calibration!, r);
  assert.equal(live.baseline, g(model.intercept));
  for (const s of snaps.slice(0, 20)) {
    const e = live.explain(s);
    const x = f.featurize(s);
    assert.equal(e.raw, predictRaw(model, x));
    assert.equal(e.intercept, g(model.intercept));
    let sum = e.intercept;
    for (const c of e.contributions) sum += c.contribution;
    assert.ok(Math.abs(sum - g(e.raw)) < 1e-12, `${sum} vs g(raw) ${g(e.raw)}`);
    assert.equal(e.score, Math.min(5, Math.max(1, g(e.raw))));
    assert.equal(e.score, Math.min(5, Math.max(1, predictScore(model, x))));
    assert.equal(live.score(s).score, e.score);
    // Each contribution is the linear one times the same ratio (g(raw) − g(r0)) / (raw − r0): signs and shares kept.
    const j = model.feature_names.indexOf('years');
    const linear = model.coefficients[j] * ((s.profile.years_experience - model.standardization.mean[j]) / model.standardization.scale[j]);
    const ratio = Math.abs(e.raw - model.intercept) > 1e-9 ? (g(e.raw) - g(model.intercept)) / (e.raw - model.intercept) : NaN;
    if (Number.isFinite(ratio)) assert.ok(Math.abs(e.contributions[j].contribution - linear * ratio) < 1e-12);
  }
});

test('a format 1 model (no calibration) still loads and explains bit for bit on the raw score', async () => {
  const { f, snaps, model } = await fitted();
  const v1 = mutate(model, (o) => {
    o.format_version = 1;
    delete o.calibration;
  }) as ScoringModelJson;
  const parsed = parseScoringModel(v1);
  assert.equal(parsed.calibration, undefined);
  const live = createLiveModel(parsed, f);
  for (const s of snaps.slice(0, 10)) {
    const e = live.explain(s);
    let sum = e.intercept;
    for (const c of e.contributions) sum += c.contribution;
    assert.equal(sum, e.raw);
    assert.equal(e.intercept, model.intercept);
    assert.equal(e.score, Math.min(5, Math.max(1, e.raw)));
    assert.equal(predictScore(parsed, f.featurize(s)), e.raw);
  }
});

test('the calibration is fitted on out-of-fold raw scores: it equals fitCalibration of the CV out-of-fold predictions at the chosen penalties', async () => {
  const { f, X, y, model } = await fitted();
  const { outOfFoldRaw, fitCalibration } = await import('../src/model/calibration.ts');
  const columnScale = model.feature_index.map((i) => (f.spec.features[i].group === 'interaction' ? model.cv.interaction_scale : 1));
  // Same folds as fitScoringModel's CV (4 folds, seed 1 in fitted()).
  const oof = outOfFoldRaw(X, y, { alpha: model.alpha, folds: 4, seed: 1, columnScale });
  const expected = fitCalibration(oof, y);
  assert.deepEqual(expected.knots.length, model.calibration!.knots.length);
  expected.coef.forEach((c, j) => assert.ok(Math.abs(c - model.calibration!.coef[j]) < 1e-8 * Math.max(1, Math.abs(c)), `coef ${j}: ${c} vs ${model.calibration!.coef[j]}`));
  assert.ok(model.cv.raw_rmse! > 0 && model.cv.rmse > 0);
});

test('score clips to 1–5 and gives top reasons by absolute contribution with Japanese and English labels', async () => {
  const { f, snaps, model } = await fitted();
  const big = mutate(model, (o) => (o.intercept = 40)) as ScoringModelJson;
  assert.equal(createLiveModel(big, f).score(snaps[0]).score, 5);
  const small = mutate(model, (o) => (o.intercept = -40)) as ScoringModelJson;
  assert.equal(createLiveModel(small, f).score(snaps[0]).score, 1);
  const live = createLiveModel(model, f);
  const s = live.score(snaps[5]);
  const e = live.explain(snaps[5]);
  // Reasons are per profile attribute: the contributions of its columns summed.
  const byAttribute = new Map<string, { a: Attribute; v: number }>();
  for (const c of e.contributions) {
    const a = attributeOf(f.spec.features.find((d) => d.name === c.feature)!);
    const cur = byAttribute.get(a.key) ?? { a, v: 0 };
    cur.v += c.contribution;
    byAttribute.set(a.key, cur);
  }
  const sorted = [...byAttribute.values()].sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
  assert.equal(s.reasons.length, 3);
  assert.deepEqual(s.reasons.map((r) => r.feature), sorted.slice(0, 3).map((c) => c.a.key));
  s.reasons.forEach((r, k) => assert.ok(Math.abs(r.contribution - sorted[k].v) < 1e-4, `${r.feature}: ${r.contribution} vs ${sorted[k].v}`));
  assert.equal(s.reasons[0].label, sorted[0].a.label_ja);
  assert.equal(s.reasons[0].label_en, sorted[0].a.label_en);
  assert.match(s.reasons[0].label, /[\u3040-\u30ff\u4e00-\u9fff]/, 'Japanese label');
});

test('percentiles are mid-ranks overall and within the occupation of the given distribution', async () => {
  const d = buildDistribution([1, 2, 2, 3, 4, 5], ['a', 'a', 'b', 'b', 'b', null]);
  assert.equal(percentileOf(d.overall, 2), (100 * (1 + 0.5 * 2)) / 6);
  assert.equal(percentileOf(d.overall, 0.5), 0);
  assert.equal(percentileOf(d.overall, 9), 100);
  assert.equal(occupationPercentileOf(d, 'b', 3), 50, 'middle of 2, 3, 4');
  assert.equal(occupationPercentileOf(d, 'a', 2), 75);
  assert.equal(occupationPercentileOf(d, 'unseen', 2), percentileOf(d.overall, 2), 'unseen occupation → overall');
  assert.equal(percentileOf(new Float64Array(0), 3), 50);

  const { f, snaps, model } = await fitted();
  const scores = snaps.map((s) => createLiveModel(model, f).score(s).score);
  const dist = buildDistribution(scores, snaps.map((s) => s.profile.occupation));
  const live = createLiveModel(model, f, dist);
  const r = live.score(snaps[7]);
  assert.equal(r.percentile, percentileOf(dist.overall, r.score));
  assert.equal(r.occupation_percentile, occupationPercentileOf(dist, snaps[7].profile.occupation, r.score));
  // A model built without a distribution uses the one remembered for its version at materialisation.
  const plain = createLiveModel(model, f);
  const before = plain.score(snaps[7]).percentile;
  assert.ok(before >= 0 && before <= 100, 'falls back to training prediction quantiles');
  rememberDistribution(model.version, dist);
  assert.equal(plain.score(snaps[7]).percentile, r.percentile);
});

test('occupation × family interactions get an extra penalty chosen by CV, folded into their stored scale', async () => {
  const { f, X, y, model } = await fitted();
  assert.ok(INTERACTION_SCALES.includes(model.cv.interaction_scale));
  const j = model.feature_names.findIndex((n) => f.spec.features.find((d) => d.name === n)!.group === 'interaction' && new Set(X.map((x) => x[model.feature_index[model.feature_names.indexOf(n)]])).size > 1);
  assert.ok(j >= 0, 'some interaction column varies');
  const at = (scale: number) => fitScoringModel(X, y, f.spec, { alpha: 1, interactionScales: [scale] }).model.standardization.scale[j];
  // Scale 0.1 means the column's standardised values are ×0.1: penalty α/0.01 on its coefficient.
  assert.ok(Math.abs(at(0.1) - at(1) / 0.1) < 1e-12 * at(1) / 0.1);
  const years = model.feature_names.indexOf('years');
  assert.equal(fitScoringModel(X, y, f.spec, { alpha: 1, interactionScales: [0.1] }).model.standardization.scale[years], fitScoringModel(X, y, f.spec, { alpha: 1, interactionScales: [1] }).model.standardization.scale[years], 'other columns unchanged');
});

test('percentileLookup answers exactly what percentileOf does: ties, bounds, out of range, tiny and constant arrays', async () => {
  const { percentileLookup, percentileOf } = await import('../src/model/distribution.ts');
  let s = 3;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cases: number[][] = [
    Array.from({ length: 5000 }, () => Math.min(5, Math.max(1, 1 + 4.4 * rand() - 0.2))), // clipped: ties at 1 and 5
    Array.from({ length: 3000 }, () => Math.round(rand() * 40) / 10), // heavy ties
    [2.5],
    [3, 3, 3],
    [],
  ];
  for (const c of cases) {
    const sorted = Float64Array.from(c).sort();
    const f = percentileLookup(sorted);
    const probes = [...c, 0, 0.99, 1, 5, 5.01, 7, -1, NaN, ...Array.from({ length: 500 }, () => 6 * rand())];
    for (const v of probes) assert.equal(Object.is(f(v), percentileOf(sorted, v)) || f(v) === percentileOf(sorted, v), true, `n=${c.length} v=${v}: ${f(v)} vs ${percentileOf(sorted, v)}`);
  }
});
