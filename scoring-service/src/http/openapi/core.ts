/** OpenAPI paths of the core scoring API. */
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export const coreSchemas: Record<string, unknown> = {
  Reason: {
    type: 'object',
    required: ['feature', 'label', 'contribution'],
    description: 'One profile attribute\'s effect on the score, relative to the average training profile: the contributions of the model features describing it (e.g. self-intro length with its log, hinges and spline bases) summed. The baseline plus every attribute\'s contribution is the score before clipping.',
    properties: {
      feature: { type: 'string', description: 'The attribute key (e.g. intro_length, activity, skills_frontend); a feature no attribute groups keeps its own name' },
      label: { type: 'string', description: 'Japanese label' }, label_en: { type: 'string' }, contribution: { type: 'number' },
    },
  },
  Score: {
    type: 'object',
    required: ['freelancer_id', 'score', 'percentile', 'occupation_percentile', 'model_version', 'scored_at', 'reasons'],
    properties: {
      freelancer_id: { type: 'string' },
      score: { type: 'number', minimum: 1, maximum: 5 },
      percentile: { type: 'number', minimum: 0, maximum: 100 },
      occupation_percentile: { type: 'number', minimum: 0, maximum: 100 },
      model_version: { type: 'string' },
      scored_at: { type: 'string', format: 'date-time' },
      reasons: { type: 'array', items: { $ref: '#/components/schemas/Reason' } },
    },
  },
  Profile: {
    type: 'object',
    required: ['occupation', 'skills', 'years_experience', 'self_intro'],
    properties: {
      id: { type: 'string' },
      occupation: { type: 'string', example: 'エンジニア' },
      skills: { type: 'array', items: { type: 'string' } },
      years_experience: { type: 'number', minimum: 0, maximum: 70 },
      self_intro: { type: 'string', maxLength: 20000 },
      portfolio_urls: { type: 'array', items: { type: 'string' } },
      hourly_rate_jpy: { type: 'integer', nullable: true },
      availability_days_per_week: { type: 'number', minimum: 0, maximum: 7, nullable: true },
      prefecture: { type: 'string', nullable: true },
      remote_ok: { type: 'boolean' },
      has_photo: { type: 'boolean' },
    },
  },
};

export const corePaths: Record<string, unknown> = {
  '/healthz': {
    get: {
      summary: 'Liveness, live model version and warehouse kind',
      security: [],
      responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
  '/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3 document' } } } },
  '/v1/freelancers/{id}/score': {
    get: {
      summary: "One freelancer's materialised score (role: scorer)",
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        200: { description: 'the score', content: { 'application/json': { schema: { $ref: '#/components/schemas/Score' } } } },
        401: err('missing or invalid token'),
        403: err('role too low'),
        404: err('unknown freelancer'),
        503: err('no model is live yet'),
      },
    },
  },
  '/v1/scores': {
    get: {
      summary: 'All freelancers\' scores, paged by cursor; NDJSON stream with Accept: application/x-ndjson (role: scorer)',
      parameters: [
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
      ],
      responses: {
        200: {
          description: 'a page of scores',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  model_version: { type: 'string' },
                  total: { type: 'integer' },
                  items: { type: 'array', items: { $ref: '#/components/schemas/Score' } },
                  next_cursor: { type: 'string', nullable: true },
                },
              },
            },
            'application/x-ndjson': { schema: { $ref: '#/components/schemas/Score' } },
          },
        },
        400: err('bad limit or cursor'),
        401: err('missing or invalid token'),
      },
    },
  },
  '/v1/score': {
    post: {
      summary: 'Score an unsaved profile; nothing is stored (role: scorer)',
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', required: ['profile'], properties: { profile: { $ref: '#/components/schemas/Profile' }, activity: { type: 'object' } } } } },
      },
      responses: {
        200: { description: 'the score', content: { 'application/json': { schema: { $ref: '#/components/schemas/Score' } } } },
        400: err('a field is invalid (details.field names it)'),
        413: err('body over 1 MB'),
        415: err('body is not JSON'),
      },
    },
  },
};
