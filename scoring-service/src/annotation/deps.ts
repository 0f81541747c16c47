/**
 * Production wiring of the queue's collaborators: the real featurizer, scoring model and
 * activity summaries. Loaded lazily (kuromoji is only read when the queue is first used).
 */
import type { Warehouse } from '../warehouse/port.ts';
import type { AnnotationDeps } from './service.ts';
import type { ModelKit } from './ensemble.ts';

export function productionDeps(random: () => number = Math.random): AnnotationDeps {
  return {
    async featurizer() {
      const { loadFeaturizer } = await import('../features/featurizer.ts');
      return loadFeaturizer();
    },
    async modelKit(): Promise<ModelKit> {
      const [{ loadFeaturizer }, { fitScoringModel, predictRaw }] = await Promise.all([import('../features/featurizer.ts'), import('../model/scoring-model.ts')]);
      const spec = (await loadFeaturizer()).spec;
      return {
        fit(X, y, o) {
          const { model, cv } = fitScoringModel(X, y, spec, o.alpha === undefined ? { seed: o.seed } : { alpha: o.alpha, seed: o.seed, folds: 2 });
          return { alpha: cv.alpha, predict: (x) => predictRaw(model, x) };
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
