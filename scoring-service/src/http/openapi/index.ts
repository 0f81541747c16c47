/**
 * OpenAPI 3 document served at /openapi.json, merged from one fragment per area
 * (http/openapi/<area>.ts, each exporting `paths` and optional `schemas`).
 */
import { corePaths, coreSchemas } from './core.ts';
import { annotationPaths, annotationSchemas } from './annotation.ts';
import { trainingPaths, trainingSchemas } from './training.ts';
import { importPaths, importSchemas } from './import.ts';
import { experimentsPaths, experimentsSchemas } from './experiments.ts';
import { kpiPaths, kpiSchemas } from './kpi.ts';

export interface OpenApiFragment {
  paths: Record<string, unknown>;
  schemas?: Record<string, unknown>;
}

export const fragments: OpenApiFragment[] = [{ paths: corePaths, schemas: coreSchemas }, { paths: annotationPaths, schemas: annotationSchemas }, { paths: trainingPaths, schemas: trainingSchemas }, { paths: importPaths, schemas: importSchemas }, { paths: experimentsPaths, schemas: experimentsSchemas }, { paths: kpiPaths, schemas: kpiSchemas }];

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const f of fragments) {
    Object.assign(paths, f.paths);
    Object.assign(schemas, f.schemas ?? {});
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Workship ML scoring service', version, description: 'Scores freelancers, collects annotations, trains daily, reports KPIs and experiments.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Local API token or a Google-signed ID token' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } } } },
        },
        ...schemas,
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
