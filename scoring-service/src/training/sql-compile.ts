/**
 * In-warehouse scoring: the live model and every feature SQL can compute, compiled into one
 * SQL query, so BigQuery scores millions of freelancers without the data leaving it. Features
 * SQL cannot compute (Japanese text analysis, behaviour summaries, skill dictionaries) are
 * materialised first into model_feature_values and joined in. The compiled arithmetic follows
 * predictRaw exactly: intercept + Σ coefficient × (x − mean) / scale; the score is the model's
 * calibration g of that raw score (model/calibration.ts sqlCalibration), clipped to 1–5.
 */
import type { Freelancer, ProfileSnapshot } from '../domain/types.ts';
import type { Dialect } from '../warehouse/dialect.ts';
import type { Warehouse } from '../warehouse/port.ts';
import type { Featurizer } from '../features/featurizer.ts';
import type { ScoringModelJson } from '../model/scoring-model.ts';
import { SCORE_MAX, SCORE_MIN } from '../model/scoring-model.ts';
import { sqlCalibration } from '../model/calibration.ts';
import { modelFeaturizer } from '../model/live-model.ts';
import { activitySummaries } from '../features/activity.ts';
import { modelFeatureValues } from './tables.ts';

export interface CompiledScoring {
  sql: string;
  /** Features computed by SQL expressions over `freelancers`. */
  sqlFeatures: string[];
  /** Features read from model_feature_values (must be materialised first). */
  tableFeatures: string[];
}

/** A double literal that parses to exactly the same IEEE value (JS prints the shortest round-trip form). */
function lit(d: Dialect, v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`cannot compile a non-finite constant (${v})`);
  return d.float(`'${String(v)}'`);
}

const quoteString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function compileScoringSql(m: ScoringModelJson, f: Featurizer, d: Dialect): CompiledScoring {
  if (m.feature_spec_version !== f.spec.version) throw new RangeError(`model ${m.version} uses feature spec ${m.feature_spec_version}, the featurizer is ${f.spec.version}`);
  const sqlFeatures: string[] = [];
  const tableFeatures: string[] = [];
  const baseCols: string[] = [];
  const tfCols: string[] = [];
  const terms: string[] = [];
  m.feature_names.forEach((name, j) => {
    const def = f.spec.features[m.feature_index[j]];
    if (def.name !== name) throw new RangeError(`model feature ${name} is not at position ${m.feature_index[j]} of the spec`);
    const expr = def.sql?.(d) ?? null;
    const alias = d.ident(`x${j}`);
    let ref: string;
    if (expr) {
      sqlFeatures.push(name);
      baseCols.push(`${d.float(`(${expr})`)} AS ${alias}`);
      ref = `base.${alias}`;
    } else {
      tableFeatures.push(name);
      tfCols.push(`MAX(CASE WHEN feature = ${quoteString(name)} THEN value END) AS ${alias}`);
      ref = `tf.${alias}`;
    }
    terms.push(`(${lit(d, m.coefficients[j])} * ((${ref} - ${lit(d, m.standardization.mean[j])}) / ${lit(d, m.standardization.scale[j])}))`);
  });
  // Left-to-right sum in feature order, as predictRaw adds them.
  const raw = terms.reduce((acc, t) => `(${acc} + ${t})`, lit(d, m.intercept));
  const tf = tableFeatures.length
    ? `,\ntf AS (\n  SELECT freelancer_id, ${tfCols.join(',\n    ')}\n  FROM ${d.table(modelFeatureValues.name)}\n  WHERE feature_spec_version = ${quoteString(f.spec.version)}\n  GROUP BY freelancer_id\n)`
    : '';
  const sql = `WITH base AS (
  SELECT ${d.ident('id')} AS freelancer_id${baseCols.length ? ',\n    ' + baseCols.join(',\n    ') : ''}
  FROM ${d.table('freelancers')}
)${tf},
raw AS (
  SELECT base.freelancer_id, ${raw} AS raw
  FROM base${tableFeatures.length ? ' LEFT JOIN tf ON tf.freelancer_id = base.freelancer_id' : ''}
)
SELECT freelancer_id, raw, LEAST(${lit(d, SCORE_MAX)}, GREATEST(${lit(d, SCORE_MIN)}, ${m.calibration ? sqlCalibration(m.calibration, 'raw') : 'raw'})) AS score
FROM raw`;
  return { sql, sqlFeatures, tableFeatures };
}

/**
 * Computes the features SQL cannot and writes them (long format) for every freelancer, from
 * the current profile, the activity summary as of `asOf` and the model's skill demand table
 * (`model`, absent: demand features 0) — what the live scorer sees.
 */
export async function materializeFeatureTable(w: Warehouse, f: Featurizer, features: string[], asOf: Date, batchSize = 5000, model: Pick<ScoringModelJson, 'skill_demand'> = {}): Promise<number> {
  await w.execute(`DELETE FROM ${w.dialect.table(modelFeatureValues.name)}`);
  if (!features.length) return 0;
  const names = f.spec.features.map((x) => x.name);
  const idx = features.map((n) => {
    const i = names.indexOf(n);
    if (i < 0) throw new RangeError(`feature ${n} is not in spec ${f.spec.version}`);
    return i;
  });
  const activity = await activitySummaries(w, 'all', asOf);
  const featurize = modelFeaturizer(model, f);
  const at = asOf.toISOString();
  let written = 0;
  for await (const batch of w.stream<Freelancer>(`SELECT * FROM ${w.dialect.table('freelancers')} ORDER BY id`, {}, batchSize)) {
    const rows: Record<string, unknown>[] = [];
    for (const fl of batch) {
      const x = featurize(snapshotOf(fl, activity.get(fl.id) ?? null));
      features.forEach((name, k) => rows.push({ freelancer_id: fl.id, feature: name, value: x[idx[k]], feature_spec_version: f.spec.version, computed_at: at }));
    }
    written += await w.append(modelFeatureValues, rows);
  }
  return written;
}

export function snapshotOf(fl: Freelancer, activity: ProfileSnapshot['activity']): ProfileSnapshot {
  return { profile: fl, activity };
}

/** Materialise the text features, then score every freelancer inside the warehouse. */
export async function scoreInWarehouse(w: Warehouse, m: ScoringModelJson, f: Featurizer, asOf: Date): Promise<{ freelancer_id: string; raw: number; score: number }[]> {
  const compiled = compileScoringSql(m, f, w.dialect);
  await materializeFeatureTable(w, f, compiled.tableFeatures, asOf, 5000, m);
  return w.query(compiled.sql);
}
