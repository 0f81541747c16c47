/** OpenAPI paths of training runs and the model registry. */
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (description: string, schema: unknown) => ({ description, content: { 'application/json': { schema } } });
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

export const trainingSchemas: Record<string, unknown> = {
  TrainingRun: {
    type: 'object',
    required: ['run_id', 'status', 'triggered_by', 'started_at'],
    properties: {
      run_id: { type: 'string' },
      status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
      triggered_by: { type: 'string' },
      trigger_reason: { type: 'string', nullable: true },
      started_at: { type: 'string', format: 'date-time' },
      finished_at: { type: 'string', format: 'date-time', nullable: true },
      progress: { type: 'object', nullable: true, properties: { step: { type: 'string' }, done: { type: 'integer' }, total: { type: 'integer' } } },
      steps: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, started_at: { type: 'string' }, seconds: { type: 'number' }, detail: { type: 'object' } } } },
      decision: { type: 'string', nullable: true, enum: ['promoted', 'rejected', 'no_data', 'failed', null] },
      decision_reason: { type: 'string', nullable: true },
      candidate_version: { type: 'string', nullable: true },
      live_version_before: { type: 'string', nullable: true },
      live_version_after: { type: 'string', nullable: true },
      metrics: { type: 'object', nullable: true },
      error: { type: 'string', nullable: true },
    },
  },
  ModelVersion: {
    type: 'object',
    required: ['version', 'created_at', 'status'],
    properties: {
      version: { type: 'string' },
      created_at: { type: 'string', format: 'date-time' },
      status: { type: 'string', enum: ['candidate', 'live', 'retired', 'rejected', 'failed'] },
      activated_at: { type: 'string', format: 'date-time', nullable: true },
      metrics: { type: 'object', nullable: true },
      lineage: {
        type: 'object',
        nullable: true,
        description: 'training_set {annotations, freelancers, content_hash}, feature_spec_version, hyperparameters, code_version, run_id',
      },
      model: { type: 'object', description: 'the type-tagged model JSON (GET /v1/models/{version} only)' },
    },
  },
  ModelActivation: {
    type: 'object',
    required: ['activation_id', 'version', 'activated_at', 'kind', 'actor', 'reason'],
    properties: {
      activation_id: { type: 'string' },
      version: { type: 'string' },
      previous_version: { type: 'string', nullable: true },
      activated_at: { type: 'string', format: 'date-time' },
      kind: { type: 'string', enum: ['promotion', 'manual', 'rollback', 'startup_fallback'] },
      actor: { type: 'string' },
      reason: { type: 'string' },
      run_id: { type: 'string', nullable: true },
    },
  },
};

export const trainingPaths: Record<string, unknown> = {
  '/v1/train': {
    post: {
      summary: 'Start a training run (role: admin; Cloud Scheduler calls this daily). One run at a time.',
      parameters: [{ name: 'wait', in: 'query', required: false, schema: { type: 'boolean' }, description: 'wait for the run to finish and return its result' }],
      requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { reason: { type: 'string' } } } } } },
      responses: {
        200: json('the finished run (wait=true)', { type: 'object' }),
        202: json('run started', { type: 'object', properties: { run_id: { type: 'string' }, status: { type: 'string' } } }),
        403: err('role too low'),
        409: err('a run is already running; details.run_id names it'),
      },
    },
  },
  '/v1/runs': { get: { summary: 'Training runs, newest first (role: annotator)', responses: { 200: json('runs', { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/TrainingRun' } } } }) } } },
  '/v1/runs/{id}': { get: { summary: 'One run: status, progress, steps, decision', parameters: [idParam('id')], responses: { 200: json('the run', { $ref: '#/components/schemas/TrainingRun' }), 404: err('unknown run') } } },
  '/v1/runs/{id}/report': {
    get: {
      summary: "The run's self-contained HTML report (Japanese with English labels, inline SVG)",
      parameters: [idParam('id')],
      responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } }, 404: err('unknown run or no report yet') },
    },
  },
  '/v1/models': { get: { summary: 'Model versions with status, metrics and lineage (role: annotator)', responses: { 200: json('versions', { type: 'object', properties: { live_version: { type: 'string', nullable: true }, items: { type: 'array', items: { $ref: '#/components/schemas/ModelVersion' } } } }) } } },
  '/v1/models/history': { get: { summary: 'Which version was live when, who or what changed it, and why', responses: { 200: json('activations, newest first', { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/ModelActivation' } } } }) } } },
  '/v1/models/{version}': { get: { summary: 'One version including its model JSON', parameters: [idParam('version')], responses: { 200: json('the version', { $ref: '#/components/schemas/ModelVersion' }), 404: err('unknown version') } } },
  '/v1/models/{version}/activate': {
    post: {
      summary: 'Make a version live (manual rollback / roll-forward; role: admin). Scores are re-materialised first.',
      parameters: [idParam('version')],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1 } } } } } },
      responses: {
        200: json('activated', { type: 'object' }),
        400: err('reason missing (details.field = reason)'),
        403: err('role too low'),
        404: err('unknown version'),
        409: err('a training run is running'),
        412: err('the version fails validation'),
      },
    },
  },
};
