/**
 * Entry of the Apps Script bundle: only re-exports the global functions of each area. The build
 * (scripts/build-appsscript.ts) writes a top-level `function name()` stub for every export.
 */
export * from './annotation/globals.ts';
export * from './kpi/globals.ts';
export * from './experiments/globals.ts';
