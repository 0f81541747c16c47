/** OpenAPI fragment of the annotation API (issue 4). */
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (ref: string, description = 'OK') => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const common = { '401': err('no or invalid token'), '403': err('role annotator (or admin) required') };
const body = (ref: string) => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });

export const annotationPaths: Record<string, unknown> = {
  '/v1/annotation/next': {
    get: {
      summary: 'Next tasks from the active-learning queue, each with a lease',
      tags: ['annotation'],
      parameters: [{ name: 'count', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 20, default: 1 } }],
      responses: { '200': json('AnnotationTasks'), '400': err('bad count'), ...common },
    },
  },
  '/v1/annotations': {
    post: {
      summary: 'Store an annotation for a leased task (idempotent by client_request_id)',
      tags: ['annotation'],
      requestBody: body('AnnotationSubmit'),
      responses: {
        '201': json('Annotation', 'stored'),
        '200': json('Annotation', 'the same client_request_id was already stored: the same annotation'),
        '400': err('a field is invalid (details.field names it)'),
        '404': err('unknown lease'),
        '409': err('lease of another annotator, already closed, for another profile, or client_request_id reused with a different body (details.reason)'),
        '410': err('the lease expired (details.reason = lease_expired)'),
        ...common,
      },
    },
    get: {
      summary: "The caller's annotations (?mine=1); everyone's for admins",
      tags: ['annotation'],
      parameters: [
        { name: 'mine', in: 'query', schema: { type: 'string', enum: ['1', '0', 'true', 'false'] } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
        { name: 'annotator', in: 'query', schema: { type: 'string' }, description: 'admin filter' },
      ],
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Annotation' } } } } } } }, ...common },
    },
  },
  '/v1/annotations/last': {
    delete: {
      summary: "Undo the caller's last annotation (within the undo window); the profile comes back as a task",
      tags: ['annotation'],
      responses: { '200': { description: 'undone' }, '404': err('nothing to undo'), '409': err('older than the undo window (details.reason = undo_window_passed)'), ...common },
    },
  },
  '/v1/annotation/skip': {
    post: {
      summary: 'Skip a leased task with a reason',
      tags: ['annotation'],
      requestBody: body('AnnotationSkip'),
      responses: { '201': { description: 'recorded' }, '400': err('bad field'), '404': err('unknown lease'), '409': err('lease conflict'), '410': err('lease expired'), ...common },
    },
  },
  '/v1/annotation/stats': {
    get: {
      summary: 'Per annotator: count, today, bias against consensus, agreement; queue size',
      tags: ['annotation'],
      responses: { '200': { description: 'OK' }, ...common },
    },
  },
  '/v1/annotation/rubric': {
    get: { summary: 'The current rubric (or ?version=vN) and the version list', tags: ['annotation'], responses: { '200': json('Rubric'), '404': err('unknown version'), ...common } },
    put: {
      summary: 'Publish a new rubric version (admin)',
      tags: ['annotation'],
      requestBody: body('RubricUpdate'),
      responses: { '201': json('Rubric', 'new version'), '200': json('Rubric', 'unchanged text: current version'), '400': err('bad field'), '409': err('base_version is not current'), ...common },
    },
  },
  '/v1/annotation/settings': {
    get: { summary: 'Blind mode and double-annotation share', tags: ['annotation'], responses: { '200': json('AnnotationSettings'), ...common } },
    put: { summary: 'Change settings (admin)', tags: ['annotation'], requestBody: body('AnnotationSettingsUpdate'), responses: { '200': json('AnnotationSettings'), '400': err('bad field'), ...common } },
  },
};

const why = { type: 'object', required: ['code', 'label_ja', 'label_en'], properties: { code: { type: 'string', enum: ['uncertain', 'rare_occupation', 'changed', 'representative', 'exploration', 'double'] }, label_ja: { type: 'string' }, label_en: { type: 'string' }, details: { type: 'object' } } };

