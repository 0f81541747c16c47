/**
 * Scoring many training rows cheaply: when a stored model reads the same feature spec the
 * featurizer produces, predict from the already computed feature vectors (one featurisation
 * per row for every model compared); otherwise fall back to the model's own explain().
 * The skill demand features of a precomputed vector are recomputed from the scored model's
 * own demand table (features/skill-demand.ts): the vector may carry another model's, or none.
 */
import type { ProfileSnapshot } from '../domain/types.ts';
import { fillDemand, type SkillDemandTable } from '../features/skill-demand.ts';
import { groupPositions } from '../features/featurizer.ts';
import type { LiveModel } from '../model/types.ts';
import { clip15 } from './evaluate.ts';
import type { KitFeaturizer, ModelKit } from './model-kit.ts';

export type RowScorer = (snapshot: ProfileSnapshot, x: Float64Array) => number;

export function rowScorer(kit: ModelKit, f: KitFeaturizer, model: LiveModel): RowScorer {
  let json;
  try {
    json = kit.parse(model.toJSON());
  } catch {
    json = null;
  }
  if (json && json.feature_spec_version === f.spec.version) {
    const m = json;
    const demandIndex = groupPositions(f.spec, 'demand');
    if (demandIndex.length) {
      const table = (m as { skill_demand?: SkillDemandTable }).skill_demand;
      return (s, x) => clip15(kit.predict(m, fillDemand(Float64Array.from(x), demandIndex, table, s.profile)));
    }
    return (_s, x) => clip15(kit.predict(m, x));
  }
  return (s) => model.explain(s).score;
}
