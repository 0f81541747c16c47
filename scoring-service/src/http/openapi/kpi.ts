/** OpenAPI paths of the KPI API. */
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (description: string, schema: unknown) => ({ description, content: { 'application/json': { schema } } });
const dateQuery = (name: string, description: string) => ({ name, in: 'query', required: false, description, schema: { type: 'string', format: 'date' } });

const band = { type: 'array', items: { type: 'number' } };

export const kpiSchemas: Record<string, unknown> = {
  KpiForecast: {
    type: 'object',
    nullable: true,
    description: 'Additive damped Holt-Winters (weekly season) fitted on up to 730 days ending at `to`; null with fewer than 28 days.',
    properties: {
      dates: { type: 'array', items: { type: 'string', format: 'date' } },
      mean: band,
      lower: band,
      upper: band,
      level: { type: 'number', example: 0.8 },
      last: { type: 'object', nullable: true, description: 'one-step band of the last day from a fit on the days before it', properties: { date: { type: 'string' }, value: { type: 'number' }, mean: { type: 'number' }, lower: { type: 'number' }, upper: { type: 'number' }, anomaly: { type: 'boolean' } } },
      backtest: { type: 'object', nullable: true, properties: { mase: { type: 'number' }, maseSeasonalNaive: { type: 'number' }, coverage80: { type: 'number' }, origins: { type: 'integer' }, horizon: { type: 'integer' } } },
      params: { type: 'object', properties: { alpha: { type: 'number' }, beta: { type: 'number' }, gamma: { type: 'number' }, phi: { type: 'number' } } },
    },
  },
  KpiReport: {
    type: 'object',
    required: ['from', 'to', 'kpis', 'rows', 'forecasts'],
    properties: {
      from: { type: 'string', format: 'date' },
      to: { type: 'string', format: 'date' },
      time_zone: { type: 'string', example: 'Asia/Tokyo' },
      kpis: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, label_ja: { type: 'string' }, label_en: { type: 'string' }, unit: { type: 'string', enum: ['count', 'ratio', 'score', 'version'] }, good: { type: 'string', enum: ['up', 'down', 'none'] }, main: { type: 'boolean' } } } },
      rows: { type: 'array', items: { type: 'object', description: '{date, <kpi id>: number | string | null …}', additionalProperties: true } },
      forecasts: { type: 'object', additionalProperties: { $ref: '#/components/schemas/KpiForecast' } },
      refreshed: { type: 'object', properties: { from: { type: 'string', nullable: true }, to: { type: 'string', nullable: true }, days: { type: 'integer' } } },
    },
  },
};

export const kpiPaths: Record<string, unknown> = {
  '/v1/kpis': {
    get: {
      summary: 'Daily KPIs with forecasts (Asia/Tokyo days); refreshes kpi_daily incrementally first',
      tags: ['kpi'],
      parameters: [dateQuery('from', 'first day (default: to − 89 days)'), dateQuery('to', 'last day (default: yesterday in Asia/Tokyo)')],
      responses: {
        200: json('rows and forecasts', { $ref: '#/components/schemas/KpiReport' }),
        400: err('from or to is not a date, or from is after to (details.field names it)'),
        401: err('no or bad token'),
      },
    },
  },
  '/v1/kpis/refresh': {
    post: {
      summary: 'Incremental refresh of kpi_daily, or a backfill of {from, to} (admin)',
      tags: ['kpi'],
      requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } } } } } },
      responses: {
        200: json('range recomputed', { type: 'object', properties: { from: { type: 'string', nullable: true }, to: { type: 'string', nullable: true }, days: { type: 'integer' } } }),
        400: err('bad from/to'),
        403: err('not an admin'),
      },
    },
  },
};