export const annotationSchemas: Record<string, unknown> = {
  AnnotationTask: {
    type: 'object',
    required: ['task_id', 'lease_id', 'lease_expires_at', 'freelancer_id', 'profile', 'activity', 'prediction', 'why', 'rubric_version'],
    properties: {
      task_id: { type: 'string' },
      lease_id: { type: 'string' },
      lease_expires_at: { type: 'string', format: 'date-time' },
      freelancer_id: { type: 'string' },
      profile: { type: 'object' },
      activity: { type: 'object', nullable: true },
      prediction: {
        type: 'object',
        nullable: true,
        description: 'null in blind mode or before any model is live',
        properties: { score: { type: 'number' }, percentile: { type: 'number' }, occupation_percentile: { type: 'number' }, reasons: { type: 'array', items: { type: 'object' } }, model_version: { type: 'string' } },
      },
      why,
      rubric_version: { type: 'string', nullable: true },
      double: { type: 'boolean' },
      blind: { type: 'boolean' },
    },
  },
  AnnotationTasks: {
    type: 'object',
    required: ['tasks', 'queue_size'],
    properties: { tasks: { type: 'array', items: { $ref: '#/components/schemas/AnnotationTask' } }, queue_size: { type: 'integer' }, blind_mode: { type: 'boolean' }, rubric_version: { type: 'string' } },
  },
  AnnotationSubmit: {
    type: 'object',
    additionalProperties: false,
    required: ['lease_id', 'freelancer_id', 'score', 'client_request_id'],
    properties: {
      lease_id: { type: 'string' },
      freelancer_id: { type: 'string' },
      score: { type: 'integer', minimum: 1, maximum: 5 },
      comment: { type: 'string', maxLength: 5000, nullable: true },
      rubric_version: { type: 'string', nullable: true, description: "defaults to the lease's rubric version" },
      client_request_id: { type: 'string', maxLength: 200 },
    },
  },
  AnnotationSkip: {
    type: 'object',
    additionalProperties: false,
    required: ['lease_id', 'freelancer_id', 'reason'],
    properties: { lease_id: { type: 'string' }, freelancer_id: { type: 'string' }, reason: { type: 'string', maxLength: 1000 } },
  },
  Annotation: {
    type: 'object',
    properties: {
      annotation_id: { type: 'string' },
      freelancer_id: { type: 'string' },
      annotator: { type: 'string' },
      score: { type: 'integer' },
      comment: { type: 'string', nullable: true },
      profile_snapshot: { type: 'object', description: 'the profile and activity the annotator saw' },
      model_version: { type: 'string', nullable: true },
      predicted_score: { type: 'number', nullable: true },
      rubric_version: { type: 'string', nullable: true },
      created_at: { type: 'string', format: 'date-time' },
      client_request_id: { type: 'string', nullable: true },
      lease_id: { type: 'string', nullable: true },
    },
  },
  Rubric: {
    type: 'object',
    properties: { version: { type: 'string' }, text: { type: 'string' }, text_ja: { type: 'string' }, text_en: { type: 'string', nullable: true }, created_at: { type: 'string' }, created_by: { type: 'string' }, versions: { type: 'array', items: { type: 'object' } } },
  },
  RubricUpdate: {
    type: 'object',
    additionalProperties: false,
    properties: { text_ja: { type: 'string', maxLength: 20000 }, text: { type: 'string', description: 'alias of text_ja' }, text_en: { type: 'string', nullable: true }, base_version: { type: 'string', nullable: true, description: '409 unless this is the current version' } },
  },
  AnnotationSettings: {
    type: 'object',
    properties: {
      blind_mode: { type: 'boolean' },
      double_share: { type: 'number' },
      double_annotation_share: { type: 'number', description: 'alias of double_share' },
      lease_minutes: { type: 'integer' },
      undo_minutes: { type: 'integer' },
      updated_at: { type: 'string', nullable: true },
      updated_by: { type: 'string', nullable: true },
    },
  },
  AnnotationSettingsUpdate: {
    type: 'object',
    additionalProperties: false,
    properties: { blind_mode: { type: 'boolean' }, double_share: { type: 'number', minimum: 0, maximum: 1 }, double_annotation_share: { type: 'number', minimum: 0, maximum: 1 } },
  },
};
