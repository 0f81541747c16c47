/** Pure statistics used by training and reports (no server, warehouse or env imports). */
export * from './metrics.ts';
export * from './bootstrap.ts';
export * from './agreement.ts';
export * from './drift.ts';
export * from './folds.ts';
export * from './terms.ts';
export * from './rng.ts';
