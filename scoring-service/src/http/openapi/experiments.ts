/** OpenAPI paths of experiments, assignment, results, uplift and the sample-size calculator. */
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (description: string, schema: unknown) => ({ description, content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'experiment id' };
const q = (name: string, schema: unknown, description: string, required = false) => ({ name, in: 'query', required, schema, description });
const common = { '401': err('missing or invalid token'), '403': err('role too low') };
const withId = { ...common, '404': err('no such experiment') };

const interval = { type: 'object', properties: { estimate: { type: 'number' }, lower: { type: 'number' }, upper: { type: 'number' } } };

export const experimentsSchemas: Record<string, unknown> = {
  Experiment: {
    type: 'object',
    required: ['id', 'name', 'unit_type', 'goal_metric', 'arms', 'salt', 'start_at', 'status'],
    properties: {
      id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' },
      name: { type: 'string' },
      hypothesis: { type: 'string', nullable: true },
      unit_type: { type: 'string', enum: ['freelancer', 'company'] },
      goal_metric: { type: 'string', description: 'event_type counted as a conversion, e.g. match' },
      secondary_metrics: { type: 'array', items: { type: 'string' } },
      arms: { type: 'array', minItems: 2, maxItems: 10, items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, weight: { type: 'number', exclusiveMinimum: true, minimum: 0 } } }, description: 'the first arm is control' },
      salt: { type: 'string' },
      start_at: { type: 'string', format: 'date-time' },
      end_at: { type: 'string', format: 'date-time', nullable: true },
      status: { type: 'string', enum: ['draft', 'running', 'stopped'] },
      pre_period_days: { type: 'integer', minimum: 0, maximum: 365 },
      created_by: { type: 'string' },
      created_at: { type: 'string', format: 'date-time' },
      updated_at: { type: 'string', format: 'date-time' },
    },
  },
  ImportBody: {
    type: 'object',
    description: 'rows as objects, or the text of an NDJSON or CSV file; any bad row rejects everything with line-numbered issues',
    properties: { rows: { type: 'array', items: { type: 'object' } }, text: { type: 'string' }, format: { type: 'string', enum: ['ndjson', 'csv'] } },
  },
  ExperimentResults: {
    type: 'object',
    properties: {
      experiment: ref('Experiment'),
      window: { type: 'object', properties: { start: { type: 'string' }, end: { type: 'string' }, pre: { type: 'string' } } },
      cuped: { type: 'boolean' },
      generated_at: { type: 'string', format: 'date-time' },
      stats: {
        type: 'object',
        properties: {
          level: { type: 'number' },
          srm: { type: 'object', properties: { observed: { type: 'array', items: { type: 'number' } }, expected: { type: 'array', items: { type: 'number' } }, chi_square: { type: 'number' }, df: { type: 'integer' }, p_value: { type: 'number' }, alarm: { type: 'boolean' } } },
          metrics: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                goal: { type: 'boolean' },
                arms: { type: 'array', items: { type: 'object', properties: { arm: { type: 'string' }, units: { type: 'integer' }, conversions: { type: 'integer' }, rate: { type: 'number' } } } },
                variants: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      arm: { type: 'string' },
                      absolute: interval,
                      relative: { ...interval, nullable: true },
                      p_value: { type: 'number' },
                      p_adjusted: { type: 'number', description: 'Benjamini–Hochberg over every arm × metric' },
                      significant: { type: 'boolean' },
                      chance_to_beat_control: { type: 'number' },
                      expected_loss: { type: 'number' },
                      cuped: { type: 'object', nullable: true },
                    },
                  },
                },
              },
            },
          },
          warnings: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message_ja: { type: 'string' }, message_en: { type: 'string' } } } },
        },
      },
    },
  },
  TargetRow: {
    type: 'object',
    properties: {
      unit_id: { type: 'string' },
      rank: { type: 'integer' },
      uplift: { type: 'number' },
      p_treatment: { type: 'number' },
      p_control: { type: 'number' },
      p_convert: { type: 'number' },
      segment: { type: 'string', enum: ['persuadable', 'sure_thing', 'lost_cause', 'sleeping_dog'] },
    },
  },
};

