/**
 * Production wiring of the queue's collaborators: the real featurizer, scoring model and
 * activity summaries. Loaded lazily (kuromoji is only read when the queue is first used).
 */
import type { Warehouse } from '../warehouse/port.ts';
import type { AnnotationDeps } from './service.ts';
import type { ModelKit } from './ensemble.ts';

export function productionDeps(random: () => number = Math.random): AnnotationDeps {
  return {
    async featurizer(w: Warehouse) {
      // The queue's uncertainty model sees the features training uses: demand features from
      // the warehouse's job postings, as the next training run will compute them.
      const [{ loadFeaturizer }, { loadSkillDemand }, { modelFeaturizer }, { createHash }] = await Promise.all([
        import('../features/featurizer.ts'), import('../features/skill-demand.ts'), import('../model/live-model.ts'), import('node:crypto'),
      ]);
      const f = await loadFeaturizer();
      if (!f.demandIndex.length) return f;
      const demand = await loadSkillDemand(w);
      return {
        featurize: modelFeaturizer({ skill_demand: demand }, f),
        key: `${f.spec.version}:${createHash('sha256').update(JSON.stringify(demand)).digest('hex').slice(0, 16)}`,
      };
    },
    async modelKit(): Promise<ModelKit> {
      const [{ loadFeaturizer }, { fitScoringModel, predictRaw }] = await Promise.all([import('../features/featurizer.ts'), import('../model/scoring-model.ts')]);
      const spec = (await loadFeaturizer()).spec;
      return {
        fit(X, y, o) {
          const fixed = o.alpha === undefined
            ? { seed: o.seed }
            : o.columnScales
              ? { alpha: o.alpha, columnScales: o.columnScales, seed: o.seed, folds: 2 }
              : { alpha: o.alpha, seed: o.seed, folds: 2, ...(o.interactionScale === undefined ? {} : { interactionScales: [o.interactionScale] }) };
          const { model } = fitScoringModel(X, y, spec, fixed);
          const { mean, scale } = model.standardization;
          const index = model.feature_index;
          return {
            alpha: model.alpha,
            interactionScale: model.cv.interaction_scale,
            columnScales: model.cv.column_scales,
            predict: (x) => predictRaw(model, x),
            // The interaction or column scales are folded into the stored scale, so every column has penalty alpha.
            design: (x) => Float64Array.from(index, (fi, j) => (x[fi] - mean[j]) / scale[j]),
            residualVar: model.cv.rmse ** 2,
          };
        },
      };
    },
    async activity(w: Warehouse, ids: string[] | 'all', asOf: Date) {
      const { activitySummaries } = await import('../features/activity.ts');
      return activitySummaries(w, ids, asOf);
    },
    random,
  };
}
