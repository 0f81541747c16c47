/** Everything a run report shows, gathered into plain data (rendering is in render.ts). */
import type { LiveModel } from '../model/types.ts';
import type { RunRow } from '../training/runs.ts';
import type { TrainingSet } from '../training/dataset.ts';
import { multiAnnotated } from '../training/dataset.ts';
import { attributeGroups, type AttributeGroups } from '../features/attributes.ts';
import type { KitFeaturizer } from '../training/model-kit.ts';
import type { Comparison, GateDecision } from '../training/evaluate.ts';
import type { SelectionDecision } from '../training/selection.ts';
import type { RollbackOutcome } from '../training/rollback.ts';
import type { FeatureDrift } from '../stats/drift.ts';
import { icc1, krippendorffAlphaInterval } from '../stats/agreement.ts';
import { termsByBand, type TermCount } from '../stats/terms.ts';
import { seededRandom } from '../stats/rng.ts';
import { contentWords, loadTokenizer } from './tokenize.ts';

export interface ReportData {
  run: Pick<RunRow, 'run_id' | 'triggered_by' | 'trigger_reason' | 'started_at' | 'candidate_version' | 'live_version_before' | 'live_version_after' | 'steps' | 'decision'>;
  decision: { promoted: boolean; reason_ja: string; reason_en: string };
  rollback: RollbackOutcome;
  comparison: Comparison;
  scatter: { annotated: number; predicted: number }[];
  curve: { size: number; rmse: number }[];
  importances: { name: string; label_ja: string; label_en: string; meanAbsContribution: number }[];
  selection: SelectionDecision[];
  trainingSet: { annotations: number; freelancers: number; contentHash: string; featureSpecVersion: string };
  annotators: { annotator: string; bias: number; ratings: number }[];
  agreement: { units: number; alpha: number; icc: number };
  themes: { low: TermCount[]; high: TermCount[]; lowDocs: number; highDocs: number };
  drift: { previousRunId: string; rows: FeatureDrift[] } | null;
}

export interface ReportInput {
  run: RunRow;
  trainingSet: TrainingSet;
  featurizer: KitFeaturizer;
  comparison: Comparison;
  heldOut: { y: number[]; challenger: number[]; occupations: string[] };
  selection: SelectionDecision[];
  curve: { size: number; rmse: number }[];
  candidateModel: LiveModel;
  /** Feature vectors of the training examples (same order), when already computed. */
  features?: Float64Array[];
  drift: { previousRunId: string; rows: FeatureDrift[] } | null;
  gate: GateDecision;
  rollback: RollbackOutcome;
  metrics?: unknown;
}

/** A seeded sample of at most `max` indices (charts and importances need no more). */
function sampleIdx(n: number, max: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  if (n <= max) return idx;
  const r = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, max).sort((a, b) => a - b);
}

export async function buildReportData(i: ReportInput): Promise<ReportData> {
  const ts = i.trainingSet;
  const scatter = sampleIdx(i.heldOut.y.length, 1500, 7).map((k) => ({ annotated: i.heldOut.y[k], predicted: i.heldOut.challenger[k] }));

  // Importance per profile attribute (features/attributes.ts): the mean |sum of its columns'
  // contributions|, as the reasons show them, rather than per hinge or spline column.
  const defs = new Map(i.featurizer.spec.features.map((d) => [d.name, d] as const));
  let groups: AttributeGroups | null = null;
  let sums = new Float64Array(0);
  let row = new Float64Array(0);
  /** One row's contributions in model column order (`names`, the same for every row). */
  const addRow = (names: readonly string[], c: ArrayLike<number>) => {
    if (!groups) {
      groups = attributeGroups(names.map((n) => defs.get(n) ?? { name: n, label_ja: n, label_en: n }));
      sums = new Float64Array(groups.attributes.length);
      row = new Float64Array(groups.attributes.length);
    }
    row.fill(0);
    for (let j = 0; j < names.length; j++) row[groups.groupOf[j]] += c[j];
    for (let g = 0; g < row.length; g++) sums[g] += Math.abs(row[g]);
  };
  const rows = sampleIdx(ts.examples.length, 1000, 11);
  // The model area's LiveModel can explain a precomputed vector (contributionsOf); use it
  // when present so the report does not featurise the training rows a second time.
  const fast = i.candidateModel as unknown as { contributionsOf?: (x: ArrayLike<number>, out: Float64Array) => number; json?: { feature_names: string[] } };
  if (fast.contributionsOf && fast.json && i.features) {
    const names = fast.json.feature_names;
    const out = new Float64Array(names.length);
    for (const k of rows) {
      fast.contributionsOf(i.features[k], out);
      addRow(names, out);
    }
  } else {
    for (const k of rows) {
      const cs = i.candidateModel.explain(ts.examples[k].snapshot).contributions;
      addRow(cs.map((c) => c.feature), cs.map((c) => c.contribution));
    }
  }
  const attributes = (groups as AttributeGroups | null)?.attributes ?? [];
  const importances = attributes
    .map((a, g) => ({ name: a.key, label_ja: a.label_ja, label_en: a.label_en, meanAbsContribution: sums[g] / (rows.length || 1) }))
    .sort((a, b) => b.meanAbsContribution - a.meanAbsContribution);

  const units = multiAnnotated(ts.annotations);
  const tokenizer = await loadTokenizer();
  const comments = ts.annotations.filter((a) => a.comment && a.comment.trim()).map((a) => ({ tokens: contentWords(tokenizer, a.comment!), score: a.score }));

  return {
    run: i.run,
    decision: { promoted: i.gate.promote, reason_ja: i.gate.reason_ja, reason_en: i.gate.reason_en },
    rollback: i.rollback,
    comparison: i.comparison,
    scatter,
    curve: i.curve,
    importances,
    selection: i.selection,
    trainingSet: { annotations: ts.annotations.length, freelancers: ts.examples.length, contentHash: ts.contentHash, featureSpecVersion: i.featurizer.spec.version },
    annotators: [...ts.bias.bias.entries()].map(([annotator, bias]) => ({ annotator, bias, ratings: ts.bias.ratingsPerRater.get(annotator) ?? 0 })).sort((a, b) => a.annotator.localeCompare(b.annotator)),
    agreement: { units: units.length, alpha: krippendorffAlphaInterval(units), icc: icc1(units) },
    themes: termsByBand(comments, { limit: 15 }),
    drift: i.drift,
  };
}