export const experimentsPaths: Record<string, unknown> = {
  '/v1/experiments': {
    get: { summary: 'List experiments with their assigned unit counts (scorer)', responses: { '200': json('experiments', { type: 'object', properties: { items: { type: 'array', items: ref('Experiment') } } }), ...common } },
    post: {
      summary: 'Create an experiment (admin)',
      requestBody: { required: true, content: { 'application/json': { schema: ref('Experiment') } } },
      responses: { '201': json('created', ref('Experiment')), '400': err('bad field (details.field)'), '409': err('id exists'), ...common },
    },
  },
  '/v1/experiments/{id}': {
    get: { summary: 'One experiment (scorer)', parameters: [id], responses: { '200': json('experiment', ref('Experiment')), ...withId } },
    patch: {
      summary: 'Change name, hypothesis, status or end_at (admin); arms and salt are fixed',
      parameters: [id],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, hypothesis: { type: 'string' }, status: { type: 'string' }, end_at: { type: 'string' } } } } } },
      responses: { '200': json('updated', ref('Experiment')), '400': err('bad field'), ...withId },
    },
  },
  '/v1/experiments/{id}/assignment': {
    get: {
      summary: 'Deterministic arm for a unit (scorer): sha256(salt:unit) → [0,1) → arm by weights; recorded while running',
      parameters: [id, q('unit', { type: 'string' }, 'unit id (freelancer or company id)', true)],
      responses: {
        '200': json('assignment', { type: 'object', properties: { experiment_id: { type: 'string' }, unit_id: { type: 'string' }, arm: { type: 'string' }, bucket: { type: 'number' }, assigned_at: { type: 'string' }, source: { type: 'string' }, recorded: { type: 'boolean' } } }),
        '400': err('unit missing'),
        ...withId,
      },
    },
  },
  '/v1/experiments/{id}/assignments': {
    post: {
      summary: 'Import assignments (admin): unit_id, arm, optional assigned_at',
      parameters: [id],
      requestBody: { required: true, content: { 'application/json': { schema: ref('ImportBody') } } },
      responses: { '200': json('imported', { type: 'object', properties: { imported: { type: 'integer' } } }), '400': err('bad rows: details.issues [{line, field, message}]'), ...withId },
    },
  },
  '/v1/experiments/{id}/outcomes': {
    post: {
      summary: 'Import outcomes as events (admin): unit_id, occurred_at, optional metric and event_id; re-import adds nothing',
      parameters: [id],
      requestBody: { required: true, content: { 'application/json': { schema: ref('ImportBody') } } },
      responses: { '200': json('imported', { type: 'object', properties: { imported: { type: 'integer' } } }), '400': err('bad rows: details.issues [{line, field, message}]'), ...withId },
    },
  },
  '/v1/experiments/{id}/results': {
    get: { summary: 'Results per arm and metric (scorer)', parameters: [id, q('cuped', { type: 'string', enum: ['0', '1', 'true', 'false'] }, 'adjust with the pre-period covariate')], responses: { '200': json('results', ref('ExperimentResults')), ...withId } },
  },
  '/v1/experiments/{id}/report': {
    get: {
      summary: 'Self-contained HTML report with intervals, SRM check and Qini curve (scorer)',
      parameters: [id, q('cuped', { type: 'string', enum: ['0', '1', 'true', 'false'] }, 'adjust with the pre-period covariate')],
      responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } }, ...withId },
    },
  },
  '/v1/experiments/{id}/uplift': {
    post: {
      summary: 'Train the conversion model and T-/X-learner uplift models, evaluate on held-out units, write the targeting list (admin)',
      parameters: [id],
      requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { arm: { type: 'string', description: 'variant arm; default the first variant' } } } } } },
      responses: { '200': json('run summary with Qini, AUUC, uplift@30%', { type: 'object' }), '412': err('too few units'), ...withId },
    },
  },
  '/v1/experiments/{id}/targeting': {
    get: {
      summary: 'The ranked targeting list of the latest uplift run (scorer)',
      parameters: [id, q('format', { type: 'string', enum: ['json', 'csv'] }, 'json (default) or csv'), q('segment', { type: 'string', enum: ['persuadable', 'sure_thing', 'lost_cause', 'sleeping_dog'] }, 'only one segment'), q('limit', { type: 'integer', minimum: 1 }, 'top N'), q('sort', { type: 'string', enum: ['uplift', 'p_convert'] }, 'uplift (default) or the conversion model’s prediction')],
      responses: { '200': { description: 'targets', content: { 'application/json': { schema: { type: 'object', properties: { experiment_id: { type: 'string' }, run_id: { type: 'string', nullable: true }, items: { type: 'array', items: ref('TargetRow') } } } }, 'text/csv': { schema: { type: 'string' } } } }, ...withId },
    },
  },
  '/v1/power/sample-size': {
    get: {
      summary: 'Sample size for two proportions (scorer)',
      parameters: [
        q('baseline', { type: 'number' }, 'control conversion rate', true),
        q('mde', { type: 'number' }, 'minimum detectable effect', true),
        q('mde_type', { type: 'string', enum: ['relative', 'absolute'] }, 'default relative'),
        q('alpha', { type: 'number' }, 'default 0.05 (two-sided)'),
        q('power', { type: 'number' }, 'default 0.8'),
        q('ratio', { type: 'number' }, 'treatment units per control unit, default 1'),
        q('daily_units', { type: 'number' }, 'units entering per day, for the duration'),
        q('sample', { type: 'number' }, 'control units you can get: the power reached'),
      ],
      responses: { '200': json('sample size', { type: 'object', properties: { control: { type: 'integer' }, treatment: { type: 'integer' }, total: { type: 'integer' }, days: { type: 'integer', nullable: true }, power_at_sample: { type: 'number', nullable: true } } }), '400': err('bad input'), ...common },
    },
  },
};
